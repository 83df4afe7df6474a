"""tracker.plan: the lean-months savings plan, to the won on constructed futures."""
from datetime import date
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from tracker import plan
from tracker.forecast import simulate

TODAY = date(2026, 11, 22)
MONTHS = pd.period_range("2026-11", "2027-06", freq="M")  # this month through the last lean month
COMPANY = SimpleNamespace(name="크라우드웍스", pay_months_after=1, pay_day=10, pay_shift="next",
                          withholding_kind="business")


def test_need_is_the_largest_running_deficit_not_the_total():
    # Spending 60 a month against 100, 50, 0: short 30 by the third month.
    assert plan.need(np.array([[100, 50, 0]]), 60).tolist() == [30]
    # Short 100 in the first month, even though the second month makes it up.
    assert plan.need(np.array([[0, 200]]), 100).tolist() == [100]
    assert plan.need(np.array([[500, 500]]), 100).tolist() == [0]


@pytest.mark.parametrize("today, saving, lean", [
    (date(2026, 11, 22), ["2026-11", "2026-12"], ["2027-01", "2027-06"]),
    (date(2026, 7, 1), ["2026-07", "2026-12"], ["2027-01", "2027-06"]),
    (date(2027, 3, 5), [], ["2027-03", "2027-06"]),
    (date(2027, 6, 30), [], ["2027-06", "2027-06"]),
])
def test_windows_save_until_december_and_cover_january_to_june(today, saving, lean):
    saving_months, lean_months = plan.windows(today)
    assert ([str(saving_months[0]), str(saving_months[-1])] == saving) if saving else saving_months.size == 0
    assert [str(lean_months[0]), str(lean_months[-1])] == lean


def test_default_spend_is_the_median_month_of_the_last_year_to_the_thousand():
    net = pd.Series([5_000_000] + [800_400] * 6 + [900_600] * 6,
                    index=pd.period_range("2025-10", periods=13, freq="M"))
    assert plan.default_spend(net) == 851_000  # (800,400 + 900,600) / 2 = 850,500 → ₩851,000; October 2025 is out
    assert plan.default_spend(pd.Series(dtype="int64")) == 0


def ten_futures() -> np.ndarray:
    """Future i lands ₩1,000,000 in each of November and December and is short ₩100,000 × i in January."""
    cash = np.full((10, len(MONTHS)), 1_000_000.0)
    cash[:, 2] -= np.arange(10) * 100_000
    return cash


def test_the_plan_covers_eight_futures_in_ten():
    result = plan.savings_plan(ten_futures(), MONTHS, TODAY, 1_000_000)
    # Needs ₩0, ₩100,000, …, ₩900,000: the 80th percentile is ₩720,000, the 50th ₩450,000, the 90th ₩810,000.
    assert (result.save, result.half, result.high) == (720_000, 450_000, 810_000)
    assert (result.incoming, result.lean_income) == (2_000_000, 5_550_000)
    assert result.sentence() == "1–6월에 매달 ₩1,000,000를 쓰려면 지금부터 들어오는 돈의 ₩720,000(약 36%)를 따로 두세요."
    assert result.range_sentence() == ("10번 중 8번은 이 돈이면 6월까지 모자라지 않습니다. 절반의 경우엔 ₩450,000면 되고, "
                                       "10번 중 9번을 대비하려면 ₩810,000입니다.")
    assert result.basis_sentence().startswith("12월까지 들어올 돈은 약 ₩2,000,000, 1–6월에 들어올 돈은 약 ₩5,550,000입니다")
    assert "지금 가진 돈은 알 수 없어 0원에서 시작한다고 셈했습니다" in result.basis_sentence()


def test_the_plan_rounds_a_need_up_to_the_thousand():
    cash = np.full((1, len(MONTHS)), 1_000_000.0)
    cash[0, 2] = 1_000_000 - 1_234_001 + 1_000_000  # short ₩234,001 in January
    result = plan.savings_plan(cash, MONTHS, TODAY, 1_000_000)
    assert (result.save, result.half, result.high) == (235_000, 235_000, 235_000)


