"""The May-return estimate, its data files, and withholding round trips (DOMAIN.md: Withholding,
Annual return, Minimum hourly wage). Every worked example is computed by hand in the comments."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tracker.rates import load
from tracker.schedule import shift_to_business_day
from tracker.tax import (
    AnnualEstimate,
    Bracket,
    bookkeeping_warnings,
    brackets_for,
    confirmed_figures,
    estimate_annual,
    fallback_notes,
    filing_deadline,
    gross_from_net,
    income_tax_on,
    minimum_wage,
    minimum_wage_note,
    other_income_separate_limit,
    simple_expense_rates,
    withhold,
)

FAST = settings(max_examples=60, deadline=None)


def fields(e: AnnualEstimate) -> tuple:
    return (e.expenses, e.income_amount, e.deductions, e.taxable_base, e.computed_tax, e.tax_credit,
            e.determined_tax, e.local_tax, e.refund_income_tax, e.refund_local_tax, e.refund_total)


# ── Worked examples ───────────────────────────────────────────────────────────────────────────

def test_seed_labeler_2025():
    # 수입 18,436,370 (the seed post's total), withheld 553,080 + 55,300 over many payments.
    # 경비   18,436,370 × 0.641 = 11,817,713.17       → 11,817,713
    # 소득   18,436,370 − 11,817,713                  = 6,618,657
    # 공제   1,500,000 × 1                            → 과세표준 5,118,657
    # 산출   5,118,657 × 6% = 307,119.42              → 307,119
    # 결정   307,119 − 70,000                         = 237,119
    # 지방   237,119 × 10% = 23,711.9                 → 23,711
    # 환급   553,080 − 237,119 = 315,961;  55,300 − 23,711 = 31,589;  total 347,550
    e = estimate_annual(2025, 18_436_370, 553_080, 55_300)
    assert fields(e) == (11_817_713, 6_618_657, 1_500_000, 5_118_657, 307_119, 70_000,
                         237_119, 23_711, 315_961, 31_589, 347_550)
    assert (e.year, e.business_income, e.withheld_income_tax, e.withheld_local_tax) == (2025, 18_436_370, 553_080, 55_300)
    assert (e.expense_rate_basic, e.expense_rate_excess, e.expense_rate_used) == (Decimal("0.641"), Decimal("0.497"), None)
    assert e.bracket_rate == Decimal("0.06")
    text = " ".join(e.assumptions)
    assert "원 미만을 버렸습니다" in text  # rounding is stated
    assert "2025년 단순경비율" in text and "2020–21 고시 기준" in text  # unconfirmed rate named
    assert "표준세액공제" in text and "조문" in text  # unconfirmed credit named
    assert "24,000,000원" in text


def test_income_above_the_expense_threshold_uses_both_rates():
    # 2024, 수입 52,345,678; withheld as withhold() gives: 1,570,370 + 157,030.
    # 경비   40,000,000 × 0.641 + 12,345,678 × 0.497 = 25,640,000 + 6,135,801.966 → 31,775,801
    # 소득   52,345,678 − 31,775,801 = 20,569,877;  과세표준 20,569,877 − 1,500,000 = 19,069,877
    # 산출   19,069,877 × 15% − 1,260,000 = 2,860,481.55 − 1,260,000 → 1,600,481
    # 결정   1,530,481;  지방 153,048.1 → 153,048
    # 환급   1,570,370 − 1,530,481 = 39,889;  157,030 − 153,048 = 3,982;  total 43,871
    w = withhold(52_345_678, "business", date(2024, 12, 10))
    assert (w.income_tax, w.local_tax) == (1_570_370, 157_030)
    e = estimate_annual(2024, 52_345_678, w.income_tax, w.local_tax)
    assert fields(e) == (31_775_801, 20_569_877, 1_500_000, 19_069_877, 1_600_481, 70_000,
                         1_530_481, 153_048, 39_889, 3_982, 43_871)
    assert e.bracket_rate == Decimal("0.15")


def test_dependents_in_2021_with_confirmed_rates():
    # 2021 (2021–22 table), 수입 30,000,000, withheld 900,000 + 90,000, 부양가족 2명.
    # 경비 19,230,000;  소득 10,770,000;  공제 1,500,000 × 3 = 4,500,000 → 과세표준 6,270,000
    # 산출 376,200;  결정 306,200;  지방 30,620
    # 환급 593,800 + 59,380 = 653,180
    e = estimate_annual(2021, 30_000_000, 900_000, 90_000, dependents=2)
    assert fields(e) == (19_230_000, 10_770_000, 4_500_000, 6_270_000, 376_200, 70_000,
                         306_200, 30_620, 593_800, 59_380, 653_180)
    text = " ".join(e.assumptions)
    assert "3명(본인 + 부양가족 2명)" in text
    assert "2021년 단순경비율" not in text  # 2021's expense rate is a confirmed one
    assert "2021년 귀속분부터" in text


def test_explicit_expense_rate():
    # 2023, 수입 33,333,333, withheld 999,990 + 99,990, 경비율 0.6 (given as a float).
    # 경비 33,333,333 × 0.6 = 19,999,999.8 → 19,999,999;  소득 13,333,334;  과세표준 11,833,334
    # 산출 11,833,334 × 6% = 710,000.04 → 710,000;  결정 640,000;  지방 64,000
    # 환급 359,990 + 35,990 = 395,980
    e = estimate_annual(2023, 33_333_333, 999_990, 99_990, expense_rate=0.6)
    assert fields(e) == (19_999_999, 13_333_334, 1_500_000, 11_833_334, 710_000, 70_000,
                         640_000, 64_000, 359_990, 35_990, 395_980)
    assert (e.expense_rate_basic, e.expense_rate_excess, e.expense_rate_used) == (None, None, Decimal("0.6"))
    assert "입력한 경비율 60%" in " ".join(e.assumptions)


def test_standard_credit_above_computed_tax_gives_everything_back():
    # 2026, 수입 6,000,000, withheld 180,000 + 18,000.
    # 경비 3,846,000;  소득 2,154,000;  과세표준 654,000;  산출 39,240
    # 세액공제 min(70,000, 39,240) = 39,240 → 결정 0, 지방 0 → 환급 180,000 + 18,000
    e = estimate_annual(2026, 6_000_000, 180_000, 18_000)
    assert fields(e) == (3_846_000, 2_154_000, 1_500_000, 654_000, 39_240, 39_240, 0, 0,
                         180_000, 18_000, 198_000)


def test_income_below_the_deductions_has_a_zero_base():
    # 수입 3,000,000: 경비 1,923,000, 소득 1,077,000 < 1,500,000 → 과세표준 0, 세액 0.
    e = estimate_annual(2025, 3_000_000, 90_000, 9_000)
    assert (e.taxable_base, e.computed_tax, e.tax_credit, e.determined_tax, e.refund_total) == (0, 0, 0, 0, 99_000)
    assert e.bracket_rate == Decimal("0.06")


def test_money_to_pay_is_a_negative_refund():
    # 2025, 수입 100,000,000, 경비율 0.2: 경비 20,000,000, 소득 80,000,000, 과세표준 78,500,000
    # 산출 78,500,000 × 24% − 5,760,000 = 13,080,000;  결정 13,010,000;  지방 1,301,000
    # 3,000,000 − 13,010,000 = −10,010,000;  300,000 − 1,301,000 = −1,001,000
    e = estimate_annual(2025, 100_000_000, 3_000_000, 300_000, expense_rate=0.2)
    assert (e.determined_tax, e.local_tax, e.refund_income_tax, e.refund_local_tax, e.refund_total) == (
        13_010_000, 1_301_000, -10_010_000, -1_001_000, -11_011_000)
    assert e.bracket_rate == Decimal("0.24")


def test_income_above_75m_says_the_simple_rate_does_not_really_apply():
    e = estimate_annual(2025, 80_000_000, 2_400_000, 240_000)
    assert any("75,000,000원 이상" in a for a in e.assumptions)


# ── Brackets ──────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(
    ("year", "base", "tax"),
    [
        # 2021–2022: at each upper bound, one won above (the fraction is dropped) and 100 won above.
        (2022, 0, 0), (2022, 1, 0), (2022, 17, 1),
        (2022, 12_000_000, 720_000), (2022, 12_000_001, 720_000), (2022, 12_000_100, 720_015),
        (2022, 46_000_000, 5_820_000), (2022, 46_000_001, 5_820_000), (2022, 46_000_100, 5_820_024),
        (2022, 88_000_000, 15_900_000), (2022, 88_000_001, 15_900_000), (2022, 88_000_100, 15_900_035),
        (2022, 150_000_000, 37_600_000), (2022, 150_000_100, 37_600_038),
        (2022, 300_000_000, 94_600_000), (2022, 300_000_100, 94_600_040),
        (2022, 500_000_000, 174_600_000), (2022, 500_000_100, 174_600_042),
        (2022, 1_000_000_000, 384_600_000), (2022, 1_000_000_001, 384_600_000), (2022, 1_000_000_100, 384_600_045),
        (2021, 46_000_000, 5_820_000),
        # 2023 on.
        (2023, 14_000_000, 840_000), (2023, 14_000_001, 840_000), (2023, 14_000_100, 840_015),
        (2023, 50_000_000, 6_240_000), (2023, 50_000_001, 6_240_000), (2023, 50_000_100, 6_240_024),
        (2023, 88_000_000, 15_360_000), (2023, 88_000_100, 15_360_035),
        (2023, 150_000_000, 37_060_000), (2023, 150_000_100, 37_060_038),
        (2023, 300_000_000, 94_060_000), (2023, 300_000_100, 94_060_040),
        (2023, 500_000_000, 174_060_000), (2023, 500_000_100, 174_060_042),
        (2023, 1_000_000_000, 384_060_000), (2023, 1_000_000_100, 384_060_045),
        (2026, 50_000_000, 6_240_000),
        # Between tables: 2022 and 2023 differ on the same base.
        (2022, 14_000_000, 1_020_000), (2023, 12_000_000, 720_000),
    ],
)
def test_income_tax_on(year, base, tax):
    assert income_tax_on(base, year) == tax


@pytest.mark.parametrize("year", [2021, 2023])
def test_bracket_tables_are_continuous(year):
    rows = brackets_for(year)
    assert rows[-1].upper is None and all(b.upper is not None for b in rows[:-1])
    for low, high in zip(rows, rows[1:]):
        # At the bound, the lower formula and the upper formula give the same tax.
        assert low.upper * low.rate - low.progressive_deduction == low.upper * high.rate - high.progressive_deduction
        assert high.rate > low.rate


def test_bracket_tables_by_year():
    old, new = brackets_for(2021), brackets_for(2023)
    assert brackets_for(2022) == old and brackets_for(2024) == brackets_for(2030) == new
    assert old[0] == Bracket(12_000_000, Decimal("0.06"), 0)
    assert new[1] == Bracket(50_000_000, Decimal("0.15"), 1_260_000)
    assert [b.rate for b in new] == [Decimal(r) for r in ("0.06", "0.15", "0.24", "0.35", "0.38", "0.40", "0.42", "0.45")]


def test_simple_expense_rates():
    r = simple_expense_rates(2021)
    assert (r.basic, r.excess, r.threshold, r.confirmed, r.note) == (Decimal("0.641"), Decimal("0.497"), 40_000_000, True, "")
    later = simple_expense_rates(2025)
    assert (later.basic, later.excess, later.confirmed) == (Decimal("0.641"), Decimal("0.497"), False)
    assert "미확인" in later.note and later.source


@given(income=st.integers(0, 300_000_000), step=st.integers(1, 5_000_000), dependents=st.integers(0, 4))
@FAST
def test_estimate_is_monotonic_and_consistent(income, step, dependents):
    e = estimate_annual(2025, income, 0, 0, dependents=dependents)
    more = estimate_annual(2025, income + step, 0, 0, dependents=dependents)
    more_people = estimate_annual(2025, income, 0, 0, dependents=dependents + 1)
    assert 0 <= e.expenses <= e.business_income and e.income_amount == e.business_income - e.expenses
    assert e.taxable_base == max(0, e.income_amount - e.deductions)
    assert 0 <= e.tax_credit <= e.computed_tax and e.determined_tax == e.computed_tax - e.tax_credit >= 0
    assert e.local_tax == e.determined_tax // 10
    assert e.refund_total == -(e.determined_tax + e.local_tax)
    assert more.determined_tax >= e.determined_tax >= more_people.determined_tax


# ── Other figures ─────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(
    ("income_year", "deadline"),
    [
        (2020, date(2021, 5, 31)),  # Monday
        (2021, date(2022, 5, 31)),  # Tuesday (the 6-01 local election comes after)
        (2022, date(2023, 5, 31)),  # Wednesday
        (2023, date(2024, 5, 31)),  # Friday
        (2024, date(2025, 6, 2)),   # Saturday 5-31 → Monday 6-02
        (2025, date(2026, 6, 1)),   # Sunday 5-31 → Monday 6-01
        (2026, date(2027, 5, 31)),  # Monday
        (2030, date(2031, 6, 2)),   # Saturday 5-31 → Monday 6-02
    ],
)
def test_filing_deadline(income_year, deadline):
    assert filing_deadline(income_year) == deadline


@pytest.mark.parametrize(
    ("day", "business_day"),
    [
        (date(2022, 6, 1), date(2022, 6, 2)),  # 전국동시지방선거 (Wednesday)
        (date(2025, 6, 3), date(2025, 6, 4)),  # 대통령선거 (Tuesday)
        (date(2023, 5, 27), date(2023, 5, 30)),  # 부처님오신날 Saturday, 대체공휴일 Monday 5-29
        (date(2026, 6, 1), date(2026, 6, 1)),
    ],
)
def test_public_holidays_move_the_day(day, business_day):
    assert shift_to_business_day(day, "next") == business_day


def test_minimum_wage():
    assert [minimum_wage(y) for y in range(2021, 2027)] == [8_720, 9_160, 9_620, 9_860, 10_030, 10_320]
    assert [minimum_wage_note(y) for y in range(2021, 2027)] == [""] * 6
    # A year outside the file gets the nearest year's wage, labelled (no LookupError).
    assert (minimum_wage(2019), minimum_wage_note(2019)) == (8_720, "(2021년 값 적용)")
    assert (minimum_wage(2020), minimum_wage_note(2020)) == (8_720, "(2021년 값 적용)")
    assert (minimum_wage(2027), minimum_wage_note(2027)) == (10_320, "(2026년 값 적용)")
    assert (minimum_wage(2040), minimum_wage_note(2040)) == (10_320, "(2026년 값 적용)")


def test_bookkeeping_warnings():
    assert bookkeeping_warnings(None, 20_000_000) == []
    assert bookkeeping_warnings(23_999_999, 74_999_999) == []
    near = bookkeeping_warnings(24_000_000, 10_000_000)  # only some sources' threshold
    assert "24,000,000원" in near[0] and "확인" in near[0]
    over = bookkeeping_warnings(36_000_000, 10_000_000)
    assert "단순경비율을 쓸 수 없습니다" in over[0] and "기준경비율" in over[0] and "24,000,000원" in over[0]
    both = bookkeeping_warnings(50_000_000, 75_000_000)
    assert any("75,000,000원 이상" in w and "장부" in w for w in both)
    assert any("확인되지 않은 값" in w for w in both)  # the thresholds are unconfirmed in the data file


def test_years_before_the_data_use_the_nearest_year_and_say_so():
    """2019 is before every entry: the 2021 table (2020 expense rates) applies, labelled "(YYYY년 값 적용)".
    수입 10,000,000, withheld 300,000 + 30,000, 2019:
    경비 6,410,000 (2020 rates); 소득 3,590,000; 과세표준 2,090,000; 산출 125,400 (2021 table, 6%);
    결정 55,400; 지방 5,540; 환급 244,600 + 24,460."""
    e = estimate_annual(2019, 10_000_000, 300_000, 30_000)
    assert fields(e) == (6_410_000, 3_590_000, 1_500_000, 2_090_000, 125_400, 70_000, 55_400, 5_540,
                         244_600, 24_460, 269_060)
    text = " ".join(e.assumptions)
    assert "2019년 귀속 종합소득세 세율표이(가) data/income_tax.toml에 없어 가장 가까운 연도의 값을 썼습니다 (2021년 값 적용)" in text
    assert "2019년 귀속 단순경비율이 data/expense_rates.toml에 없어 가장 가까운 연도의 값을 썼습니다 (2020년 값 적용)" in text
    assert "기본공제" in text and text.count("(2021년 값 적용)") == 4  # brackets, 기본공제, 표준세액공제, 지방소득세율
    assert income_tax_on(1_000_000, 2020) == 60_000 and brackets_for(2019) == brackets_for(2021)
    r = simple_expense_rates(2019)
    assert (r.basic, r.excess, r.confirmed, r.fallback_note) == (Decimal("0.641"), Decimal("0.497"), True, "(2020년 값 적용)")
    assert simple_expense_rates(2020).fallback_note == ""
    assert fallback_notes(2019) == {
        "brackets": "(2021년 값 적용)", "basic_deduction": "(2021년 값 적용)", "standard_tax_credit": "(2021년 값 적용)",
        "local_income_tax": "(2021년 값 적용)", "expense_rates": "(2020년 값 적용)", "minimum_wage": "(2021년 값 적용)",
        "wage_deduction": "(2021년 값 적용)", "wage_tax_credit": "(2021년 값 적용)",
        "wage_standard_tax_credit": "(2021년 값 적용)",
    }
    assert confirmed_figures(2019)["brackets"] is True


def test_years_after_the_data_keep_the_last_period_and_the_minimum_wage_says_so():
    """The tax files hold periods ("from this year on"): 2040 is in the 2023 period, no note. The
    minimum wage is one figure per year: 2040 borrows 2026's, with the note."""
    assert brackets_for(2040) == brackets_for(2023)
    assert simple_expense_rates(2040).fallback_note == ""
    e = estimate_annual(2040, 10_000_000, 300_000, 30_000)
    assert "값 적용)" not in " ".join(e.assumptions) and "2023년 귀속분부터" in " ".join(e.assumptions)
    assert fallback_notes(2040) == {key: ("(2026년 값 적용)" if key == "minimum_wage" else "")
                                    for key in fallback_notes(2019)}


