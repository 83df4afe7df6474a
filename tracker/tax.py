"""Withholding on payments to freelancers, and the May return (종합소득세) estimate.
Pure functions: no Streamlit, no database.

Rates come from data/withholding.toml. Amounts under 10 KRW are dropped at each step
(국고금관리법 §47), which is what the common calculators do; platforms may differ, so the
ledger stores what was actually withheld and uses these figures only to propose and compare.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal


from tracker.models.enums import WithholdingKind
from tracker.rates import entry_for, load
from tracker.schedule import shift_to_business_day
from tracker.timeutil import today_kst

KINDS = tuple(k.value for k in WithholdingKind)


@dataclass(frozen=True)
class Withholding:
    gross: int
    income_tax: int
    local_tax: int

    @property
    def total(self) -> int:
        return self.income_tax + self.local_tax

    @property
    def net(self) -> int:
        return self.gross - self.total


def floor_10(amount: Decimal | int) -> int:
    """Drop the part under 10 KRW."""
    return int((Decimal(amount) / 10).to_integral_value(rounding=ROUND_FLOOR)) * 10


def _rule(kind: str, paid_on: date) -> dict:
    return entry_for(load("withholding.toml")[kind], paid_on)


def withhold(gross: int, kind: str = "business", paid_on: date | None = None) -> Withholding:
    """Expected income tax and local tax withheld from a payment of `gross` KRW."""
    if isinstance(gross, bool) or not isinstance(gross, int):
        raise TypeError("gross must be an int number of KRW")
    if gross < 0:
        raise ValueError("gross must not be negative")
    if kind not in KINDS:
        raise ValueError(f"unknown withholding kind {kind!r}; expected one of {KINDS}")
    if kind == WithholdingKind.NONE:
        return Withholding(gross, 0, 0)
    rule = _rule(kind, paid_on or today_kst())
    base = Decimal(gross)
    if kind == WithholdingKind.OTHER:
        base = Decimal(other_income_amount(gross, paid_on or today_kst()))
        if base <= rule["tax_free_income_up_to"]:
            return Withholding(gross, 0, 0)
    income_tax = floor_10(base * Decimal(rule["income_tax_rate"]))
    if income_tax < rule["exempt_below"]:
        return Withholding(gross, 0, 0)
    local_tax = floor_10(Decimal(income_tax) * Decimal(rule["local_tax_rate"]))
    return Withholding(gross, income_tax, local_tax)


def other_income_amount(gross: int, paid_on: date) -> int:
    """기타소득금액 of one payment: the gross less the deemed expenses (60%), under 1 KRW dropped."""
    rule = _rule(WithholdingKind.OTHER, paid_on)
    return int(gross - Decimal(gross) * Decimal(rule["deemed_expense_rate"]))


def other_income_separate_limit(year: int) -> int:
    """기타소득금액 a year may reach and still be settled by the withholding alone (분리과세)."""
    return int(_rule(WithholdingKind.OTHER, date(year, 12, 31))["separate_taxation_limit"])


def effective_rate(kind: str, paid_on: date) -> Decimal:
    """The share of the gross withheld by the usual rule (0.033, 0.088, 0), before flooring to 10 KRW."""
    if kind == WithholdingKind.NONE:
        return Decimal(0)
    rule = _rule(kind, paid_on)
    rate = Decimal(rule["income_tax_rate"]) * (1 + Decimal(rule["local_tax_rate"]))
    if kind == WithholdingKind.OTHER:
        rate *= 1 - Decimal(rule["deemed_expense_rate"])
    return rate


def gross_from_net(net: int, kind: str = "business", paid_on: date | None = None) -> list[int]:
    """Every gross amount whose withholding leaves exactly `net`, ascending; [] when none does."""
    if net < 0:
        return []
    paid_on = paid_on or today_kst()
    keep = 1 - effective_rate(kind, paid_on)
    # Each floor to 10 KRW moves the net by less than 10, so the answer lies within a few
    # dozen won of net / (1 - rate); tax-free payments (small or exempt) have gross == net.
    low = max(0, math.floor((Decimal(net) - 30) / keep) - 2)
    high = math.ceil(Decimal(net) / keep) + 2
    candidates = {net, *range(low, high + 1)}
    return sorted(g for g in candidates if withhold(g, kind, paid_on).net == net)


# ── Annual return (종합소득세) estimate ──────────────────────────────────────────────────────
# Figures come from data/income_tax.toml, data/expense_rates.toml and data/minimum_wage.toml,
# one entry per income year or per period (`from_year`), each with its source; an entry marked
# `confirmed = false` is reported in the estimate's assumptions with its note.

INCOME_TAX_FILE = "income_tax.toml"
EXPENSE_RATES_FILE = "expense_rates.toml"
MINIMUM_WAGE_FILE = "minimum_wage.toml"
SIMPLE_RATE_CODE = "940909"  # 기타자영업: the 업종코드 most freelance labelers file under


@dataclass(frozen=True)
class Bracket:
    upper: int | None  # 과세표준 상한 (이하), None for the top bracket
    rate: Decimal
    progressive_deduction: int  # 누진공제


@dataclass(frozen=True)
class ExpenseRates:
    basic: Decimal  # 기본율, on 수입금액 up to `threshold`
    excess: Decimal  # 초과율, on 수입금액 above `threshold`
    threshold: int
    confirmed: bool
    note: str
    source: str


@dataclass(frozen=True)
class AnnualEstimate:
    year: int
    business_income: int  # 수입금액
    expenses: int  # 필요경비
    income_amount: int  # 소득금액 = 수입 − 경비
    deductions: int  # 소득공제 (기본공제 × (1 + dependents))
    taxable_base: int  # 과세표준 (≥ 0)
    computed_tax: int  # 산출세액
    tax_credit: int  # 세액공제 (표준세액공제, at most computed_tax)
    determined_tax: int  # 결정세액 (≥ 0)
    local_tax: int  # 지방소득세 = local_tax_rate (10%) of determined_tax
    local_tax_rate: Decimal
    withheld_income_tax: int
    withheld_local_tax: int
    refund_income_tax: int  # withheld − determined: positive = money back, negative = to pay
    refund_local_tax: int
    expense_rate_basic: Decimal | None  # 단순경비율 applied (None when the caller's rate was used)
    expense_rate_excess: Decimal | None
    expense_rate_used: Decimal | None  # the caller's rate, when given
    bracket_rate: Decimal  # marginal rate of the bracket applied
    assumptions: tuple[str, ...]  # Korean sentences: every assumption and unconfirmed figure used

    @property
    def refund_total(self) -> int:
        """Income tax plus local tax coming back (positive) or to pay (negative)."""
        return self.refund_income_tax + self.refund_local_tax


def _check_int(value, name: str, *, minimum: int | None = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}은(는) {minimum} 이상이어야 합니다 (받은 값: {value}).")


def _floor_won(amount: Decimal) -> int:
    """Drop the part under 1 KRW."""
    return int(amount.to_integral_value(rounding=ROUND_FLOOR))


def _won(amount: int) -> str:
    return f"{amount:,}원"


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _for_year(entries: list[dict], year: int, what: str, file: str) -> dict:
    """The entry in force for income year `year`: the one with the largest `from_year` ≤ year."""
    _check_int(year, "year", minimum=None)
    valid = [e for e in entries if e["from_year"] <= year]
    if not valid:
        first = min((e["from_year"] for e in entries), default=None)
        since = f" ({first}년부터 있습니다)" if first is not None else ""
        raise LookupError(f"{year}년 귀속 {what}이(가) data/{file}에 없습니다{since}.")
    return max(valid, key=lambda e: e["from_year"])


def _unconfirmed(entry: dict, what: str) -> list[str]:
    """A sentence naming a figure that the data file marks `confirmed = false`, with its note."""
    if entry.get("confirmed", True):
        return []
    return [f"확인되지 않은 값 — {what}: {entry.get('note') or '확인 필요'} (출처: {entry['source']})."]


def brackets_for(year: int) -> list[Bracket]:
    """The 종합소득세 bracket table of income year `year`, lowest bracket first."""
    entry = _for_year(load(INCOME_TAX_FILE)["brackets"], year, "종합소득세 세율표", INCOME_TAX_FILE)
    rows = [Bracket(r.get("upper"), Decimal(r["rate"]), r["progressive_deduction"]) for r in entry["rows"]]
    uppers = [b.upper for b in rows[:-1]]
    if not rows or rows[-1].upper is not None or None in uppers or uppers != sorted(set(uppers)):
        raise ValueError(
            f"data/{INCOME_TAX_FILE}의 {entry['from_year']}년 세율표가 잘못되었습니다: "
            "상한(upper)은 오름차순이어야 하고 마지막 구간에만 상한이 없어야 합니다."
        )
    return rows


def _bracket(taxable_base: int, year: int) -> Bracket:
    return next(b for b in brackets_for(year) if b.upper is None or taxable_base <= b.upper)


def income_tax_on(taxable_base: int, year: int) -> int:
    """산출세액 on a 과세표준 of income year `year`: base × rate − 누진공제, under 1 KRW dropped."""
    _check_int(taxable_base, "taxable_base")
    b = _bracket(taxable_base, year)
    return max(0, _floor_won(Decimal(taxable_base) * b.rate - b.progressive_deduction))


def simple_expense_rates(year: int) -> ExpenseRates:
    """단순경비율 of 업종코드 940909 (기타자영업) for income year `year`."""
    entries = [e for e in load(EXPENSE_RATES_FILE)["simple_rates"] if e["code"] == SIMPLE_RATE_CODE]
    e = _for_year(entries, year, f"단순경비율({SIMPLE_RATE_CODE})", EXPENSE_RATES_FILE)
    return ExpenseRates(
        basic=Decimal(e["basic"]),
        excess=Decimal(e["excess"]),
        threshold=e["threshold"],
        confirmed=e.get("confirmed", True),
        note=e.get("note", ""),
        source=e["source"],
    )


def minimum_wage(year: int) -> int:
    """최저임금 (hourly, KRW) of calendar year `year`; LookupError when it is not in the data file."""
    _check_int(year, "year", minimum=None)
    for e in load(MINIMUM_WAGE_FILE)["hourly"]:
        if e["year"] == year:
            return e["hourly_won"]
    raise LookupError(f"{year}년 최저임금이 data/{MINIMUM_WAGE_FILE}에 없습니다.")


def filing_deadline(income_year: int) -> date:
    """종합소득세 신고·납부 기한 for `income_year`: May 31 of the next year, moved to the next
    business day when it falls on a weekend or public holiday (국세기본법 §5). Temporary holidays
    (임시공휴일) appear only once the `holidays` package knows them."""
    _check_int(income_year, "income_year", minimum=1)
    return shift_to_business_day(date(income_year + 1, 5, 31), "next")


def _thresholds() -> dict:
    return load(EXPENSE_RATES_FILE)["thresholds"]


def bookkeeping_warnings(prior_year_income: int | None, current_income: int) -> list[str]:
    """Korean sentences warning that the 단순경비율 may not apply or that books must be kept."""
    if prior_year_income is not None:
        _check_int(prior_year_income, "prior_year_income")
    _check_int(current_income, "current_income")
    t = _thresholds()
    prior_limit = t["simple_rate_prior_year_income"]
    prior_alt = t["simple_rate_prior_year_income_alt"]
    current_limit = t["bookkeeping_current_year_income"]
    warnings = []
    if prior_year_income is not None and prior_year_income >= prior_limit:
        warnings.append(
            f"직전 연도 수입이 {_won(prior_year_income)}으로 {_won(prior_limit)} 이상이라 단순경비율을 쓸 수 "
            "없습니다. 기준경비율로 신고하거나 장부를 작성해 실제 경비로 신고해야 합니다. "
            f"(일부 자료는 이 기준을 {_won(prior_alt)}으로 안내합니다.)"
        )
    elif prior_year_income is not None and prior_year_income >= prior_alt:
        warnings.append(
            f"직전 연도 수입이 {_won(prior_year_income)}입니다. 단순경비율 기준은 보통 {_won(prior_limit)} "
            f"미만이지만 일부 자료는 {_won(prior_alt)}으로 안내하니, 단순경비율을 쓸 수 있는지 "
            "홈택스나 세무서에서 확인하세요."
        )
    if current_income >= current_limit:
        warnings.append(
            f"올해 수입이 {_won(current_income)}으로 {_won(current_limit)} 이상이라 단순경비율을 쓸 수 없고, "
            "장부(간편장부 또는 복식부기)를 작성해 신고해야 합니다."
        )
    if warnings:
        warnings.extend(_unconfirmed(t, "이 기준 금액"))
    return warnings


def estimate_annual(
    year: int,
    business_income: int,
    withheld_income_tax: int,
    withheld_local_tax: int,
    *,
    dependents: int = 0,
    expense_rate: Decimal | float | None = None,
) -> AnnualEstimate:
    """Estimate the May return for business income (사업소득, 3.3%) of income year `year`.

    Without `expense_rate`, 필요경비 follow the 단순경비율 of code 940909 for that year (basic rate
    up to the threshold, excess rate above it); with it, 필요경비 = 수입 × expense_rate.
    """
    _check_int(year, "year", minimum=None)
    _check_int(business_income, "business_income")
    _check_int(withheld_income_tax, "withheld_income_tax")
    _check_int(withheld_local_tax, "withheld_local_tax")
    _check_int(dependents, "dependents")
    data = load(INCOME_TAX_FILE)
    brackets_for(year)  # the year must have a bracket table before anything else is looked up
    assumptions = [
        f"{year}년 귀속 소득은 이 사업소득(인적용역, 3.3% 원천징수)뿐이라고 가정했습니다: "
        "근로·기타·금융·연금소득은 없습니다.",
    ]

    income = Decimal(business_income)
    basic_rate = excess_rate = used_rate = None
    if expense_rate is None:
        rates = simple_expense_rates(year)
        basic_rate, excess_rate = rates.basic, rates.excess
        below = min(income, Decimal(rates.threshold))
        expenses = _floor_won(below * rates.basic + (income - below) * rates.excess)
        assumptions.append(
            f"필요경비는 단순경비율(업종코드 {SIMPLE_RATE_CODE} 기타자영업)로 계산했습니다: 수입 "
            f"{_won(rates.threshold)}까지 기본율 {_pct(rates.basic)}, 초과분에 초과율 {_pct(rates.excess)}, "
            "원 미만은 버렸습니다."
        )
        t = _thresholds()
        assumptions.append(
            f"직전 연도 수입이 {_won(t['simple_rate_prior_year_income'])} 미만(일부 자료는 "
            f"{_won(t['simple_rate_prior_year_income_alt'])} 미만)이어서 단순경비율을 쓸 수 있다고 가정했습니다."
        )
        if business_income >= t["bookkeeping_current_year_income"]:
            assumptions.append(
                f"수입이 {_won(t['bookkeeping_current_year_income'])} 이상이라 실제로는 단순경비율을 쓸 수 없고 "
                "장부 작성 대상입니다: 이 추정은 단순경비율을 그대로 적용한 참고치입니다."
            )
        assumptions.extend(_unconfirmed(
            {"confirmed": rates.confirmed, "note": rates.note, "source": rates.source}, f"{year}년 단순경비율"
        ))
        assumptions.extend(_unconfirmed(t, "단순경비율 적용 기준 금액"))
    else:
        if isinstance(expense_rate, bool):
            raise TypeError("expense_rate must be a number")
        used_rate = Decimal(str(expense_rate))
        if not used_rate.is_finite() or not 0 <= used_rate <= 1:
            raise ValueError(f"경비율은 0과 1 사이여야 합니다 (받은 값: {expense_rate}).")
        expenses = _floor_won(income * used_rate)
        assumptions.append(
            f"필요경비는 입력한 경비율 {_pct(used_rate)}를 수입 전체에 적용해 계산했습니다(원 미만은 버림)."
        )
    income_amount = business_income - expenses

    basic = _for_year(data["basic_deduction"], year, "기본공제", INCOME_TAX_FILE)
    people = 1 + dependents
    deductions = basic["per_person"] * people
    assumptions.append(
        f"소득공제는 기본공제 1인당 {_won(basic['per_person'])} × {people}명(본인"
        + (f" + 부양가족 {dependents}명" if dependents else "")
        + ")만 반영했습니다: 국민연금·노란우산공제 등 다른 공제는 없다고 가정했습니다."
    )
    assumptions.extend(_unconfirmed(basic, "기본공제 금액"))
    taxable_base = max(0, income_amount - deductions)

    bracket = _bracket(taxable_base, year)
    computed_tax = income_tax_on(taxable_base, year)
    table = _for_year(data["brackets"], year, "종합소득세 세율표", INCOME_TAX_FILE)
    assumptions.append(
        f"세율은 {table['from_year']}년 귀속분부터 쓰는 종합소득세 기본세율표를 적용했습니다(출처: {table['source']})."
    )
    assumptions.extend(_unconfirmed(table, "종합소득세 세율표"))

    credit_entry = _for_year(data["standard_tax_credit"], year, "표준세액공제", INCOME_TAX_FILE)
    tax_credit = min(credit_entry["amount"], computed_tax)
    determined_tax = computed_tax - tax_credit
    assumptions.append(
        f"세액공제는 근로소득이 없는 사람의 표준세액공제 {_won(credit_entry['amount'])}(산출세액 한도)만 "
        "반영했습니다: 다른 세액공제·감면과 가산세, 중간예납은 없다고 가정했습니다."
    )
    assumptions.extend(_unconfirmed(credit_entry, "표준세액공제 금액"))

    local_entry = _for_year(data["local_income_tax"], year, "지방소득세율", INCOME_TAX_FILE)
    local_tax = _floor_won(Decimal(determined_tax) * Decimal(local_entry["rate"]))
    assumptions.append(f"지방소득세는 결정세액의 {_pct(Decimal(local_entry['rate']))}로 계산했습니다.")
    assumptions.extend(_unconfirmed(local_entry, "지방소득세율"))
    assumptions.append(
        "산출세액·결정세액·지방소득세는 원 미만을 버렸습니다: 실제 고지·환급액은 10원 미만이 "
        "절사되어 몇 원 다를 수 있습니다."
    )
    assumptions.append("기납부세액은 입력한 원천징수 소득세·지방소득세 합계만으로 보았습니다.")

    return AnnualEstimate(
        year=year,
        business_income=business_income,
        expenses=expenses,
        income_amount=income_amount,
        deductions=deductions,
        taxable_base=taxable_base,
        computed_tax=computed_tax,
        tax_credit=tax_credit,
        determined_tax=determined_tax,
        local_tax=local_tax,
        withheld_income_tax=withheld_income_tax,
        withheld_local_tax=withheld_local_tax,
        refund_income_tax=withheld_income_tax - determined_tax,
        refund_local_tax=withheld_local_tax - local_tax,
        expense_rate_basic=basic_rate,
        expense_rate_excess=excess_rate,
        expense_rate_used=used_rate,
        bracket_rate=bracket.rate,
        local_tax_rate=Decimal(local_entry["rate"]),
        assumptions=tuple(assumptions),
    )


def confirmed_figures(year: int) -> dict[str, bool]:
    """Which figures of income year `year` the data files mark as checked (False: shown as 미확인)."""
    data = load(INCOME_TAX_FILE)
    return {
        "brackets": _for_year(data["brackets"], year, "종합소득세 세율표", INCOME_TAX_FILE).get("confirmed", True),
        "basic_deduction": _for_year(data["basic_deduction"], year, "기본공제", INCOME_TAX_FILE).get("confirmed", True),
        "standard_tax_credit": _for_year(
            data["standard_tax_credit"], year, "표준세액공제", INCOME_TAX_FILE
        ).get("confirmed", True),
        "local_income_tax": _for_year(data["local_income_tax"], year, "지방소득세율", INCOME_TAX_FILE).get(
            "confirmed", True
        ),
        "expense_rates": simple_expense_rates(year).confirmed,
        "thresholds": _thresholds().get("confirmed", True),
    }