def test_enough_income_needs_nothing_and_too_little_says_so():
    rich = plan.savings_plan(np.full((3, len(MONTHS)), 2_000_000.0), MONTHS, TODAY, 1_000_000)
    assert rich.save == 0 and rich.range_sentence() == ""
    assert rich.sentence() == "1–6월에 매달 ₩1,000,000를 써도 그달그달 들어오는 돈으로 충분할 것으로 보입니다(10번 중 8번)."
    cash = np.zeros((1, len(MONTHS)))
    cash[0, :2] = 500_000
    poor = plan.savings_plan(cash, MONTHS, TODAY, 1_000_000)
    assert poor.save == 6_000_000
    assert poor.sentence() == ("1–6월에 매달 ₩1,000,000를 쓰려면 필요한 돈(₩6,000,000)이 12월까지 들어올 돈(약 ₩1,000,000)보다 "
                               "많습니다: 쓰는 돈을 줄이거나 모아 둔 돈으로 채워야 합니다.")


def test_inside_the_lean_months_the_plan_draws_on_savings():
    months = pd.period_range("2027-03", "2027-06", freq="M")
    result = plan.savings_plan(np.full((1, 4), 700_000.0), months, date(2027, 3, 5), 1_000_000)
    assert result.save == 1_200_000 and result.share is None
    assert result.sentence() == "3–6월에 매달 ₩1,000,000를 쓰려면 모아 둔 돈 가운데 ₩1,200,000는 남겨 두세요(10번 중 8번은 이만큼이면 충분합니다)."


def history() -> pd.Series:
    return pd.Series(1_000_000, index=pd.period_range("2025-11", "2026-10", freq="M"), dtype="int64")


def test_lean_plan_moves_simulated_work_to_pay_months_after_withholding():
    """Work of month m lands on the 10th of m+1 less 3.3%; this month counts above what is earned so far;
    money owed lands when expected (overdue: now)."""
    seen = {}

    def flat(history, horizon, n, *, seed, prior):
        seen.update(horizon=horizon, n=n, seed=seed, last=str(history.index[-1]))
        return np.full((n, horizon), 1_000_000.0)

    owed = pd.DataFrame({"expected_date": [date(2026, 11, 10), date(2027, 2, 10)], "outstanding": [500_000, 300_000]})
    result = plan.lean_plan(history(), TODAY, 1_000_000, mix=[(1.0, COMPANY)], owed=owed, so_far=400_000,
                            simulate=flat, n=50)
    assert seen == {"horizon": 8, "n": 50, "seed": 0, "last": "2026-10"}  # November 2026 through June 2027
    # Money in: Nov ₩500,000 (overdue), Dec ₩600,000 × 0.967 = ₩580,200, Jan–Jun ₩967,000 (+ ₩300,000 in Feb).
    # Spending ₩1,000,000 from January: short ₩33,000 in January, ahead from February on.
    assert (result.save, result.half, result.high) == (33_000, 33_000, 33_000)
    assert (result.incoming, result.lean_income) == (1_080_000, 6_102_000)
    assert result.sentence() == "1–6월에 매달 ₩1,000,000를 쓰려면 지금부터 들어오는 돈의 ₩33,000(약 3%)를 따로 두세요."


def test_landing_matrix_follows_each_company_and_its_withholding():
    other = SimpleNamespace(name="에이모", pay_months_after=2, pay_day=25, pay_shift="next", withholding_kind="none")
    work = pd.period_range("2026-11", periods=2, freq="M")
    matrix = plan.landing_matrix([(0.75, COMPANY), (0.25, other)], work, MONTHS)
    assert matrix.shape == (2, 8)
    assert matrix[0, 1] == pytest.approx(0.75 * 0.967) and matrix[0, 2] == pytest.approx(0.25)  # Dec 10, Jan 25
    assert matrix[1, 2] == pytest.approx(0.75 * 0.967) and matrix[1, 3] == pytest.approx(0.25)  # Jan 11 (the 10th is a Sunday), Feb 25
    assert matrix.sum() == pytest.approx(2 * (0.75 * 0.967 + 0.25))


