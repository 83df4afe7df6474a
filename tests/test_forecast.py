"""tracker.forecast: known answers, index handling, short and empty histories, the prior, the band."""
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.forecast import forecast_monthly, load_prior, simulate
from tracker.rates import load

HANGUL = re.compile("[가-힣]")
# A made-up labeler's season, different from the shipped prior: busy in spring, lean in autumn.
SPRING = np.array([0.9, 1.3, 1.8, 1.7, 1.4, 1.0, 0.8, 0.7, 0.6, 0.55, 0.7, 0.85])
SPRING = SPRING / SPRING.mean()


def monthly(values, start="2023-01") -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"))


def assert_band(result: pd.DataFrame) -> None:
    assert list(result.columns) == ["mean", "lower", "upper"]
    assert all(result[c].dtype == np.float64 for c in result.columns)
    values = result.to_numpy()
    assert np.isfinite(values).all()
    assert (result["lower"] >= 0).all()
    assert (result["lower"] <= result["mean"] + 1e-9).all()
    assert (result["mean"] <= result["upper"] + 1e-9).all()


# ── known answers ───────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("months", [6, 12, 24, 36])
def test_constant_series_forecasts_the_constant_with_a_tight_band(months):
    result = forecast_monthly(monthly([1_200_000] * months), 12)
    assert_band(result)
    assert result["mean"].to_numpy() == pytest.approx(1_200_000, rel=1e-6)
    assert ((result["upper"] - result["lower"]) <= 0.01 * 1_200_000).all()


@pytest.mark.parametrize("months", [24, 36, 48])
def test_pure_seasonal_series_repeats_its_pattern(months):
    pattern = load_prior().to_numpy()
    history = monthly(2_000_000 * pattern[np.arange(months) % 12])  # starts in January
    result = forecast_monthly(history, 12)
    expected = 2_000_000 * pattern[np.arange(months, months + 12) % 12]
    assert result["mean"].to_numpy() == pytest.approx(expected, rel=0.02)


def test_linear_trend_continues_upward():
    history = monthly(1_000_000 + 50_000 * np.arange(24))
    mean = forecast_monthly(history, 12)["mean"].to_numpy()
    assert mean[0] > history.iloc[-1]
    assert (np.diff(mean) > 0).all()
    assert mean[-1] > mean[0] + 50_000


# ── index handling ──────────────────────────────────────────────────────────────────────────

def test_period_index_in_period_index_out_right_after_the_history():
    history = pd.Series([300_000, 500_000, 800_000],
                        index=pd.period_range("2026-09", "2026-11", freq="M"))
    result = forecast_monthly(history, 5)
    assert isinstance(result.index, pd.PeriodIndex)
    assert result.index.freqstr.startswith("M")
    assert list(result.index) == list(pd.period_range("2026-12", periods=5, freq="M"))


def test_month_start_timestamps_in_month_start_timestamps_out():
    history = pd.Series([300_000.0] * 14, index=pd.date_range("2025-10-01", periods=14, freq="MS"))
    result = forecast_monthly(history, 4)
    assert isinstance(result.index, pd.DatetimeIndex)
    assert list(result.index) == [pd.Timestamp("2026-12-01"), pd.Timestamp("2027-01-01"),
                                  pd.Timestamp("2027-02-01"), pd.Timestamp("2027-03-01")]
    assert (result.index.day == 1).all()


@pytest.mark.parametrize("horizon", [1, 6, 12, 24])
def test_horizon_gives_that_many_months(horizon):
    result = forecast_monthly(monthly(np.linspace(1e5, 2e6, 20)), horizon)
    assert len(result) == horizon
    assert_band(result)


def test_missing_months_count_as_zero_and_order_does_not_matter():
    full = monthly([500_000, 0, 0, 700_000, 600_000, 0, 900_000, 800_000], start="2025-03")
    gappy = full[full > 0].iloc[::-1]  # zeros left out, newest first
    pd.testing.assert_frame_equal(forecast_monthly(gappy, 6), forecast_monthly(full, 6))


def test_integer_krw_amounts_are_accepted():
    history = monthly(np.array([0, 120_000, 450_000, 2_000_000, 3_100_000, 1_500_000], dtype="int64"))
    assert_band(forecast_monthly(history, 3))


# ── zeros and short histories ───────────────────────────────────────────────────────────────

