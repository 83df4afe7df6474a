"""Withholding on payments to freelancers, and the May return (종합소득세) estimate.
Pure functions: no Streamlit, no database.

Rates come from data/withholding.toml. Amounts under 10 KRW are dropped at each step
(국고금관리법 §47), which is what the common calculators do; platforms may differ, so the
ledger stores what was actually withheld and uses these figures only to propose and compare.

A date or year the data files do not cover uses the nearest entry and says so: "(2021년 값 적용)"
in `Withholding.note`, in the estimate's assumptions, in `ExpenseRates.fallback_note` and from
`minimum_wage_note` (tracker.rates.for_year / for_date).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from tracker.models.enums import WithholdingKind
from tracker.rates import Lookup, for_date, for_year, load
from tracker.schedule import shift_to_business_day
from tracker.timeutil import today_kst

KINDS = tuple(k.value for k in WithholdingKind)


@dataclass(frozen=True)
class Withholding:
    gross: int
    income_tax: int
    local_tax: int
    # "(2021년 값 적용)" when the payment date lies before every entry of data/withholding.toml.
    note: str = field(default="", compare=False)

    @property
    def total(self) -> int:
        return self.income_tax + self.local_tax

    @property
    def net(self) -> int:
        return self.gross - self.total


def floor_10(amount: Decimal | int) -> int:
    """Drop the part under 10 KRW."""
    return int((Decimal(amount) / 10).to_integral_value(rounding=ROUND_FLOOR)) * 10


def _rule_lookup(kind: str, paid_on: date) -> Lookup:
    return for_date(load("withholding.toml")[kind], paid_on, what=f"원천징수({kind})")


def _rule(kind: str, paid_on: date) -> dict:
    return _rule_lookup(kind, paid_on).entry


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown withholding kind {kind!r}; expected one of {KINDS}")


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError("days must be an int")
    if days < 1:
        raise ValueError(f"일수(days)는 1 이상이어야 합니다 (받은 값: {days}).")


def _day_pays(gross: int, days: int) -> list[tuple[int, int]]:
    """`gross` spread over `days` days as evenly as whole won allow: [(pay, how many days), …]."""
    q, r = divmod(gross, days)
    return [(p, n) for p, n in ((q + 1, r), (q, days - r)) if n]


def _daily_income_tax(pay: int, rule: dict) -> int:
    """소득세 on one day's pay: (일당 − 150,000) × 6% × (1 − 55%), under 10 KRW dropped."""
    taxable = max(0, pay - rule["daily_deduction"])
    rate = Decimal(rule["income_tax_rate"]) * (1 - Decimal(rule["tax_credit_rate"]))
    return floor_10(Decimal(taxable) * rate)


def withhold(gross: int, kind: str = "business", paid_on: date | None = None, days: int = 1) -> Withholding:
    """Expected income tax and local tax withheld from a payment of `gross` KRW.

    kind "daily" (일용근로소득): `gross` is one day's pay, or the total of a payment covering `days`
    days (spread evenly, whole won). Each day's 소득세 is (일당 − 150,000) × 6% × 45%, under 10 KRW
    dropped; the payment withholds the sum of its days. 소액부징수 (소득세법 §86) looks at what one
    payment withholds: a 소득세 under 1,000 KRW for the payment is not withheld — one day of
    180,000 (810) is not taxed, five such days paid at once (4,050) are. 지방소득세 = 10% of the
    payment's 소득세, under 10 KRW dropped. For the other kinds `days` changes nothing.
    """
    if isinstance(gross, bool) or not isinstance(gross, int):
        raise TypeError("gross must be an int number of KRW")
    if gross < 0:
        raise ValueError("gross must not be negative")
    _check_kind(kind)
    _check_days(days)
    if kind == WithholdingKind.NONE:
        return Withholding(gross, 0, 0)
    paid_on = paid_on or today_kst()
    found = _rule_lookup(kind, paid_on)
    rule, note = found.entry, found.note
    if kind == WithholdingKind.DAILY:
        income_tax = sum(n * _daily_income_tax(pay, rule) for pay, n in _day_pays(gross, days))
    else:
        base = Decimal(gross)
        if kind == WithholdingKind.OTHER:
            base = Decimal(other_income_amount(gross, paid_on))
            if base <= rule["tax_free_income_up_to"]:
                return Withholding(gross, 0, 0, note)
        income_tax = floor_10(base * Decimal(rule["income_tax_rate"]))
    if income_tax < rule["exempt_below"]:
        return Withholding(gross, 0, 0, note)
    local_tax = floor_10(Decimal(income_tax) * Decimal(rule["local_tax_rate"]))
    return Withholding(gross, income_tax, local_tax, note)