def test_withholding_before_the_data_uses_the_first_rule_and_says_so():
    w = withhold(45_000, "business", date(2019, 5, 1))
    assert (w.income_tax, w.local_tax, w.note) == (1_350, 130, "(2021년 값 적용)")
    assert withhold(33_333, "business", date(2019, 5, 1)).total == 0  # 2021's 소액부징수 applies
    assert withhold(45_000, "business", date(2040, 1, 1)).note == ""  # in the 2024-07-01 period
    assert withhold(1_000_000, "other", date(2019, 1, 1)).note == "(2021년 값 적용)"
    assert withhold(200_000, "daily", date(2018, 12, 31)).note == "(2019년 값 적용)"
    assert withhold(500_000, "none", date(2019, 1, 1)).note == ""
    assert gross_from_net(43_520, "business", date(2019, 5, 1)) == [44_990, 45_000]
    assert other_income_separate_limit(2019) == 3_000_000


@pytest.mark.parametrize(
    "call",
    [
        lambda: estimate_annual(2025, -1, 0, 0),
        lambda: estimate_annual(2025, 1, -1, 0),
        lambda: estimate_annual(2025, 1, 0, -1),
        lambda: estimate_annual(2025, 1, 0, 0, dependents=-1),
        lambda: estimate_annual(2025, 1, 0, 0, expense_rate=-0.1),
        lambda: estimate_annual(2025, 1, 0, 0, expense_rate=1.5),
        lambda: estimate_annual(2025, 1, 0, 0, expense_rate=float("nan")),
        lambda: income_tax_on(-1, 2025),
        lambda: bookkeeping_warnings(-1, 0),
        lambda: bookkeeping_warnings(None, -1),
    ],
)
def test_negative_inputs_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_non_integer_money_is_refused():
    with pytest.raises(TypeError):
        estimate_annual(2025, 1_000_000.0, 0, 0)
    with pytest.raises(TypeError):
        income_tax_on(True, 2025)