def test_company_mix_uses_the_last_twelve_months():
    earned = pd.DataFrame({"month": pd.to_datetime(["2025-10-01", "2026-01-01", "2026-10-01", "2026-10-01"]),
                           "company": ["에이모", "크라우드웍스", "크라우드웍스", "에이모"],
                           "gross": [9_000_000, 300_000, 300_000, 200_000]})
    companies = pd.DataFrame([{"name": "크라우드웍스", "pay_months_after": 1, "pay_day": 10, "pay_shift": "next",
                               "withholding_kind": "business"},
                              {"name": "에이모", "pay_months_after": 2, "pay_day": 31, "pay_shift": "next",
                               "withholding_kind": "none"}])
    mix = plan.company_mix(earned, companies, TODAY)
    assert [(round(share, 4), row.name) for share, row in mix] == [(0.25, "에이모"), (0.75, "크라우드웍스")]


def test_no_history_or_no_company_gives_no_plan():
    owed = pd.DataFrame(columns=["expected_date", "outstanding"])
    assert plan.lean_plan(pd.Series(dtype="int64"), TODAY, 1, mix=[(1.0, COMPANY)], owed=owed) is None
    assert plan.lean_plan(history() * 0, TODAY, 1, mix=[(1.0, COMPANY)], owed=owed) is None
    assert plan.lean_plan(history(), TODAY, 1, mix=[], owed=owed) is None


def test_lean_plan_on_the_forecasters_futures_is_reproducible_and_ordered():
    """The real simulated futures (seed 0): the same plan every time, half ≤ 8 in 10 ≤ 9 in 10, and to the won
    the 80th percentile of the need computed from those futures here."""
    seasonal = history() * [1.5, 1.6, 0.5, 0.5, 0.6, 0.6, 0.7, 0.8, 1.2, 1.4, 1.6, 1.5]  # November … October
    owed = pd.DataFrame(columns=["expected_date", "outstanding"])
    runs = [plan.lean_plan(seasonal.astype("int64"), TODAY, 1_200_000, mix=[(1.0, COMPANY)], owed=owed)
            for _ in range(2)]
    assert runs[0] == runs[1]
    result = runs[0]
    assert result.paths == 2000 and result.half <= result.save <= result.high
    assert result.save % 1000 == 0 and result.save > 0
    # The same figure straight from the simulated futures: January–June's money is work of December–May.
    paths = simulate(seasonal.astype("int64"), 8, 2000, seed=0)
    cash = paths[:, 1:7] * 0.967
    assert result.save == -(-int(round(float(np.quantile(plan.need(cash, 1_200_000), 0.8)))) // 1000) * 1000


@pytest.mark.parametrize("typed, amount", [("1,500,000", 1_500_000), ("150만", 1_500_000), ("₩900,000원", 900_000)])
def test_read_spend_takes_what_people_type(typed, amount):
    assert plan.read_spend(typed) == amount


@pytest.mark.parametrize("typed, message", [
    ("", "1–6월에 매달 쓸 돈을 적어 주세요."),
    ("많이", "1–6월에 매달 쓸 돈을 읽지 못했습니다. 예: 1,500,000 또는 150만"),
    ("1.5", "1–6월에 매달 쓸 돈을 읽지 못했습니다. 예: 1,500,000 또는 150만"),
    ("0", "1–6월에 매달 쓸 돈은 ₩1부터 ₩100,000,000,000까지입니다."),
    ("1" + "0" * 30, "1–6월에 매달 쓸 돈은 ₩1부터 ₩100,000,000,000까지입니다."),
])
def test_read_spend_refuses_by_name(typed, message):
    with pytest.raises(ValueError) as refused:
        plan.read_spend(typed)
    assert str(refused.value) == message


def test_money_owed_lands_when_expected_overdue_now_and_later_not_at_all():
    owed = pd.DataFrame({"expected_date": [date(2026, 9, 30), date(2026, 12, 10), date(2027, 6, 30), date(2027, 7, 1)],
                         "outstanding": [100, 20, 3, 4_000]})
    assert plan.scheduled_by_month(owed, MONTHS).tolist() == [100, 20, 0, 0, 0, 0, 0, 3]
