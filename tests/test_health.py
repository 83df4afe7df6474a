"""The health-insurance line: exact won amounts for the issue's examples, the meter and its projection."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from tracker import health, ledger
from tracker.rates import load
from tracker.tax import estimate_annual


def test_the_issue_examples():
    kept = health.dependent_check(2025, 13_000_000)
    assert (kept.income_amount, kept.lost, kept.revenue_headroom) == (4_667_000, False, 927_576)
    assert kept.revenue_line == 13_927_576
    lost = health.dependent_check(2025, 14_000_000)
    assert (lost.income_amount, lost.lost, lost.revenue_headroom) == (5_026_000, True, 0)
    assert lost.effective_from == date(2026, 11, 1)
    assert "2026년 5월 종합소득세 신고 뒤 2026년 11월부터" in lost.text
    assert lost.text.startswith("2025년 사업소득 수입 14,000,000원 → 사업소득금액 5,026,000원")


def test_the_headroom_is_the_exact_edge_with_flooring():
    edge = 13_000_000 + 927_576
    assert health.dependent_check(2025, edge).income_amount == 5_000_000  # 5,000,000 is not "over"
    assert not health.dependent_check(2025, edge).lost
    assert health.dependent_check(2025, edge).revenue_headroom == 0
    assert health.dependent_check(2025, edge + 1).income_amount == 5_000_001
    assert health.dependent_check(2025, edge + 1).lost


@pytest.mark.parametrize("revenue", [0, 1, 999, 13_000_000, 13_927_577, 40_000_000, 40_000_001, 123_456_789])
def test_income_amount_is_the_tax_estimate_s(revenue):
    assert health.business_income_amount(2025, revenue) == estimate_annual(2025, revenue, 0, 0).income_amount


def test_with_a_business_registration_any_income_loses_it():
    assert health.dependent_check(2025, 0, registered=True).lost is False
    assert health.dependent_check(2025, 0, registered=True).revenue_headroom == 0
    one = health.dependent_check(2025, 1, registered=True)
    assert (one.income_amount, one.lost) == (1, True)
    assert one.reason == "사업자등록이 있고 사업소득금액이 0원을 넘어"


def test_total_income_over_twenty_million_loses_it():
    # 18,000,000 of other income leaves 2,000,000 of 사업소득금액: 수입 up to 5,571,030.
    check = health.dependent_check(2025, 5_000_000, other_income=18_000_000)
    assert (check.income_amount, check.lost, check.revenue_headroom) == (1_795_000, False, 571_030)
    assert health.business_income_amount(2025, 5_571_030) == 2_000_000
    assert health.business_income_amount(2025, 5_571_031) == 2_000_001
    over = health.dependent_check(2025, 1_000_000, other_income=20_000_000)
    assert over.lost and over.reason == "소득 합계 20,359,000원이(가) 20,000,000원을 넘어"


def test_the_employee_check():
    # 70,000,000: 40,000,000 × 64.1% + 30,000,000 × 49.7% = 40,550,000 of expenses → 29,450,000.
    over = health.employee_check(2025, 70_000_000)
    assert (over.non_wage_income, over.over, over.excess, over.extra_premium_year, over.extra_premium_month) == (
        29_450_000, True, 9_450_000, 670_005, 55_833)
    assert over.premium_rate == Decimal("0.0709") and over.revenue_headroom == 0
    assert over.confirmed is False  # the premium method is an estimate
    under = health.employee_check(2026, 10_000_000)
    assert (under.over, under.premium_rate, under.extra_premium_year) == (False, Decimal("0.0719"), 0)
    assert health.business_income_amount(2026, 10_000_000 + under.revenue_headroom) == 20_000_000
    assert health.business_income_amount(2026, 10_000_000 + under.revenue_headroom + 1) > 20_000_000


def test_a_year_before_the_data_uses_the_nearest_and_says_so():
    old = health.dependent_check(2020, 13_000_000)
    assert old.marker == " (2021년 값 적용)" and old.text.endswith("(2021년 값 적용)")
    assert health.dependent_check(2025, 13_000_000).marker == ""


def test_every_data_entry_has_year_source_and_confirmed():
    data = load(health.HEALTH_FILE)
    for kind in ("dependent", "employee"):
        for entry in data[kind]:
            assert isinstance(entry["year"], int) and entry["source"] and isinstance(entry["confirmed"], bool)
            assert entry["confirmed"] or entry["note"]


@pytest.mark.parametrize(("so_far", "projected", "level"), [
    (5_000_000, 9_000_000, "ok"),
    (9_000_000, 11_142_061, "near"),  # 80% of 13,927,576 = 11,142,060.8
    (9_000_000, 11_142_060, "ok"),
    (9_000_000, 13_927_577, "over_forecast"),
    (14_000_000, 14_500_000, "over"),
])
def test_meter_levels(so_far, projected, level):
    m = health.meter(2025, so_far, projected)
    assert (m.line, m.level) == (13_927_576, level)
    if level == "over":
        assert m.now.lost and m.now.revenue_headroom == 0
    else:
        assert m.now.revenue_headroom == 13_927_576 - so_far


def test_meter_sentence_and_figures():
    m = health.meter(2026, 9_000_000, 12_500_000)
    assert (m.line, m.level, m.now.revenue_headroom, m.forecast.revenue_headroom) == (
        13_927_576, "near", 4_927_576, 1_427_576)
    assert m.sentence == (
        "2026년 사업소득 수입: 지금까지 9,000,000원, 12월까지 예상 12,500,000원. 피부양자 자격을 잃는 선은 수입 "
        "13,927,576원입니다: 12월까지 예상이 선의 90%로 가깝습니다. 남은 여유는 지금까지 기준 수입 4,927,576원, "
        "12월까지 예상대로면 1,427,576원입니다.")
    employee = health.meter(2026, 9_000_000, 12_500_000, employee=True)
    assert employee.level == "ok" and employee.line == health.employee_check(2026, 0).revenue_headroom


def _zero_forecast(history, horizon, prior=None):
    index = pd.period_range(history.index[-1] + 1, periods=horizon, freq="M")
    return pd.DataFrame({"mean": 0.0, "lower": 0.0, "upper": 0.0}, index=index)


def test_project_year_counts_business_income_so_far_and_owed_by_december(engine):
    business = ledger.create_company(engine, {"name": "에이모", "pay_months_after": 1, "pay_day": 10})
    other = ledger.create_company(engine, {"name": "플리토", "withholding_kind": "other"})
    paid = ledger.create_payment(engine, {"company_id": business, "work_month": date(2026, 9, 1), "gross": 1_000_000,
                                          "income_tax": 30_000, "local_tax": 3_000, "net": 967_000})
    ledger.record_deposit(engine, {"payment_id": paid, "received_on": date(2026, 10, 10), "gross": 1_000_000,
                                   "income_tax": 30_000, "local_tax": 3_000, "net": 967_000})
    ledger.create_payment(engine, {"company_id": business, "work_month": date(2026, 11, 1), "gross": 500_000,
                                   "income_tax": 15_000, "local_tax": 1_500, "net": 483_500,
                                   "expected_date": date(2026, 12, 10)})
    ledger.create_payment(engine, {"company_id": business, "work_month": date(2026, 12, 1), "gross": 700_000,
                                   "income_tax": 21_000, "local_tax": 2_100, "net": 676_900,
                                   "expected_date": date(2027, 1, 10)})  # lands next year
    ledger.create_payment(engine, {"company_id": other, "work_month": date(2026, 11, 1), "gross": 100_000,
                                   "income_tax": 8_000, "local_tax": 800, "net": 91_200,
                                   "expected_date": date(2026, 12, 10)})  # 기타소득: not 사업소득
    p = health.project_year(engine, date(2026, 11, 22), forecaster=_zero_forecast)
    assert (p.year, p.so_far, p.scheduled, p.forecast, p.projected) == (2026, 1_000_000, 500_000, 0, 1_500_000)