def test_data_files_carry_sources_and_notes():
    entries = [
        *[(f, e) for f in ("income_tax.toml",) for key in ("brackets", "basic_deduction", "standard_tax_credit",
                                                            "local_income_tax") for e in load(f)[key]],
        *[("expense_rates.toml", e) for e in load("expense_rates.toml")["simple_rates"]],
        ("expense_rates.toml", load("expense_rates.toml")["thresholds"]),
        *[("minimum_wage.toml", e) for e in load("minimum_wage.toml")["hourly"]],
        *[("wage_income.toml", e) for key in ("deduction", "tax_credit", "standard_tax_credit")
          for e in load("wage_income.toml")[key]],
        *[("withholding.toml", e) for e in load("withholding.toml")["daily"]],
    ]
    for name, e in entries:
        assert e["source"], name
        assert isinstance(e["confirmed"], bool), name
        if not e["confirmed"]:
            assert e["note"], name
    assert not load("income_tax.toml")["standard_tax_credit"][0]["confirmed"]
    assert not load("expense_rates.toml")["thresholds"]["confirmed"]


# ── Withholding round trips (property-based) ──────────────────────────────────────────────────

# (kind, paid_on, share kept at most, preimages lie within [(net − 21) / keep, net / keep] or at net)
KINDS = [
    ("business", date(2024, 6, 30), Decimal("0.967")),  # 소액부징수 still applies
    ("business", date(2024, 7, 1), Decimal("0.967")),
    ("other", date(2025, 1, 1), Decimal("0.912")),
    ("none", date(2025, 1, 1), Decimal(1)),
]
kinds = st.sampled_from(KINDS)


