"""The health-insurance line (건강보험) that side income can cross. Rules from data/health_insurance.toml.

- 피부양자 (covered through a family member's job) is lost when, for an income year: without
  사업자등록, 사업소득금액 is over ₩5,000,000; with 사업자등록, any 사업소득금액 above ₩0; or total
  income over ₩20,000,000. The 건강보험공단 applies it from November of the next year, after the May
  return.
- 직장가입자 (own job): 보수외소득 over ₩20,000,000 a year adds 소득월액보험료 on the excess.

사업소득금액 is 수입 − the same 단순경비율 expenses as the May estimate (tracker.tax). Pure functions
here, except `project_year`, which reads the ledger for the meter's "so far" and "to December".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from tracker.rates import load
from tracker.tax import simple_expense_rates

HEALTH_FILE = "health_insurance.toml"
MONEY_MAX = 100_000_000_000
NEAR_SHARE = Decimal("0.8")  # the meter warns once the year's 수입 reaches 80% of the line


def _floor_won(amount: Decimal) -> int:
    return int(amount.to_integral_value(rounding=ROUND_FLOOR))


def _whole(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int number of KRW")
    if value < 0:
        raise ValueError(f"{name}은(는) 0 이상이어야 합니다 (받은 값: {value}).")
    return value


@dataclass(frozen=True)
class Rule:
    """One entry of the data file, with the year it was written for (`applied_year`)."""

    values: dict
    applied_year: int
    fallback: bool  # True when no entry covers the year and the nearest one is used

    def __getitem__(self, key: str):
        return self.values[key]

    @property
    def confirmed(self) -> bool:
        return bool(self.values.get("confirmed", True))

    @property
    def source(self) -> str:
        return str(self.values.get("source", ""))

    @property
    def marker(self) -> str:
        return f" ({self.applied_year}년 값 적용)" if self.fallback else ""


def rule(kind: str, year: int) -> Rule:
    """The `[[kind]]` entry in force for income year `year` (the latest whose `year` ≤ it); before the
    first entry, the first one, marked as a fallback."""
    entries = load(HEALTH_FILE)[kind]
    valid = [e for e in entries if e["year"] <= year]
    if valid:
        entry = max(valid, key=lambda e: e["year"])
        return Rule(entry, entry["year"], False)
    entry = min(entries, key=lambda e: e["year"])
    return Rule(entry, entry["year"], True)


def business_expenses(year: int, revenue: int) -> int:
    """필요경비 by the 단순경비율, exactly as tracker.tax.estimate_annual computes them: the basic rate
    up to the threshold, the excess rate above it, under 1 won dropped."""
    rates = simple_expense_rates(year)
    income = Decimal(revenue)
    below = min(income, Decimal(rates.threshold))
    return _floor_won(below * rates.basic + (income - below) * rates.excess)


def business_income_amount(year: int, revenue: int) -> int:
    """사업소득금액 = 수입 − 단순경비율 필요경비."""
    return revenue - business_expenses(year, revenue)


def _largest_revenue(year: int, start: int, cap: int) -> int | None:
    """The largest 수입 ≥ `start` whose 사업소득금액 is ≤ `cap` (None when `start` is already over).
    The 소득금액 never falls as 수입 grows (each won adds 1 − rate ≥ 0 after flooring), so a binary
    search finds the exact edge, flooring included."""
    if cap < 0 or business_income_amount(year, start) > cap:
        return None
    low, high = start, MONEY_MAX
    if business_income_amount(year, high) <= cap:
        return high
    while high - low > 1:  # invariant: amount(low) ≤ cap < amount(high)
        mid = (low + high) // 2
        if business_income_amount(year, mid) <= cap:
            low = mid
        else:
            high = mid
    return low


def _won(amount: int) -> str:
    return f"{amount:,}원"


@dataclass(frozen=True)
class DependentCheck:
    """Whether a year's 사업소득 keeps 피부양자 status, and how much more 수입 it can take."""

    year: int
    business_revenue: int
    income_amount: int  # 사업소득금액 = 수입 − 단순경비율 경비
    other_income: int
    registered: bool
    business_limit: int  # 사업소득금액 상한 (5,000,000, or 0 with 사업자등록)
    total_limit: int  # 소득 합계 상한 (20,000,000)
    lost: bool
    revenue_headroom: int  # more 수입 that keeps the status; 0 once lost
    reason: str  # why it is lost ("" when kept)
    effective_from: date  # when a loss would take effect (November after the May return)
    confirmed: bool
    source: str
    marker: str  # " (2021년 값 적용)" when the data file has no entry for the year

    @property
    def revenue_line(self) -> int:
        """The most 수입 the year can have and keep the status (meaningful while not lost)."""
        return self.business_revenue + self.revenue_headroom

    @property
    def text(self) -> str:
        registration = "사업자등록이 있어 사업소득금액이 0원을 넘으면" if self.registered else (
            f"사업자등록이 없어 사업소득금액이 {_won(self.business_limit)}을 넘으면")
        when = (f"{self.year + 1}년 5월 종합소득세 신고 뒤 {self.effective_from.year}년 "
                f"{self.effective_from.month}월부터")
        head = (f"{self.year}년 사업소득 수입 {_won(self.business_revenue)} → 사업소득금액 "
                f"{_won(self.income_amount)}(단순경비율 경비를 뺀 금액)")
        if self.lost:
            return (f"{head}: {self.reason} 피부양자 자격을 잃습니다. {when} 지역가입자로 바뀌어 건강보험료를 "
                    f"따로 냅니다.{self.marker}")
        return (f"{head}: 피부양자 유지. 수입이 {_won(self.revenue_headroom)} 더 늘어도 유지되고, 그보다 많으면 "
                f"잃습니다({registration}, 또는 소득 합계가 {_won(self.total_limit)}을 넘으면). 잃게 되면 "
                f"{when} 적용됩니다.{self.marker}")


