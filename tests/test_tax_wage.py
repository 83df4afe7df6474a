"""The May return for people with a job (issue 10 §1): wage income (근로소득, settled by 연말정산)
plus 3.3% side income, the 총급여-only quick mode, and what one more ₩100,000 costs in May.
Every worked example is computed by hand in its docstring, to the won."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.rates import load
from tracker.tax import (
    WageIncome,
    confirmed_figures,
    estimate_annual,
    marginal_cost,
    wage_deduction,
    wage_from_salary,
    wage_tax_credit,
    withhold,
)

RECEIPT = WageIncome(taxable_base=30_000_000, determined_tax=1_500_000)


def test_the_issue_example_to_the_won():
    """2024: 연말정산 과세표준 30,000,000, 결정세액 1,500,000; 3.3% income 12,000,000 (withheld 360,000 + 36,000).
    경비      12,000,000 × 64.1% = 7,692,000               → 사업소득금액 4,308,000
    과세표준  30,000,000 + 4,308,000                      = 34,308,000 (no second 기본공제)
    산출세액  34,308,000 × 15% − 1,260,000                 = 3,886,200
    공제      (30,000,000 × 15% − 1,260,000) − 1,500,000  = 3,240,000 − 1,500,000 = 1,740,000 (kept)
    결정세액  3,886,200 − 1,740,000                        = 2,146,200 (no 표준세액공제)
    기납부    1,500,000 + 360,000 = 1,860,000              → 소득세 −286,200 (to pay)
    지방      2,146,200 × 10% = 214,620; 기납부 150,000 + 36,000 = 186,000 → −28,620
    """
    w = withhold(12_000_000, "business", date(2024, 12, 10))
    assert (w.income_tax, w.local_tax) == (360_000, 36_000)
    e = estimate_annual(2024, 12_000_000, w.income_tax, w.local_tax, wage=RECEIPT)
    assert e.income_amount == 4_308_000
    assert e.taxable_base == 34_308_000
    assert e.computed_tax == 3_886_200
    assert e.determined_tax == 2_146_200
    assert e.refund_income_tax == -286_200
    assert e.local_tax == 214_620
    assert e.refund_local_tax == -28_620
    assert e.refund_total == -314_820
    assert (e.expenses, e.deductions, e.tax_credit, e.bracket_rate) == (7_692_000, 0, 1_740_000, Decimal("0.15"))
    assert (e.wage_computed_tax, e.wage_tax_credits, e.wage_determined_tax, e.wage_local_tax) == (
        3_240_000, 1_740_000, 1_500_000, 150_000)
    assert (e.withheld_income_tax, e.withheld_local_tax) == (360_000, 36_000)  # the 3.3% as given
    assert (e.prepaid_income_tax, e.prepaid_local_tax) == (1_860_000, 186_000)
    assert e.has_wage and e.wage == RECEIPT
    text = " ".join(e.assumptions)
    assert "연말정산을 마친 근로소득과 이 사업소득" in text
    assert "연말정산 과세표준 30,000,000원에 사업소득금액 4,308,000원을 더한 34,308,000원" in text
    assert "다시 빼지 않았습니다" in text
    assert "세액공제·감면 1,740,000원(연말정산 과세표준에 대한 산출세액 3,240,000원 − 결정세액 1,500,000원)" in text
    assert "근로소득세액공제를 종합소득 중 근로소득의 비율로 다시 계산" in text
    assert "표준세액공제(7만 원)는 더하지 않습니다" in text
    assert "연말정산 결정세액 1,500,000원과 원천징수 소득세 360,000원의 합계 1,860,000원" in text
    assert "150,000원과 원천징수 지방소득세 36,000원의 합계 186,000원" in text
    # Today's page (no wage) promised money back on the same side income:
    alone = estimate_annual(2024, 12_000_000, 360_000, 36_000)
    assert (alone.refund_income_tax, alone.refund_local_tax) == (261_520, 26_152)


def test_typed_credits_replace_the_derived_ones():
    """Same inputs, 세액공제·감면 typed as 1,800,000 (the receipt's total):
    결정 3,886,200 − 1,800,000 = 2,086,200 → 1,860,000 − 2,086,200 = −226,200;
    지방 208,620 → 186,000 − 208,620 = −22,620."""
    same = estimate_annual(2024, 12_000_000, 360_000, 36_000, wage=WageIncome(30_000_000, 1_500_000, 1_740_000))
    assert same.refund_total == -314_820
    e = estimate_annual(2024, 12_000_000, 360_000, 36_000, wage=WageIncome(30_000_000, 1_500_000, tax_credits=1_800_000))
    assert (e.tax_credit, e.determined_tax, e.refund_income_tax, e.local_tax, e.refund_local_tax) == (
        1_800_000, 2_086_200, -226_200, 208_620, -22_620)
    assert "입력한 세액공제·감면 합계" in " ".join(e.assumptions)


def test_wages_alone_settle_to_nothing():
    """No side income: the combined return is the 연말정산 again — 30,000,000 → 산출 3,240,000 − 1,740,000
    = 1,500,000, all prepaid; 지방 150,000, all prepaid."""
    e = estimate_annual(2024, 0, 0, 0, wage=RECEIPT)
    assert (e.taxable_base, e.computed_tax, e.determined_tax, e.local_tax, e.refund_income_tax,
            e.refund_local_tax) == (30_000_000, 3_240_000, 1_500_000, 150_000, 0, 0)


def test_credits_above_the_tax_leave_nothing_to_pay():
    """2024, 연말정산 과세표준 5,000,000, 결정세액 0, credits typed 500,000; side income 1,000,000
    (withheld 30,000 + 3,000): 경비 641,000, 소득 359,000, 과세표준 5,359,000, 산출 321,540;
    결정 max(0, 321,540 − 500,000) = 0 (공제 applied 321,540) → everything withheld comes back."""
    e = estimate_annual(2024, 1_000_000, 30_000, 3_000, wage=WageIncome(5_000_000, 0, tax_credits=500_000))
    assert (e.taxable_base, e.computed_tax, e.tax_credit, e.determined_tax, e.local_tax) == (
        5_359_000, 321_540, 321_540, 0, 0)
    assert (e.refund_income_tax, e.refund_local_tax) == (30_000, 3_000)


def test_a_determined_tax_above_its_computed_tax_is_reported():
    """과세표준 1,000,000 gives 산출 60,000 (2025); a typed 결정세액 of 100,000 cannot come from it:
    credits 0, said so. Side income 0: 결정 60,000; 기납부 100,000 → +40,000; 지방 6,000 vs 10,000 → +4,000."""
    e = estimate_annual(2025, 0, 0, 0, wage=WageIncome(1_000_000, 100_000))
    assert (e.wage_tax_credits, e.determined_tax, e.refund_income_tax, e.refund_local_tax) == (0, 60_000, 40_000, 4_000)
    assert any("입력값을 확인하세요" in a for a in e.assumptions)


def test_dependents_are_not_deducted_twice():
    e = estimate_annual(2024, 12_000_000, 360_000, 36_000, dependents=2, wage=RECEIPT)
    assert (e.deductions, e.taxable_base, e.refund_total) == (0, 34_308_000, -314_820)
    assert any("부양가족 2명도 연말정산에 들어 있다고" in a for a in e.assumptions)


def test_an_explicit_expense_rate_works_with_wages():
    """2025, 경비율 60%: 12,000,000 → 경비 7,200,000, 소득 4,800,000; 과세표준 34,800,000;
    산출 34,800,000 × 15% − 1,260,000 = 3,960,000; 공제 1,740,000 → 결정 2,220,000;
    1,860,000 − 2,220,000 = −360,000; 지방 222,000 → 186,000 − 222,000 = −36,000."""
    e = estimate_annual(2025, 12_000_000, 360_000, 36_000, expense_rate=Decimal("0.6"), wage=RECEIPT)
    assert (e.income_amount, e.taxable_base, e.computed_tax, e.determined_tax, e.refund_income_tax,
            e.refund_local_tax) == (4_800_000, 34_800_000, 3_960_000, 2_220_000, -360_000, -36_000)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((30_000_000.0, 1_500_000), TypeError),
        ((30_000_000, True), TypeError),
        ((30_000_000, 1_500_000, 1.5), TypeError),
        ((-1, 0), ValueError),
        ((0, -1), ValueError),
        ((0, 0, -1), ValueError),
    ],
)
def test_wage_income_validates_its_ints(args, error):
    with pytest.raises(error):
        WageIncome(*args)


def test_wage_income_is_frozen_and_the_estimate_refuses_other_types():
    with pytest.raises(AttributeError):
        RECEIPT.taxable_base = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        estimate_annual(2024, 0, 0, 0, wage=(30_000_000, 1_500_000))  # type: ignore[arg-type]


@given(income=st.integers(0, 200_000_000), step=st.integers(1, 5_000_000),
       base=st.integers(0, 150_000_000), determined=st.integers(0, 20_000_000))
@settings(max_examples=60, deadline=None)
def test_with_wages_the_estimate_is_consistent(income, step, base, determined):
    wage = WageIncome(base, determined)
    e = estimate_annual(2025, income, 0, 0, wage=wage)
    more = estimate_annual(2025, income + step, 0, 0, wage=wage)
    assert e.taxable_base == base + e.income_amount and e.deductions == 0
    assert 0 <= e.tax_credit <= e.computed_tax and e.determined_tax == e.computed_tax - e.tax_credit
    assert e.refund_income_tax == e.prepaid_income_tax - e.determined_tax
    assert e.refund_local_tax == e.prepaid_local_tax - e.local_tax
    assert e.local_tax == e.determined_tax // 10 and e.wage_local_tax == determined // 10
    assert more.determined_tax >= e.determined_tax


# ── What one more ₩100,000 costs in May ─────────────────────────────────────────────────────────

def test_marginal_cost_with_wages():
    """The issue example plus 100,000 of 3.3% income (withheld 3,000 + 300):
    경비 12,100,000 × 64.1% = 7,756,100 → 소득 4,343,900; 과세표준 34,343,900;
    산출 34,343,900 × 15% − 1,260,000 = 3,891,585; 결정 3,891,585 − 1,740,000 = 2,151,585; 지방 215,158.
    기납부 1,863,000 / 186,300 → 소득세 −288,585, 지방 −28,858, total −317,443.
    Before: −314,820. The May return asks 317,443 − 314,820 = 2,623 more; with the 3,300 withheld at
    payment the extra 100,000 costs 5,923 (16.5% of its 35,900 소득금액, won dropped)."""
    cost = marginal_cost(2024, 12_000_000, 360_000, 36_000, wage=RECEIPT)
    assert cost == 2_623
    assert cost + withhold(100_000, "business", date(2024, 12, 31)).total == 5_923
    assert marginal_cost(2024, 12_000_000, 360_000, 36_000, wage=RECEIPT, extra=100_000) == 2_623


def test_marginal_cost_without_wages_can_be_a_bigger_refund():
    """The seed labeler (2025, 18,436,370; withheld 553,080 + 55,300), plus 100,000:
    경비 18,536,370 × 64.1% = 11,881,813 → 소득 6,654,557; 과세표준 5,154,557; 산출 309,273; 결정 239,273;
    지방 23,927; 기납부 556,080 / 55,600 → 환급 316,807 + 31,673 = 348,480 (before: 347,550).
    In the 6% bracket the May refund grows by 930: the 3,300 withheld exceeds the 2,370 of tax."""
    assert marginal_cost(2025, 18_436_370, 553_080, 55_300) == -930


def test_marginal_cost_of_a_larger_extra():
    """2025, no wage, 수입 40,000,000 (withheld 1,200,000 + 120,000), extra 1,000,000 (30,000 + 3,000):
    before: 경비 25,640,000, 소득 14,360,000, 과세표준 12,860,000, 산출 771,600, 결정 701,600, 지방 70,160,
            환급 498,400 + 49,840 = 548,240.
    after:  경비 25,640,000 + 497,000 = 26,137,000, 소득 14,863,000, 과세표준 13,363,000, 산출 801,780,
            결정 731,780, 지방 73,178, 환급 498,220 + 49,822 = 548,042.
    cost 548,240 − 548,042 = 198."""
    assert marginal_cost(2025, 40_000_000, 1_200_000, 120_000, extra=1_000_000) == 198
    with pytest.raises(ValueError):
        marginal_cost(2025, 0, 0, 0, extra=-1)


# ── Quick mode: 총급여 alone ──────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(
    ("salary", "deduction"),
    [
        (0, 0), (1, 0), (5_000_000, 3_500_000), (10_000_000, 5_500_000), (15_000_000, 7_500_000),
        (40_000_000, 11_250_000), (45_000_000, 12_000_000), (100_000_000, 14_750_000),
        (150_000_000, 15_750_000), (362_500_000, 20_000_000), (400_000_000, 20_000_000),
    ],
)
def test_wage_deduction_table(salary, deduction):
    # 5,000,000 × 70%; 3,500,000 + 40% over 5M; 7,500,000 + 15% over 15M; 12,000,000 + 5% over 45M;
    # 14,750,000 + 2% over 100M; at most 20,000,000 (reached at 362,500,000).
    assert wage_deduction(salary, 2024) == deduction


@pytest.mark.parametrize(
    ("computed", "salary", "credit"),
    [
        (1_000_000, 30_000_000, 550_000),     # 55%
        (1_300_000, 30_000_000, 715_000),     # 55% of 1,300,000, under the 740,000 limit
        (2_000_000, 33_000_000, 740_000),     # 715,000 + 210,000 = 925,000 → limit 740,000
        (2_827_500, 40_000_000, 684_000),     # limit 740,000 − 7,000,000 × 0.008 = 684,000
        (3_000_000, 50_000_000, 660_000),     # 740,000 − 136,000 = 604,000 → floor 660,000
        (5_000_000, 70_100_000, 610_000),     # 660,000 − 100,000 × 1/2 = 610,000
        (9_000_000, 80_000_000, 500_000),     # 660,000 − 5,000,000 → floor 500,000
        (31_022_500, 150_000_000, 200_000),   # 500,000 − 15,000,000 → floor 200,000
        (333, 20_000_000, 183),               # 183.15, won dropped
    ],
)
def test_wage_tax_credit(computed, salary, credit):
    assert wage_tax_credit(computed, salary, 2024) == credit


def test_wage_from_salary_40m():
    """2024, 총급여 40,000,000:
    근로소득공제 7,500,000 + 25,000,000 × 15% = 11,250,000 → 근로소득금액 28,750,000
    기본공제 1,500,000 → 과세표준 27,250,000; 산출 27,250,000 × 15% − 1,260,000 = 2,827,500
    근로소득세액공제 715,000 + 1,527,500 × 30% = 1,173,250 → limit 684,000; 표준세액공제 130,000
    공제 814,000 → 결정세액 2,013,500.
    With 12,000,000 of 3.3% income: 과세표준 31,558,000, 산출 3,473,700, 결정 2,659,700,
    기납부 2,373,500 → −286,200; 지방 265,970 vs 201,350 + 36,000 → −28,620."""
    wage = wage_from_salary(40_000_000, 2024)
    assert (wage.taxable_base, wage.determined_tax, wage.tax_credits, wage.total_salary) == (
        27_250_000, 2_013_500, 814_000, 40_000_000)
    notes = " ".join(wage.notes)
    assert "근로소득공제 11,250,000원 → 근로소득금액 28,750,000원" in notes
    assert "근로소득세액공제 684,000원과 표준세액공제 130,000원" in notes
    assert "국민연금·건강보험료 공제" in notes
    for what in ("근로소득공제 표", "근로소득세액공제", "근로소득자 표준세액공제"):
        assert f"확인되지 않은 값 — {what}" in notes  # flagged like the module's other unconfirmed figures
    e = estimate_annual(2024, 12_000_000, 360_000, 36_000, wage=wage)
    assert (e.taxable_base, e.computed_tax, e.determined_tax, e.refund_income_tax, e.local_tax,
            e.refund_local_tax) == (31_558_000, 3_473_700, 2_659_700, -286_200, 265_970, -28_620)
    assert set(wage.notes) <= set(e.assumptions)


def test_wage_from_salary_small_and_large():
    """10,000,000: 공제 5,500,000 → 4,500,000 − 1,500,000 = 3,000,000; 산출 180,000; 세액공제 99,000 + 130,000
    = 229,000 → capped at 180,000 → 결정 0.
    150,000,000: 공제 15,750,000 → 134,250,000 − 1,500,000 = 132,750,000; 산출 × 35% − 15,440,000 = 31,022,500;
    근로소득세액공제 limit 200,000 + 130,000 → 결정 30,692,500.
    1,000,000: 공제 700,000, 소득 300,000 < 기본공제 → 과세표준 0, 세액 0."""
    small = wage_from_salary(10_000_000, 2024)
    assert (small.taxable_base, small.determined_tax, small.tax_credits) == (3_000_000, 0, 180_000)
    big = wage_from_salary(150_000_000, 2024)
    assert (big.taxable_base, big.determined_tax, big.tax_credits) == (132_750_000, 30_692_500, 330_000)
    tiny = wage_from_salary(1_000_000, 2024)
    assert (tiny.taxable_base, tiny.determined_tax, tiny.tax_credits) == (0, 0, 0)
    with pytest.raises(ValueError):
        wage_from_salary(-1, 2024)
    with pytest.raises(TypeError):
        wage_from_salary(40_000_000.0, 2024)


def test_wage_from_salary_before_the_data_says_which_year_it_used():
    """2019 is before every entry: the 2021 wage figures and the 2021–2022 brackets apply.
    과세표준 27,250,000 (as in 2024); 산출 27,250,000 × 15% − 1,080,000 = 3,007,500;
    근로소득세액공제 715,000 + 1,707,500 × 30% = 1,227,250 → limit 684,000; + 130,000 = 814,000 → 결정 2,193,500."""
    wage = wage_from_salary(40_000_000, 2019)
    assert (wage.taxable_base, wage.determined_tax, wage.tax_credits) == (27_250_000, 2_193_500, 814_000)
    notes = " ".join(wage.notes)
    assert "2019년 귀속 근로소득공제 표이(가) data/wage_income.toml에 없어 가장 가까운 연도의 값을 썼습니다 (2021년 값 적용)" in notes
    assert "2019년 귀속 기본공제이(가) data/income_tax.toml에 없어" in notes


def test_wage_data_file_entries_carry_year_source_and_confirmed_flag():
    data = load("wage_income.toml")
    for key in ("deduction", "tax_credit", "standard_tax_credit"):
        for e in data[key]:
            assert isinstance(e["from_year"], int) and e["source"] and isinstance(e["confirmed"], bool)
            if not e["confirmed"]:
                assert e["note"]
    checked = confirmed_figures(2025)
    assert (checked["wage_deduction"], checked["wage_tax_credit"], checked["wage_standard_tax_credit"]) == (
        False, False, False)