@given(gross=st.integers(0, 200_000_000), rule=kinds)
@example(gross=33_333, rule=KINDS[0]).via("last tax-free business payment")
@example(gross=33_334, rule=KINDS[0]).via("first taxed business payment")
@example(gross=125_000, rule=KINDS[2]).via("기타소득금액 exactly 50,000")
@example(gross=125_001, rule=KINDS[2]).via("first taxed other income")
@example(gross=0, rule=KINDS[1])
@FAST
def test_gross_from_net_finds_every_gross(gross, rule):
    kind, paid_on, _ = rule
    w = withhold(gross, kind, paid_on)
    found = gross_from_net(w.net, kind, paid_on)
    assert gross in found
    assert found == sorted(set(found))
    assert all(withhold(g, kind, paid_on).net == w.net for g in found)
    # Never more than the nominal rate (floors to 10 KRW only lower it).
    if kind == "business":
        assert w.total * 1000 <= gross * 33
    elif kind == "other":
        assert w.total * 1000 <= gross * 88
    else:
        assert w.total == 0


@given(start=st.integers(0, 200_000_000), rule=kinds)
@settings(max_examples=25, deadline=None)
@example(start=32_000, rule=KINDS[0])
@example(start=114_000, rule=KINDS[2])
def test_gross_from_net_is_complete_in_a_window(start, rule):
    """Withhold every gross of a window, then ask for nets whose every possible gross lies inside
    it: gross_from_net must give exactly the grosses seen — and [] for a net none of them reached."""
    kind, paid_on, keep = rule
    width = 400
    seen: dict[int, set[int]] = {}
    for g in range(start, start + width + 1):
        seen.setdefault(withhold(g, kind, paid_on).net, set()).add(g)
    low, high = int(start * keep) + 40, int((start + width) * keep)
    for net in range(low, high + 1, 7):
        expected = set(seen.get(net, set()))
        if withhold(net, kind, paid_on).net == net:  # a tax-free payment keeps its gross
            expected.add(net)
        assert gross_from_net(net, kind, paid_on) == sorted(expected)