def other_income_amount(gross: int, paid_on: date) -> int:
    """기타소득금액 of one payment: the gross less the deemed expenses (60%), under 1 KRW dropped."""
    rule = _rule(WithholdingKind.OTHER, paid_on)
    return int(gross - Decimal(gross) * Decimal(rule["deemed_expense_rate"]))


def other_income_separate_limit(year: int) -> int:
    """기타소득금액 a year may reach and still be settled by the withholding alone (분리과세)."""
    return int(_rule(WithholdingKind.OTHER, date(year, 12, 31))["separate_taxation_limit"])


def effective_rate(kind: str, paid_on: date) -> Decimal:
    """The share of the gross withheld by the usual rule (0.033, 0.088, 0), before flooring to 10 KRW.

    For "daily" it is the share of the part of each day's pay above 150,000 (6% × 45% × 1.1 = 0.0297):
    an upper bound of the share of the whole pay (a day of 150,000 or less is not taxed at all)."""
    _check_kind(kind)
    if kind == WithholdingKind.NONE:
        return Decimal(0)
    rule = _rule(kind, paid_on)
    rate = Decimal(rule["income_tax_rate"]) * (1 + Decimal(rule["local_tax_rate"]))
    if kind == WithholdingKind.OTHER:
        rate *= 1 - Decimal(rule["deemed_expense_rate"])
    if kind == WithholdingKind.DAILY:
        rate *= 1 - Decimal(rule["tax_credit_rate"])
    return rate


def rounding_tolerance(kind: str, paid_on: date, days: int = 1) -> int:
    """How far (KRW, either way) a payer's own rounding can move a payment's withholding from this
    module's figure.

    The rule truncates the 소득세 to 10 KRW once (once per day for "daily") and the 지방소득세 once.
    A payer that rounds half up, rounds up or keeps the won moves each truncated 소득세 by at most
    10 KRW, and its 지방소득세 by at most 10 KRW plus 10% of its 소득세's difference. So the deposit
    lies within 10 × n × (1 + 지방소득세율) + 10 KRW of the expected net, n the number of 소득세
    truncations: 21 for a 3.3% or 8.8% payment, 11 × days + 10 for 일용근로, 0 for "none".
    """
    _check_kind(kind)
    _check_days(days)
    if kind == WithholdingKind.NONE:
        return 0
    truncations = days if kind == WithholdingKind.DAILY else 1
    local_rate = Decimal(_rule(kind, paid_on)["local_tax_rate"])
    return math.ceil(10 * truncations * (1 + local_rate)) + 10


def split_withheld(total: int, kind: str, paid_on: date) -> tuple[int, int]:
    """`total` KRW withheld, split into (소득세, 지방소득세) the 10:1 way: 소득세 = total / (1 + 지방소득세율)
    rounded half up, 지방소득세 the rest (1,485 → 1,350 + 135). "none" has no local tax: (total, 0)."""
    _check_int(total, "total")
    _check_kind(kind)
    if kind == WithholdingKind.NONE:
        return total, 0
    local_rate = Decimal(_rule(kind, paid_on)["local_tax_rate"])
    income = int((Decimal(total) / (1 + local_rate)).to_integral_value(rounding=ROUND_HALF_UP))
    return income, total - income


def _daily_gross_from_net(net: int, paid_on: date, days: int) -> list[int]:
    rule = _rule(WithholdingKind.DAILY, paid_on)
    deduction = rule["daily_deduction"]
    income_rate = Decimal(rule["income_tax_rate"]) * (1 - Decimal(rule["tax_credit_rate"]))
    local_rate = Decimal(rule["local_tax_rate"])

    def unrounded_net(g: int) -> Decimal:
        # The net with no truncation at all: strictly increasing in g.
        income = sum(n * max(0, pay - deduction) for pay, n in _day_pays(g, days)) * income_rate
        return g - income * (1 + local_rate)

    def first(pred) -> int:
        # The smallest g ≥ 0 with pred(g) (pred is monotonic: False … False True … True).
        low, high = 0, 1
        while not pred(high):
            high *= 2
        while low < high:
            mid = (low + high) // 2
            if pred(mid):
                high = mid
            else:
                low = mid + 1
        return low

    # Truncating every day's 소득세 and the 지방소득세 to 10 KRW leaves a net at most this much above
    # the unrounded one, so a taxed gross g with net(g) == net has unrounded_net(g) in (net − slack, net].
    slack = Decimal(10 * days) * (1 + local_rate) + 10
    low = first(lambda g: unrounded_net(g) > net - slack)
    high = first(lambda g: unrounded_net(g) > net) - 1
    return [g for g in range(low, high + 1) if withhold(g, WithholdingKind.DAILY, paid_on, days).net == net]


