"""The benchmark's scores (benchmarks/forecast.py) on hand-worked numbers; the peers need no install here."""
import numpy as np
import pytest

from benchmarks.forecast import (OURS, collapsed, coverage, mase_scale, msis, peer_summary, read_peers, score,
                                 seasonal_naive, seasonal_naive_band, smape, verdict)


def test_smape_is_the_m3_definition():
    # 200·|100−110|/210 = 9.5238…, 200·|50−40|/90 = 22.222…, both zero → 0
    assert smape(np.array([100.0, 50.0, 0.0]), np.array([110.0, 40.0, 0.0])) == pytest.approx((9.523809 + 22.222222 + 0) / 3)


def test_mase_scale_is_the_seasonal_naive_in_sample_error():
    history = np.r_[np.arange(12.0), np.arange(12.0) + 3]
    assert mase_scale(history) == 3.0
    assert mase_scale(np.r_[np.full(12, 5.0), np.full(12, 5.0)]) == 0.0
    flat_season = np.tile([1.0, 2.0], 12)  # lag-12 errors are all 0: falls back to the lag-1 naive
    assert mase_scale(flat_season) == 1.0


def test_msis_is_width_plus_ten_times_the_miss_over_the_scale():
    actual = np.array([10.0, 25.0, 3.0])
    lower = np.array([8.0, 8.0, 8.0])
    upper = np.array([12.0, 12.0, 12.0])
    # widths 4 each; misses: 0, 25−12 = 13 above, 8−3 = 5 below; 2/0.2 = 10
    expected = (4 + (4 + 10 * 13) + (4 + 10 * 5)) / 3 / 2.0
    assert msis(actual, lower, upper, scale=2.0) == pytest.approx(expected)
    assert coverage(actual, lower, upper) == pytest.approx(1 / 3)
    assert coverage(np.array([8.0, 12.0]), np.array([8.0, 8.0]), np.array([12.0, 12.0])) == 1.0  # ends inside


def test_score_without_a_band_has_no_interval_figures():
    history = np.r_[np.arange(12.0), np.arange(12.0) + 3]  # scale 3
    out = score(np.full(3, 30.0), history, np.full(3, 27.0))
    assert out["mase"] == pytest.approx(1.0)
    assert np.isnan(out["coverage"]) and np.isnan(out["msis"])
    with_band = score(np.full(3, 30.0), history, np.full(3, 27.0), np.full(3, 25.0), np.full(3, 29.0))
    assert with_band["coverage"] == 0.0
    assert with_band["msis"] == pytest.approx((4 + 10 * 1) / 3)


def test_seasonal_naive_repeats_the_last_year():
    assert seasonal_naive(np.arange(24.0), 14).tolist() == [*range(12, 24), 12, 13]


def test_seasonal_naive_band_widens_each_year_and_stops_at_zero():
    history = np.r_[np.full(12, 100.0), np.full(12, 110.0)]  # lag-12 errors all 10: σ = 10
    mean, lower, upper = seasonal_naive_band(history, 24)
    assert mean.tolist() == [110.0] * 24
    z = 1.2815515655446004
    assert upper[:12] == pytest.approx(110 + z * 10)
    assert upper[12:] == pytest.approx(110 + z * 10 * np.sqrt(2))
    _, low, _ = seasonal_naive_band(np.r_[np.full(12, 100.0), np.full(12, 5.0)], 3)
    assert (low == 0).all()


def test_collapse_counts_near_zero_months_only_for_histories_without_an_empty_month():
    assert collapsed(np.array([50.0, 40.0, 30.0]), np.array([20.0, 2.9, 0.0])) == 2  # under 10% of 30
    assert collapsed(np.array([50.0, 0.0, 30.0]), np.array([0.0, 0.0])) == 0


def test_peers_file_is_read_per_series_and_averaged_over_this_runs_series(tmp_path):
    path = tmp_path / "peers-m3-24.csv"
    path.write_text("# made by benchmarks/peers.py, statsforecast 9.9\n"
                    "series,method,smape,mase,coverage,msis,ms,note\n"
                    "N1,AutoETS,10,1.0,0.75,4,20,\n"
                    "N2,AutoETS,20,,0.5,,30,fallback\n"
                    "N3,AutoETS,90,9,0,90,10,\n"
                    "N1,SCUM,8,0.8,1,3,100,\n", encoding="utf-8")
    header, by_method = read_peers(path)
    assert header == "made by benchmarks/peers.py, statsforecast 9.9"
    summary, missing = peer_summary(by_method, ["N1", "N2"])
    assert summary["AutoETS"] == {"smape": 15.0, "mase": 1.0, "coverage": 0.625, "msis": 4.0, "ms": 25.0}
    assert summary["SCUM"]["smape"] == 8.0
    assert missing == 1  # SCUM lacks N2


def test_verdict_names_every_miss():
    ok = {"smape": 10.0, "mase": 0.8, "coverage": 0.80, "msis": 4.0, "ms": 3.0}
    peer = {"smape": 12.0, "mase": 0.9, "coverage": 0.70, "msis": 5.0, "ms": 9.0}
    no_band = {**peer, "coverage": np.nan, "msis": np.nan}
    summary = {24: {OURS: ok, "seasonal naive": peer, "AutoETS": peer, "Theta": no_band,
                    "SCUM": {**peer, "mase": 0.7}}}
    assert verdict(summary) == "target missed: MASE vs SCUM at 24 months (0.8000 ≥ 0.7000)"
    summary[24]["SCUM"] = peer
    assert verdict(summary) == ("target met: better sMAPE, MASE and MSIS than every peer at 24 months, "
                                "80% band covering 78%–82%, < 50 ms per series")
    summary[24][OURS] = {**ok, "coverage": 0.76, "msis": 5.5, "ms": 60.0}
    assert verdict(summary) == ("target missed: MSIS vs seasonal naive at 24 months (5.5000 ≥ 5.0000); "
                                "MSIS vs AutoETS at 24 months (5.5000 ≥ 5.0000); MSIS vs SCUM at 24 months "
                                "(5.5000 ≥ 5.0000); coverage at 24 months (76.0% outside 78%–82%); "
                                "speed at 24 months (60.0 ms ≥ 50 ms)")