@pytest.mark.parametrize("months", [1, 2, 3, 5, 6, 7, 13])
@pytest.mark.parametrize("with_prior", [False, True])
def test_short_histories_do_not_crash(months, with_prior):
    values = np.resize([100_000, 0, 350_000], months)
    result = forecast_monthly(monthly(values), 12, prior=load_prior() if with_prior else None)
    assert len(result) == 12
    assert_band(result)
    assert (result["upper"] > result["mean"]).all()  # a few months say little: a real band


def test_one_month_forecasts_that_month_with_a_wide_band():
    result = forecast_monthly(monthly([800_000]), 3)
    assert result["mean"].to_numpy() == pytest.approx(800_000)
    assert (result["upper"] - result["lower"] >= 0.5 * 800_000).all()


@pytest.mark.parametrize("months", [1, 6, 30])
def test_all_zero_history_forecasts_zeros(months):
    result = forecast_monthly(monthly([0] * months), 6, prior=load_prior())
    assert (result.to_numpy() == 0).all()


def test_months_that_are_always_empty_stay_near_empty():
    index = pd.period_range("2022-01", periods=48, freq="M")
    values = np.where(index.month <= 6, 0, 2_000_000)
    result = forecast_monthly(pd.Series(values, index=index), 12)
    assert_band(result)
    h1 = result["mean"][result.index.month <= 6]
    h2 = result["mean"][result.index.month > 6]
    assert (h1 < 1_000).all()
    assert h2.to_numpy() == pytest.approx(2_000_000, rel=0.05)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(st.one_of(st.just(0), st.integers(0, 5_000_000)), min_size=1, max_size=60),
       horizon=st.integers(1, 18), with_prior=st.booleans())
def test_band_is_always_ordered_and_non_negative(values, horizon, with_prior):
    result = forecast_monthly(monthly(values), horizon, prior=load_prior() if with_prior else None)
    assert len(result) == horizon
    assert_band(result)


# ── the prior ───────────────────────────────────────────────────────────────────────────────

def test_prior_file_is_an_editable_estimate_with_a_source():
    data = load("season_prior.toml")
    assert data["confirmed"] is False and data["year"] == 2026
    assert HANGUL.search(data["note"]) and data["source"]
    prior = load_prior()
    assert list(prior.index) == list(range(1, 13))
    assert prior.mean() == pytest.approx(1.0)
    assert prior[2] < 1 < prior[9]  # lean first half, busy second half


def test_prior_may_be_given_as_dict_series_or_list():
    history = monthly([400_000, 900_000, 1_300_000, 700_000, 600_000, 1_000_000, 1_200_000, 500_000])
    prior = load_prior()
    expected = forecast_monthly(history, 12, prior=prior)
    for other in (prior.tolist(), prior.to_dict(), {"indices": (prior * 3).tolist()}, tuple(prior)):
        pd.testing.assert_frame_equal(forecast_monthly(history, 12, prior=other), expected)


def test_short_history_follows_the_prior_shape():
    history = monthly([600_000, 500_000, 700_000, 550_000, 650_000, 600_000, 620_000, 580_000], start="2025-03")
    result = forecast_monthly(history, 12, prior=load_prior())  # 2025-11 .. 2026-10
    mean = result["mean"]
    assert mean[pd.Period("2026-09", "M")] > 2 * mean[pd.Period("2026-02", "M")]
    prior = load_prior()
    ratios = mean.to_numpy() / prior[result.index.month].to_numpy()
    assert ratios == pytest.approx(ratios[0], rel=0.15)  # level × the prior's shape
    flat = forecast_monthly(history, 12)["mean"]
    assert flat[pd.Period("2026-09", "M")] == pytest.approx(flat[pd.Period("2026-02", "M")], rel=0.05)


def test_long_own_history_outweighs_the_prior():
    rng = np.random.default_rng(7)
    history = monthly(1_500_000 * SPRING[np.arange(48) % 12] * rng.lognormal(0, 0.05, 48), start="2022-01")
    mean = forecast_monthly(history, 12, prior=load_prior())["mean"].to_numpy()  # Jan..Dec 2026
    shape = mean / mean.mean()
    prior = load_prior().to_numpy()
    assert np.abs(shape - SPRING).mean() < np.abs(shape - prior).mean() / 2
    assert mean[2] > mean[8]  # March (own peak) above September (the prior's peak)


# ── no collapse ─────────────────────────────────────────────────────────────────────────────

def test_a_fall_that_levelled_out_is_not_forecast_to_run_on_to_zero():
    # 3,000,000 falling to 300,000 over 16 months, then 20 months around 300,000 (M1's MND21–23 shape)
    rng = np.random.default_rng(5)
    history = monthly(np.r_[np.linspace(3e6, 3e5, 16), 3e5 * rng.lognormal(0, 0.1, 20)])
    result = forecast_monthly(history, 12)
    assert_band(result)
    assert (result["mean"] >= 0.8 * history.min()).all()
    assert (result["mean"] <= 1.2 * history.iloc[-12:].mean()).all()