def gross_from_net(net: int, kind: str = "business", paid_on: date | None = None, days: int = 1) -> list[int]:
    """Every gross amount whose withholding leaves exactly `net`, ascending; [] when none does.
    `days`: for "daily", how many days the payment covers (see `withhold`)."""
    _check_kind(kind)
    _check_days(days)
    if net < 0:
        return []
    paid_on = paid_on or today_kst()
    if kind == WithholdingKind.DAILY:
        found = set(_daily_gross_from_net(net, paid_on, days))
        if withhold(net, kind, paid_on, days).net == net:  # an untaxed payment keeps its gross
            found.add(net)
        return sorted(found)
    keep = 1 - effective_rate(kind, paid_on)
    # Each floor to 10 KRW moves the net by less than 10, so the answer lies within a few
    # dozen won of net / (1 - rate); tax-free payments (small or exempt) have gross == net.
    low = max(0, math.floor((Decimal(net) - 30) / keep) - 2)
    high = math.ceil(Decimal(net) / keep) + 2
    candidates = {net, *range(low, high + 1)}
    return sorted(g for g in candidates if withhold(g, kind, paid_on).net == net)


# ── Annual return (종합소득세) estimate ──────────────────────────────────────────────────────
# Figures come from data/income_tax.toml, data/expense_rates.toml, data/minimum_wage.toml and
# data/wage_income.toml, one entry per income year or per period (`from_year`), each with its
# source; an entry marked `confirmed = false` is reported in the estimate's assumptions with its
# note, and a year before the first entry uses that entry, reported as "(2021년 값 적용)".

INCOME_TAX_FILE = "income_tax.toml"
EXPENSE_RATES_FILE = "expense_rates.toml"
MINIMUM_WAGE_FILE = "minimum_wage.toml"
WAGE_FILE = "wage_income.toml"
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
    fallback_note: str = ""  # "(2020년 값 적용)" when the year lies before every entry


def _check_int(value, name: str, *, minimum: int | None = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}은(는) {minimum} 이상이어야 합니다 (받은 값: {value}).")


@dataclass(frozen=True)
class WageIncome:
    """근로소득 of the income year, from the 근로소득 원천징수영수증 (연말정산) or `wage_from_salary`.

    taxable_base    연말정산 과세표준 (인적공제 등 모든 소득공제를 뺀 뒤)
    determined_tax  연말정산 결정세액 (소득세)
    tax_credits     연말정산 세액공제·감면 합계; None: 산출세액(과세표준, 그해 세율표) − 결정세액
    total_salary    총급여, when known (quick mode)
    notes           Korean sentences added to the estimate's assumptions (quick mode's method and
                    its unconfirmed figures)
    """

    taxable_base: int
    determined_tax: int
    tax_credits: int | None = None
    total_salary: int | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self):
        _check_int(self.taxable_base, "taxable_base")
        _check_int(self.determined_tax, "determined_tax")
        if self.tax_credits is not None:
            _check_int(self.tax_credits, "tax_credits")
        if self.total_salary is not None:
            _check_int(self.total_salary, "total_salary")
        if not isinstance(self.notes, tuple) or not all(isinstance(n, str) for n in self.notes):
            raise TypeError("notes must be a tuple of str")