def dependent_check(year: int, business_revenue: int, *, registered: bool = False,
                    other_income: int = 0) -> DependentCheck:
    """피부양자 check for income year `year`: `business_revenue` is the year's 사업소득 수입 (3.3%),
    `other_income` the other 소득금액 (근로·연금·금융·기타) counted in the 소득 합계."""
    _whole(business_revenue, "business_revenue")
    _whole(other_income, "other_income")
    r = rule("dependent", year)
    business_limit = int(r["business_income_limit_registered"] if registered
                         else r["business_income_limit_unregistered"])
    total_limit = int(r["total_income_limit"])
    income_amount = business_income_amount(year, business_revenue)
    reasons = []
    if income_amount > business_limit:
        reasons.append("사업자등록이 있고 사업소득금액이 0원을 넘어" if registered else
                       f"사업자등록 없이 사업소득금액이 {_won(business_limit)}을 넘어")
    if other_income + income_amount > total_limit:
        reasons.append(f"소득 합계 {_won(other_income + income_amount)}이(가) {_won(total_limit)}을 넘어")
    lost = bool(reasons)
    headroom = 0
    if not lost:
        cap = min(business_limit, total_limit - other_income)
        edge = _largest_revenue(year, business_revenue, cap)
        headroom = 0 if edge is None else edge - business_revenue
    return DependentCheck(
        year=year, business_revenue=business_revenue, income_amount=income_amount, other_income=other_income,
        registered=registered, business_limit=business_limit, total_limit=total_limit, lost=lost,
        revenue_headroom=headroom, reason=", ".join(reasons),
        effective_from=date(year + 1, int(r["effective_month"]), 1),
        confirmed=r.confirmed, source=r.source, marker=r.marker,
    )