@pytest.mark.parametrize("months", [12, 24, 36])
def test_a_steep_fall_stops_at_the_lowest_month(months):
    history = monthly(np.linspace(2_000_000, 200_000, months))  # the trend would cross 0 within a year
    mean = forecast_monthly(history, 12)["mean"].to_numpy()
    assert mean == pytest.approx(np.full(12, 200_000), rel=0.02)


def test_a_history_that_ends_in_empty_months_may_still_forecast_near_zero():
    history = monthly(np.r_[np.full(12, 1_000_000), np.zeros(12)])
    mean = forecast_monthly(history, 6)["mean"].to_numpy()
    assert (mean < 50_000).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(st.integers(10_000, 5_000_000), min_size=6, max_size=23), horizon=st.integers(1, 18))
def test_a_history_without_empty_months_never_goes_below_its_lowest_month(values, horizon):
    mean = forecast_monthly(monthly(values), horizon)["mean"].to_numpy()  # under 24 months: no season
    assert (mean >= min(values) * (1 - 1e-9)).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(st.integers(10_000, 5_000_000), min_size=24, max_size=60), with_prior=st.booleans())
def test_a_seasonal_history_without_empty_months_is_never_forecast_near_zero(values, with_prior):
    mean = forecast_monthly(monthly(values), 12, prior=load_prior() if with_prior else None)["mean"].to_numpy()
    assert (mean > 0.05 * min(values)).all()


# ── the band ────────────────────────────────────────────────────────────────────────────────

def test_80_percent_band_holds_about_80_percent_of_the_truth():
    rng = np.random.default_rng(2024)
    pattern = load_prior().to_numpy()
    months, horizon, series = 36, 12, 200
    inside = np.zeros((series, horizon))
    for i in range(series):
        t = np.arange(months + horizon)
        level = rng.uniform(3e5, 3e6) * np.exp(rng.normal(0, 0.01) * t)
        noise = rng.uniform(0.05, 0.3)
        y = level * pattern[(t + 5) % 12] * rng.lognormal(0, noise, len(t))
        history = monthly(y[:months], start="2022-06")
        result = forecast_monthly(history, horizon)
        truth = y[months:]
        inside[i] = (truth >= result["lower"].to_numpy()) & (truth <= result["upper"].to_numpy())
    assert 0.76 <= inside.mean() <= 0.88
    by_horizon = inside.mean(axis=0)
    assert by_horizon.min() >= 0.7 and by_horizon.max() <= 0.93


@pytest.mark.parametrize("months", [24, 36])
def test_band_holds_about_80_percent_when_the_level_wanders(months):
    # a random-walk level: errors grow with the horizon faster than on a steady level
    rng = np.random.default_rng(11)
    inside = []
    for _ in range(200):
        y = 1e6 * np.exp(np.cumsum(rng.normal(0, 0.08, months + 12))) * rng.lognormal(0, 0.1, months + 12)
        result = forecast_monthly(monthly(y[:months]), 12)
        inside.append((y[months:] >= result["lower"].to_numpy()) & (y[months:] <= result["upper"].to_numpy()))
    inside = np.array(inside)
    assert 0.72 <= inside.mean() <= 0.88
    assert inside[:, -1].mean() >= 0.68  # a year out as well as next month


def test_band_is_wider_for_a_history_whose_level_wanders():
    rng = np.random.default_rng(4)
    noise = rng.lognormal(0, 0.1, 36)
    steady = monthly(1e6 * noise)
    wandering = monthly(1e6 * np.exp(np.cumsum(rng.normal(0, 0.08, 36))) * noise)
    def relative_width(history):
        r = forecast_monthly(history, 12)
        return ((r["upper"] - r["lower"]) / r["mean"]).to_numpy()
    assert relative_width(wandering)[-1] > 1.2 * relative_width(steady)[-1]


def test_band_widens_with_the_horizon_on_a_noisy_series():
    rng = np.random.default_rng(3)
    result = forecast_monthly(monthly(1_000_000 * rng.lognormal(0, 0.3, 30)), 12)
    width = (result["upper"] - result["lower"]).to_numpy()
    assert width[-1] >= width[0]


# ── simulated futures ───────────────────────────────────────────────────────────────────────