@dataclass(frozen=True)
class AnnualEstimate:
    year: int
    business_income: int  # 수입금액
    expenses: int  # 필요경비
    income_amount: int  # 소득금액 = 수입 − 경비 (사업소득금액)
    deductions: int  # 소득공제 (기본공제 × (1 + dependents)); 0 with wage income (in its 과세표준)
    taxable_base: int  # 과세표준 (≥ 0); with wage income: 연말정산 과세표준 + 사업소득금액
    computed_tax: int  # 산출세액
    tax_credit: int  # 세액공제 applied (≤ computed_tax): 표준세액공제, or with wage income the 연말정산 credits
    determined_tax: int  # 결정세액 (≥ 0)
    local_tax: int  # 지방소득세 = local_tax_rate (10%) of determined_tax
    local_tax_rate: Decimal
    withheld_income_tax: int  # the 3% withheld from the business income (as given)
    withheld_local_tax: int  # the 0.3% withheld (as given)
    refund_income_tax: int  # prepaid − determined: positive = money back, negative = to pay
    refund_local_tax: int  # prepaid local − local_tax
    expense_rate_basic: Decimal | None  # 단순경비율 applied (None when the caller's rate was used)
    expense_rate_excess: Decimal | None
    expense_rate_used: Decimal | None  # the caller's rate, when given
    bracket_rate: Decimal  # marginal rate of the bracket applied
    assumptions: tuple[str, ...]  # Korean sentences: every assumption and unconfirmed figure used
    wage: WageIncome | None = None  # the wage income given, if any
    wage_computed_tax: int = 0  # 산출세액 on the 연말정산 과세표준 alone
    wage_tax_credits: int = 0  # the 연말정산 credits kept (typed, or wage_computed_tax − its 결정세액)
    wage_local_tax: int = 0  # 연말정산 지방소득세 = 10% of its 결정세액, counted as prepaid

    @property
    def refund_total(self) -> int:
        """Income tax plus local tax coming back (positive) or to pay (negative)."""
        return self.refund_income_tax + self.refund_local_tax

    @property
    def has_wage(self) -> bool:
        return self.wage is not None

    @property
    def wage_determined_tax(self) -> int:
        return self.wage.determined_tax if self.wage else 0

    @property
    def prepaid_income_tax(self) -> int:
        """기납부세액: the 3% withheld plus, with wage income, the 연말정산 결정세액."""
        return self.withheld_income_tax + self.wage_determined_tax

    @property
    def prepaid_local_tax(self) -> int:
        return self.withheld_local_tax + self.wage_local_tax


def _floor_won(amount: Decimal) -> int:
    """Drop the part under 1 KRW."""
    return int(amount.to_integral_value(rounding=ROUND_FLOOR))


def _won(amount: int) -> str:
    return f"{amount:,}원"


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _lookup(entries: list[dict], year: int, what: str, file: str) -> Lookup:
    """The entry in force for income year `year` (largest `from_year` ≤ year; before the first
    entry, the first entry with the note "(YYYY년 값 적용)")."""
    _check_int(year, "year", minimum=None)
    return for_year(entries, year, what=f"data/{file}의 {what}")


def _for_year(entries: list[dict], year: int, what: str, file: str) -> dict:
    return _lookup(entries, year, what, file).entry


def _fallback(found: Lookup, year: int, what: str, file: str) -> list[str]:
    """A sentence saying that `what` of `year` is missing from the data file and another year's was used."""
    if not found.note:
        return []
    return [f"{year}년 귀속 {what}이(가) data/{file}에 없어 가장 가까운 연도의 값을 썼습니다 {found.note}."]


def _unconfirmed(entry: dict, what: str) -> list[str]:
    """A sentence naming a figure that the data file marks `confirmed = false`, with its note."""
    if entry.get("confirmed", True):
        return []
    return [f"확인되지 않은 값 — {what}: {entry.get('note') or '확인 필요'} (출처: {entry['source']})."]


def _bracket_lookup(year: int) -> Lookup:
    return _lookup(load(INCOME_TAX_FILE)["brackets"], year, "종합소득세 세율표", INCOME_TAX_FILE)


def brackets_for(year: int) -> list[Bracket]:
    """The 종합소득세 bracket table of income year `year`, lowest bracket first."""
    entry = _bracket_lookup(year).entry
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
    found = _lookup(entries, year, f"단순경비율({SIMPLE_RATE_CODE})", EXPENSE_RATES_FILE)
    e = found.entry
    return ExpenseRates(
        basic=Decimal(e["basic"]),
        excess=Decimal(e["excess"]),
        threshold=e["threshold"],
        confirmed=e.get("confirmed", True),
        note=e.get("note", ""),
        source=e["source"],
        fallback_note=found.note,
    )