@given(gross=st.integers(0, 200_000_000), rule=kinds)
@FAST
def test_net_never_skips_a_won(gross, rule):
    """One more won of gross adds at most one won of net (the tax never falls), so from 0 upwards
    every net is reached: the only nets with no gross are negative ones."""
    kind, paid_on, _ = rule
    assert withhold(gross + 1, kind, paid_on).net - withhold(gross, kind, paid_on).net <= 1


@pytest.mark.parametrize("rule", KINDS)
def test_unreachable_nets_give_an_empty_list(rule):
    kind, paid_on, _ = rule
    reached = {withhold(g, kind, paid_on).net for g in range(0, 40_000)}
    # Scan for gaps below the largest net reached: there are none (see test_net_never_skips_a_won) …
    top = max(reached)
    gaps = [n for n in range(top) if n not in reached]
    assert gaps == []
    # … so the nets no gross reaches are the negative ones.
    for net in (-1, -10, -1_000_000):
        assert gross_from_net(net, kind, paid_on) == []


def test_other_income_limit_and_local_rate_come_from_the_data_files():
    assert other_income_separate_limit(2026) == 3_000_000
    estimate = estimate_annual(2026, 10_000_000, 300_000, 30_000)
    assert estimate.local_tax_rate == Decimal("0.10")
    assert estimate.local_tax == estimate.determined_tax // 10