def seasonal_history(months=30, noise=0.2, seed=1):
    rng = np.random.default_rng(seed)
    return monthly(1_000_000 * load_prior().to_numpy()[np.arange(months) % 12] * rng.lognormal(0, noise, months),
                   start="2024-01")


@pytest.mark.parametrize("with_prior", [False, True])
def test_simulated_quantiles_are_the_band(with_prior):
    history = seasonal_history()
    prior = load_prior() if with_prior else None
    band = forecast_monthly(history, 12, prior=prior)
    paths = simulate(history, 12, 20_000, seed=5, prior=prior)
    assert paths.shape == (20_000, 12) and paths.dtype == np.float64
    assert (paths >= 0).all()
    q10, q50, q90 = np.quantile(paths, [0.1, 0.5, 0.9], axis=0)
    width = (band["upper"] - band["lower"]).to_numpy()
    assert np.abs(q10 - band["lower"].to_numpy()).max() < 0.03 * width.max()
    assert np.abs(q50 - band["mean"].to_numpy()).max() < 0.03 * width.max()
    assert np.abs(q90 - band["upper"].to_numpy()).max() < 0.03 * width.max()


def test_simulate_is_reproducible_and_seeded():
    history = seasonal_history()
    first = simulate(history, 6, 50, seed=3)
    np.testing.assert_array_equal(first, simulate(history, 6, 50, seed=3))
    assert not np.array_equal(first, simulate(history, 6, 50, seed=4))


def test_simulated_months_move_together():
    paths = simulate(seasonal_history(), 12, 5_000, seed=0)
    corr = np.corrcoef(paths[:, 0], paths[:, 11])[0, 1]
    assert 0.02 < corr < 0.95  # one level carries through the year; months are not copies
    # so a half-year's total is wider than independent months would make it
    total = paths[:, :6].sum(axis=1)
    independent = np.sqrt((paths[:, :6].var(axis=0)).sum())
    assert total.std() > independent


def test_simulate_short_zero_and_bad_inputs():
    assert (simulate(monthly([0, 0, 0]), 4, 10) == 0).all()
    one = simulate(monthly([800_000]), 3, 4_000)
    assert np.median(one, axis=0) == pytest.approx(800_000, rel=0.05)
    with pytest.raises(ValueError, match=HANGUL):
        simulate(monthly([100_000] * 6), 0)
    with pytest.raises(ValueError, match=HANGUL):
        simulate(monthly([100_000] * 6), 3, n=0)


# ── errors ──────────────────────────────────────────────────────────────────────────────────

def test_empty_history_is_a_korean_value_error():
    with pytest.raises(ValueError, match=HANGUL):
        forecast_monthly(pd.Series([], dtype=float, index=pd.PeriodIndex([], freq="M")), 12)


def test_negative_amount_is_a_korean_value_error():
    with pytest.raises(ValueError, match=HANGUL):
        forecast_monthly(monthly([100_000, -5, 200_000]), 3)


@pytest.mark.parametrize("horizon", [0, -1, 1.5])
def test_horizon_below_one_is_a_value_error(horizon):
    with pytest.raises(ValueError, match=HANGUL):
        forecast_monthly(monthly([100_000] * 6), horizon)


@pytest.mark.parametrize("prior", [[1.0] * 11, [1.0] * 11 + [-1.0], {"a": 1}])
def test_malformed_prior_is_a_korean_value_error(prior):
    with pytest.raises(ValueError, match=HANGUL):
        forecast_monthly(monthly([100_000] * 6), 3, prior=prior)


def test_index_that_is_not_months_is_a_korean_value_error():
    with pytest.raises(ValueError, match=HANGUL):
        forecast_monthly(pd.Series([1.0, 2.0], index=["가", "나"]), 3)


def test_a_forecast_asked_again_is_the_same_and_a_copy():
    history = pd.Series([100_000.0 + 10_000 * (m % 12) for m in range(30)],
                        index=pd.period_range("2024-01", periods=30, freq="M"))
    prior = load_prior()
    first = forecast_monthly(history, 6, prior=prior)
    first.loc[first.index[0], "mean"] = -1.0  # the caller's copy: the kept result stays as it was
    again = forecast_monthly(history, 6, prior=prior)
    assert again.loc[again.index[0], "mean"] > 0
    pd.testing.assert_frame_equal(again, forecast_monthly(history.copy(), 6, prior=prior.copy()))
    changed = history.copy()
    changed.iloc[-1] += 1
    assert not forecast_monthly(changed, 6, prior=prior).equals(again)  # other values: forecast again