def _minimum_wage_lookup(year: int) -> Lookup:
    _check_int(year, "year", minimum=None)
    return for_year(load(MINIMUM_WAGE_FILE)["hourly"], year, "year", periods=False,
                    what=f"data/{MINIMUM_WAGE_FILE}의 최저임금")


def minimum_wage(year: int) -> int:
    """최저임금 (hourly, KRW) of calendar year `year`; a year not in the data file gets the nearest
    year's figure (see `minimum_wage_note`)."""
    return _minimum_wage_lookup(year).entry["hourly_won"]


def minimum_wage_note(year: int) -> str:
    """"" when the data file has `year`'s minimum wage, else "(2026년 값 적용)" naming the year used."""
    return _minimum_wage_lookup(year).note


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


# ── Wage income (근로소득): the 총급여-only quick mode ─────────────────────────────────────────

def _wage_lookup(key: str, year: int, what: str) -> Lookup:
    return _lookup(load(WAGE_FILE)[key], year, what, WAGE_FILE)


def wage_deduction(total_salary: int, year: int) -> int:
    """근로소득공제 (소득세법 §47) on a 총급여 of income year `year`, under 1 KRW dropped."""
    _check_int(total_salary, "total_salary")
    e = _wage_lookup("deduction", year, "근로소득공제 표").entry
    row = next(r for r in e["rows"] if r.get("upper") is None or total_salary <= r["upper"])
    amount = _floor_won(row["base"] + (Decimal(total_salary) - row["over"]) * Decimal(row["rate"]))
    return min(amount, e["limit"], total_salary)


def wage_tax_credit(computed_tax: int, total_salary: int, year: int) -> int:
    """근로소득세액공제 (소득세법 §59) on a wage-only 산출세액, within the limit for the 총급여."""
    _check_int(computed_tax, "computed_tax")
    _check_int(total_salary, "total_salary")
    e = _wage_lookup("tax_credit", year, "근로소득세액공제").entry
    if computed_tax <= e["threshold"]:
        credit = Decimal(computed_tax) * Decimal(e["rate_below"])
    else:
        credit = e["base_above"] + (Decimal(computed_tax) - e["threshold"]) * Decimal(e["rate_above"])
    row = next(r for r in e["limits"] if r.get("salary_upper") is None or total_salary <= r["salary_upper"])
    limit = Decimal(row["base"])
    if "rate" in row:
        limit = max(Decimal(row["floor"]), limit - (Decimal(total_salary) - row["over"]) * Decimal(row["rate"]))
    return _floor_won(min(credit, limit))


def wage_from_salary(total_salary: int, year: int) -> WageIncome:
    """A first guess of the 연말정산 from 총급여 alone (quick mode).

    총급여 − 근로소득공제 = 근로소득금액; − 기본공제 (본인 1명) = 과세표준; 산출세액 from the year's
    brackets; − 근로소득세액공제 − 근로소득자 표준세액공제 (at most the 산출세액) = 결정세액. No
    국민연금·건강보험료 or other 공제, so it is usually above what the 원천징수영수증 shows.
    """
    _check_int(total_salary, "total_salary")
    _check_int(year, "year", minimum=None)
    deduction_found = _wage_lookup("deduction", year, "근로소득공제 표")
    credit_found = _wage_lookup("tax_credit", year, "근로소득세액공제")
    standard_found = _wage_lookup("standard_tax_credit", year, "근로소득자 표준세액공제")
    basic_found = _lookup(load(INCOME_TAX_FILE)["basic_deduction"], year, "기본공제", INCOME_TAX_FILE)

    deduction = wage_deduction(total_salary, year)
    wage_amount = total_salary - deduction
    basic = basic_found.entry["per_person"]
    taxable_base = max(0, wage_amount - basic)
    computed = income_tax_on(taxable_base, year)
    earned_credit = wage_tax_credit(computed, total_salary, year)
    standard = standard_found.entry["amount"]
    credits = min(computed, earned_credit + standard)
    determined = computed - credits

    notes = [
        f"근로소득은 총급여 {_won(total_salary)}만으로 어림했습니다: 근로소득공제 {_won(deduction)} → 근로소득금액 "
        f"{_won(wage_amount)}, 기본공제(본인) {_won(basic)} → 과세표준 {_won(taxable_base)}, 산출세액 "
        f"{_won(computed)}, 근로소득세액공제 {_won(earned_credit)}과 표준세액공제 {_won(standard)}"
        f"(합계는 산출세액 한도) → 결정세액 {_won(determined)}.",
        "간편 계산은 국민연금·건강보험료 공제, 부양가족, 신용카드·의료비 등 다른 공제를 넣지 않아 실제 "
        "연말정산보다 세금이 많게 나올 수 있습니다: 근로소득 원천징수영수증의 과세표준과 결정세액을 넣으면 정확해집니다.",
    ]
    for found, what in ((deduction_found, "근로소득공제 표"), (credit_found, "근로소득세액공제"),
                        (standard_found, "근로소득자 표준세액공제")):
        notes.extend(_fallback(found, year, what, WAGE_FILE))
        notes.extend(_unconfirmed(found.entry, what))
    notes.extend(_fallback(basic_found, year, "기본공제", INCOME_TAX_FILE))
    return WageIncome(taxable_base, determined, tax_credits=credits, total_salary=total_salary, notes=tuple(notes))