def test_a_2019_work_entry_no_longer_crashes_the_ledger_pages(engine, project_id):
    """Issue 10 §7: one work entry dated 2019 used to raise LookupError in 대시보드, 수입 and 예측 (no
    withholding rule, no minimum wage for 2019). Now the 2021 figures apply. 2,000 × 50 = 100,000 of
    2019-03 work, paid by the company's terms in 2019-04: 100,000 − 3,000 − 300 = 96,700."""
    from tracker import ledger, queries
    from tracker.cashflow import cash_flow
    from tracker.income import earned_by_month, hours_by_month
    from tracker.receivables import receivables

    today = date(2026, 11, 22)
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2019, 3, 14), "minutes": 60,
                                   "items_submitted": 2_000})
    owed = receivables(engine, today)
    assert owed[["source", "expected_net", "outstanding"]].values.tolist() == [["unbilled", 96_700, 96_700]]
    assert earned_by_month(engine)["net"].sum() == 96_700
    assert hours_by_month(engine)["minimum_wage"].tolist() == [8_720]  # 2021's, labelled by minimum_wage_note
    cash_flow(engine, today)
    queries.dashboard(engine, today)


def test_the_rates_helper_picks_the_nearest_entry_and_labels_it():
    from tracker.rates import Lookup, applied_note, for_date, for_year

    periods = [{"from_year": 2021, "v": 1}, {"from_year": 2023, "v": 2}]
    assert for_year(periods, 2022, what="세율표") == Lookup(periods[0], 2021, "")
    assert for_year(periods, 2040) == Lookup(periods[1], 2023, "")  # the last period stays in force
    assert for_year(periods, 2019) == Lookup(periods[0], 2021, "(2021년 값 적용)")
    assert for_year(periods, 2019).fallback and not for_year(periods, 2022).fallback
    yearly = [{"year": 2021, "v": 1}, {"year": 2023, "v": 3}, {"year": 2026, "v": 6}]
    assert for_year(yearly, 2023, "year", periods=False) == Lookup(yearly[1], 2023, "")
    assert for_year(yearly, 2022, "year", periods=False) == Lookup(yearly[1], 2023, "(2023년 값 적용)")  # tie: later
    assert for_year(yearly, 2025, "year", periods=False).note == "(2026년 값 적용)"
    assert for_year(yearly, 2040, "year", periods=False).note == "(2026년 값 적용)"
    assert for_year(yearly, 2019, "year", periods=False).note == "(2021년 값 적용)"
    dated = [{"from": date(2021, 1, 1)}, {"from": date(2024, 7, 1)}]
    assert for_date(dated, date(2024, 6, 30)) == Lookup(dated[0], 2021, "")
    assert for_date(dated, date(2024, 7, 1)).entry is dated[1]
    assert for_date(dated, date(2019, 12, 31)) == Lookup(dated[0], 2021, "(2021년 값 적용)")
    assert applied_note(2026) == "(2026년 값 적용)"
    with pytest.raises(LookupError, match="항목이 하나도 없습니다"):
        for_year([], 2025, what="data/x.toml의 세율표")
    with pytest.raises(TypeError):
        for_year(periods, "2025")
    with pytest.raises(TypeError):
        for_date(dated, 2025)