@dataclass(frozen=True)
class EmployeeCheck:
    """직장가입자: whether the year's 보수외소득 adds 소득월액보험료, and about how much."""

    year: int
    business_revenue: int
    income_amount: int  # 사업소득금액
    other_income: int
    non_wage_income: int  # 보수외소득 = 사업소득금액 + other_income
    limit: int
    over: bool
    excess: int  # 보수외소득 − limit (0 when not over)
    premium_rate: Decimal
    extra_premium_year: int  # excess × 보험료율, under 1 won dropped (장기요양보험료 별도)
    revenue_headroom: int  # more 수입 before the extra premium starts; 0 once over
    effective_from: date
    confirmed: bool  # the rate's entry and the method (premium_method) are both confirmed
    source: str
    marker: str

    @property
    def extra_premium_month(self) -> int:
        return self.extra_premium_year // 12

    @property
    def text(self) -> str:
        head = (f"{self.year}년 보수외소득(사업소득금액 {_won(self.income_amount)}"
                + (f" + 다른 소득 {_won(self.other_income)}" if self.other_income else "")
                + f") {_won(self.non_wage_income)}")
        if self.over:
            return (f"{head}: {_won(self.limit)}을 {_won(self.excess)} 넘어 소득월액보험료가 붙습니다. 어림으로 "
                    f"연 {_won(self.extra_premium_year)}(월 약 {_won(self.extra_premium_month)}, 보험료율 "
                    f"{self.premium_rate * 100:.2f}%, 장기요양보험료 별도), {self.effective_from.year}년 "
                    f"{self.effective_from.month}월부터 고지됩니다.{self.marker}")
        return (f"{head}: {_won(self.limit)} 이하라 소득월액보험료가 없습니다. 수입이 "
                f"{_won(self.revenue_headroom)} 더 늘어도 붙지 않습니다.{self.marker}")


def employee_check(year: int, business_revenue: int, *, other_income: int = 0) -> EmployeeCheck:
    """직장가입자 check for income year `year`: 보수외소득 over the line adds 소득월액보험료."""
    _whole(business_revenue, "business_revenue")
    _whole(other_income, "other_income")
    r = rule("employee", year)
    method = load(HEALTH_FILE).get("premium_method", {})
    limit = int(r["non_wage_income_limit"])
    rate = Decimal(r["premium_rate"])
    income_amount = business_income_amount(year, business_revenue)
    non_wage = income_amount + other_income
    excess = max(0, non_wage - limit)
    headroom = 0
    if not excess:
        edge = _largest_revenue(year, business_revenue, limit - other_income)
        headroom = 0 if edge is None else edge - business_revenue
    return EmployeeCheck(
        year=year, business_revenue=business_revenue, income_amount=income_amount, other_income=other_income,
        non_wage_income=non_wage, limit=limit, over=excess > 0, excess=excess, premium_rate=rate,
        extra_premium_year=_floor_won(Decimal(excess) * rate), revenue_headroom=headroom,
        effective_from=date(year + 1, 11, 1),
        confirmed=r.confirmed and bool(method.get("confirmed", True)),
        source="; ".join(s for s in (r.source, method.get("source", "")) if s), marker=r.marker,
    )


# ── the meter: this year so far and to December, against the line ───────────────────────────


@dataclass(frozen=True)
class Meter:
    year: int
    so_far: int  # 사업소득 수입 received so far this year (입금일 기준)
    projected: int  # so far + what is expected to land by December 31
    line: int  # the most 수입 that keeps 피부양자 (or stays under the 직장가입자 line)
    now: DependentCheck | EmployeeCheck
    forecast: DependentCheck | EmployeeCheck
    level: str  # "ok", "near" (≥ 80% of the line by December), "over_forecast", "over"

    @property
    def share(self) -> float:
        """How much of the line the year's projected 수입 uses (1.0 = at the line)."""
        if self.line <= 0:
            return 1.0 if self.projected > 0 else 0.0
        return self.projected / self.line

    @property
    def sentence(self) -> str:
        employee = isinstance(self.now, EmployeeCheck)
        what = "소득월액보험료가 붙는 선" if employee else "피부양자 자격을 잃는 선"
        head = (f"{self.year}년 사업소득 수입: 지금까지 {_won(self.so_far)}, 12월까지 예상 {_won(self.projected)}. "
                f"{what}은 수입 {_won(self.line)}입니다")
        if self.level == "over":
            return f"{head}: 이미 넘었습니다."
        if self.level == "over_forecast":
            return (f"{head}: 예상대로면 12월까지 넘습니다. 남은 여유는 수입 {_won(self.now.revenue_headroom)}"
                    "입니다.")
        left = (f"남은 여유는 지금까지 기준 수입 {_won(self.now.revenue_headroom)}, 12월까지 예상대로면 "
                f"{_won(self.forecast.revenue_headroom)}입니다.")
        if self.level == "near":
            return f"{head}: 12월까지 예상이 선의 {self.share:.0%}로 가깝습니다. {left}"
        return f"{head}. {left}"