# ── The estimate ─────────────────────────────────────────────────────────────────────────────

def estimate_annual(
    year: int,
    business_income: int,
    withheld_income_tax: int,
    withheld_local_tax: int,
    *,
    dependents: int = 0,
    expense_rate: Decimal | float | None = None,
    wage: WageIncome | None = None,
) -> AnnualEstimate:
    """Estimate the May return for business income (사업소득, 3.3%) of income year `year`.

    Without `expense_rate`, 필요경비 follow the 단순경비율 of code 940909 for that year (basic rate
    up to the threshold, excess rate above it); with it, 필요경비 = 수입 × expense_rate.

    With `wage` (근로소득 settled by 연말정산): 과세표준 = 연말정산 과세표준 + 사업소득금액 (no second
    기본공제, `dependents` is not used: the 인적공제 is already in the 연말정산 과세표준); 산출세액 from
    the year's brackets; the 연말정산 credits stay as they were (wage.tax_credits, or 산출세액 on the
    연말정산 과세표준 − its 결정세액); 결정세액 = max(0, 산출세액 − credits); no 표준세액공제;
    기납부세액 = 연말정산 결정세액 + the 3% withheld; 지방소득세 10% on each side, settled the same way.
    """
    _check_int(year, "year", minimum=None)
    _check_int(business_income, "business_income")
    _check_int(withheld_income_tax, "withheld_income_tax")
    _check_int(withheld_local_tax, "withheld_local_tax")
    _check_int(dependents, "dependents")
    if wage is not None and not isinstance(wage, WageIncome):
        raise TypeError("wage must be a WageIncome")
    data = load(INCOME_TAX_FILE)
    table_found = _bracket_lookup(year)
    brackets_for(year)  # the table must be well formed before anything else is looked up
    if wage is None:
        assumptions = [
            f"{year}년 귀속 소득은 이 사업소득(인적용역, 3.3% 원천징수)뿐이라고 가정했습니다: "
            "근로·기타·금융·연금소득은 없습니다.",
        ]
    else:
        assumptions = [
            f"{year}년 귀속 소득은 연말정산을 마친 근로소득과 이 사업소득(인적용역, 3.3% 원천징수)뿐이라고 "
            "가정했습니다: 기타·금융·연금소득은 없습니다.",
            *wage.notes,
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
        if rates.fallback_note:
            assumptions.append(
                f"{year}년 귀속 단순경비율이 data/{EXPENSE_RATES_FILE}에 없어 가장 가까운 연도의 값을 썼습니다 "
                f"{rates.fallback_note}."
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

    wage_computed = wage_credits = 0
    if wage is None:
        basic_found = _lookup(data["basic_deduction"], year, "기본공제", INCOME_TAX_FILE)
        basic = basic_found.entry
        people = 1 + dependents
        deductions = basic["per_person"] * people
        assumptions.append(
            f"소득공제는 기본공제 1인당 {_won(basic['per_person'])} × {people}명(본인"
            + (f" + 부양가족 {dependents}명" if dependents else "")
            + ")만 반영했습니다: 국민연금·노란우산공제 등 다른 공제는 없다고 가정했습니다."
        )
        assumptions.extend(_fallback(basic_found, year, "기본공제", INCOME_TAX_FILE))
        assumptions.extend(_unconfirmed(basic, "기본공제 금액"))
        taxable_base = max(0, income_amount - deductions)
    else:
        deductions = 0
        taxable_base = wage.taxable_base + income_amount
        assumptions.append(
            f"종합소득 과세표준은 연말정산 과세표준 {_won(wage.taxable_base)}에 사업소득금액 {_won(income_amount)}을 "
            f"더한 {_won(taxable_base)}입니다: 기본공제 등 인적공제는 연말정산 과세표준에 이미 들어 있어 다시 빼지 "
            "않았습니다" + (f"(입력한 부양가족 {dependents}명도 연말정산에 들어 있다고 보았습니다)." if dependents else ".")
        )

    bracket = _bracket(taxable_base, year)
    computed_tax = income_tax_on(taxable_base, year)
    table = table_found.entry
    assumptions.append(
        f"세율은 {table['from_year']}년 귀속분부터 쓰는 종합소득세 기본세율표를 적용했습니다(출처: {table['source']})."
    )
    assumptions.extend(_fallback(table_found, year, "종합소득세 세율표", INCOME_TAX_FILE))
    assumptions.extend(_unconfirmed(table, "종합소득세 세율표"))

    if wage is None:
        credit_found = _lookup(data["standard_tax_credit"], year, "표준세액공제", INCOME_TAX_FILE)
        credit_entry = credit_found.entry
        tax_credit = min(credit_entry["amount"], computed_tax)
        assumptions.append(
            f"세액공제는 근로소득이 없는 사람의 표준세액공제 {_won(credit_entry['amount'])}(산출세액 한도)만 "
            "반영했습니다: 다른 세액공제·감면과 가산세, 중간예납은 없다고 가정했습니다."
        )
        assumptions.extend(_fallback(credit_found, year, "표준세액공제", INCOME_TAX_FILE))
        assumptions.extend(_unconfirmed(credit_entry, "표준세액공제 금액"))
    else:
        wage_computed = income_tax_on(wage.taxable_base, year)
        if wage.tax_credits is not None:
            wage_credits = wage.tax_credits
            how = "입력한 세액공제·감면 합계"
        else:
            wage_credits = max(0, wage_computed - wage.determined_tax)
            how = (f"연말정산 과세표준에 대한 산출세액 {_won(wage_computed)} − 결정세액 "
                   f"{_won(wage.determined_tax)}")
            if wage.determined_tax > wage_computed:
                assumptions.append(
                    f"입력한 연말정산 결정세액 {_won(wage.determined_tax)}이 그 과세표준의 산출세액 "
                    f"{_won(wage_computed)}보다 커서 세액공제를 0원으로 보았습니다: 입력값을 확인하세요."
                )
        tax_credit = min(wage_credits, computed_tax)
        assumptions.append(
            f"세액공제는 연말정산에서 받은 세액공제·감면 {_won(wage_credits)}({how})은 그대로 두었습니다. 실제 신고는 "
            "근로소득세액공제를 종합소득 중 근로소득의 비율로 다시 계산하므로 몇천~몇만 원 다를 수 있습니다. "
            "근로소득이 있으면 표준세액공제(7만 원)는 더하지 않습니다."
        )
    determined_tax = computed_tax - tax_credit

    local_found = _lookup(data["local_income_tax"], year, "지방소득세율", INCOME_TAX_FILE)
    local_entry = local_found.entry
    local_rate = Decimal(local_entry["rate"])
    local_tax = _floor_won(Decimal(determined_tax) * local_rate)
    wage_local = _floor_won(Decimal(wage.determined_tax) * local_rate) if wage is not None else 0
    assumptions.append(f"지방소득세는 결정세액의 {_pct(local_rate)}로 계산했습니다.")
    assumptions.extend(_fallback(local_found, year, "지방소득세율", INCOME_TAX_FILE))
    assumptions.extend(_unconfirmed(local_entry, "지방소득세율"))
    assumptions.append(
        "산출세액·결정세액·지방소득세는 원 미만을 버렸습니다: 실제 고지·환급액은 10원 미만이 "
        "절사되어 몇 원 다를 수 있습니다."
    )
    if wage is None:
        assumptions.append("기납부세액은 입력한 원천징수 소득세·지방소득세 합계만으로 보았습니다.")
    else:
        assumptions.append(
            f"기납부세액은 연말정산 결정세액 {_won(wage.determined_tax)}과 원천징수 소득세 "
            f"{_won(withheld_income_tax)}의 합계 {_won(wage.determined_tax + withheld_income_tax)}, 기납부 "
            f"지방소득세는 연말정산 지방소득세(결정세액의 {_pct(local_rate)}) {_won(wage_local)}과 원천징수 "
            f"지방소득세 {_won(withheld_local_tax)}의 합계 {_won(wage_local + withheld_local_tax)}로 보았습니다."
        )

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
        refund_income_tax=withheld_income_tax + (wage.determined_tax if wage else 0) - determined_tax,
        refund_local_tax=withheld_local_tax + wage_local - local_tax,
        expense_rate_basic=basic_rate,
        expense_rate_excess=excess_rate,
        expense_rate_used=used_rate,
        bracket_rate=bracket.rate,
        local_tax_rate=local_rate,
        assumptions=tuple(assumptions),
        wage=wage,
        wage_computed_tax=wage_computed,
        wage_tax_credits=wage_credits,
        wage_local_tax=wage_local,
    )


def marginal_cost(
    year: int,
    business_income: int,
    withheld_income_tax: int,
    withheld_local_tax: int,
    *,
    dependents: int = 0,
    expense_rate: Decimal | float | None = None,
    wage: WageIncome | None = None,
    extra: int = 100_000,
) -> int:
    """How much more 소득세 + 지방소득세 the May return asks for `extra` more KRW of 3.3% side income.

    The difference of two estimates: the one for these inputs, and the one with `extra` more
    수입금액 and the 3.3% that `withhold(extra, "business", 12-31 of the year)` takes from it added to
    the withheld taxes. Returned: estimate.refund_total − estimate_with_extra.refund_total, i.e. the
    change of the May settlement alone (more to pay, or less back; negative if it would shrink).
    The whole tax on the extra is this plus the 3.3% already withheld from it (`withhold(extra).total`).
    """
    _check_int(extra, "extra")
    now = estimate_annual(year, business_income, withheld_income_tax, withheld_local_tax,
                          dependents=dependents, expense_rate=expense_rate, wage=wage)
    w = withhold(extra, WithholdingKind.BUSINESS, date(year, 12, 31))
    more = estimate_annual(year, business_income + extra, withheld_income_tax + w.income_tax,
                           withheld_local_tax + w.local_tax, dependents=dependents, expense_rate=expense_rate,
                           wage=wage)
    return now.refund_total - more.refund_total


def confirmed_figures(year: int) -> dict[str, bool]:
    """Which figures of income year `year` the data files mark as checked (False: shown as 미확인)."""
    data = load(INCOME_TAX_FILE)
    wage_data = load(WAGE_FILE)
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
        "wage_deduction": _for_year(wage_data["deduction"], year, "근로소득공제 표", WAGE_FILE).get("confirmed", True),
        "wage_tax_credit": _for_year(wage_data["tax_credit"], year, "근로소득세액공제", WAGE_FILE).get(
            "confirmed", True
        ),
        "wage_standard_tax_credit": _for_year(
            wage_data["standard_tax_credit"], year, "근로소득자 표준세액공제", WAGE_FILE
        ).get("confirmed", True),
    }


def fallback_notes(year: int) -> dict[str, str]:
    """For each yearly figure of income year `year`: "" when the data files hold that year, else
    "(YYYY년 값 적용)" naming the year whose values are used."""
    data = load(INCOME_TAX_FILE)
    wage_data = load(WAGE_FILE)
    return {
        "brackets": _bracket_lookup(year).note,
        "basic_deduction": _lookup(data["basic_deduction"], year, "기본공제", INCOME_TAX_FILE).note,
        "standard_tax_credit": _lookup(data["standard_tax_credit"], year, "표준세액공제", INCOME_TAX_FILE).note,
        "local_income_tax": _lookup(data["local_income_tax"], year, "지방소득세율", INCOME_TAX_FILE).note,
        "expense_rates": simple_expense_rates(year).fallback_note,
        "minimum_wage": minimum_wage_note(year),
        "wage_deduction": _lookup(wage_data["deduction"], year, "근로소득공제 표", WAGE_FILE).note,
        "wage_tax_credit": _lookup(wage_data["tax_credit"], year, "근로소득세액공제", WAGE_FILE).note,
        "wage_standard_tax_credit": _lookup(
            wage_data["standard_tax_credit"], year, "근로소득자 표준세액공제", WAGE_FILE).note,
    }