def meter(year: int, so_far: int, projected: int, *, employee: bool = False, registered: bool = False,
          other_income: int = 0) -> Meter:
    """The meter's figures: `so_far` and `projected` are the year's 사업소득 수입 (projected ≥ so far)."""
    projected = max(projected, so_far)
    if employee:
        now = employee_check(year, so_far, other_income=other_income)
        later = employee_check(year, projected, other_income=other_income)
        over_now, over_later = now.over, later.over
    else:
        now = dependent_check(year, so_far, registered=registered, other_income=other_income)
        later = dependent_check(year, projected, registered=registered, other_income=other_income)
        over_now, over_later = now.lost, later.lost
    zero = (employee_check(year, 0, other_income=other_income) if employee
            else dependent_check(year, 0, registered=registered, other_income=other_income))
    line = zero.revenue_headroom
    if over_now:
        level = "over"
    elif over_later:
        level = "over_forecast"
    elif Decimal(projected) >= NEAR_SHARE * line:
        level = "near"
    else:
        level = "ok"
    return Meter(year, so_far, projected, line, now, later, level)


@dataclass(frozen=True)
class YearProjection:
    year: int
    so_far: int  # 사업소득(3.3%) 수입 received in the year up to today
    scheduled: int  # owed by business-income payers, expected by December 31 (gross, estimated)
    forecast: int  # forecast work paid by December 31 (gross, estimated)
    method: str

    @property
    def projected(self) -> int:
        return self.so_far + self.scheduled + self.forecast


def project_year(engine, today: date, *, prior=None, forecaster=None, owed=None, earned=None) -> YearProjection:
    """This year's 사업소득 수입 so far (deposits by date, as the 세금 page counts them) and to December:
    the 예측 page's cash flow (money owed at its expected date + forecast work moved to each payer's
    pay date, after the usual withholding) for the months left, over business-income (3.3%) payers
    only, turned back into 세전 amounts with the 3.3% rate. `owed` (tracker.receivables.receivables)
    and `earned` (tracker.income.earned_by_month): when the caller has already read them."""
    import numpy as np
    import pandas as pd

    from tracker import taxyear
    from tracker.cashflow import cash_flow
    from tracker.income import earned_by_month
    from tracker.models.enums import WithholdingKind
    from tracker.queries import company_rows
    from tracker.receivables import receivables
    from tracker.tax import effective_rate

    year = today.year
    so_far = taxyear.year_totals(engine, year).business_gross
    business = {c.id: c.name for c in company_rows(engine).values() if c.withholding_kind == WithholdingKind.BUSINESS}
    owed = receivables(engine, today) if owed is None else owed
    owed = owed[owed["company_id"].isin(list(business))]
    earned = earned_by_month(engine) if earned is None else earned
    names = set(business.values())  # a set lookup per row: pandas' isin on text columns is slower
    earned = earned[np.fromiter((c in names for c in earned["company"].tolist()), dtype=bool, count=len(earned))]
    months = 13 - today.month
    flow = cash_flow(engine, today, months=months, prior=prior, forecaster=forecaster, owed=owed, earned=earned)
    keep = 1 - effective_rate(WithholdingKind.BUSINESS, date(year, 12, 31))
    in_year = flow.frame[flow.frame["month"] <= pd.Timestamp(year, 12, 1)]
    scheduled = _floor_won(Decimal(int(in_year["scheduled"].sum())) / keep)
    forecast = _floor_won(Decimal(int(in_year["forecast"].sum())) / keep)
    method = (f"12월까지 예상 = {year}년에 입금된 사업소득(3.3%) 수입 + 12월까지 들어올 것으로 보는 돈(받을 돈의 예정일 "
              "기준, 그리고 예측 페이지와 같은 방법으로 예측한 앞으로의 작업을 회사별 지급 시기로 옮긴 금액)을 3.3%로 "
              "세전 금액으로 되돌린 값입니다. 기타소득·원천징수 없는 지급은 넣지 않았습니다.")
    return YearProjection(year, so_far, scheduled, forecast, method)
