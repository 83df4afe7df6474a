"""From what landed in the bank to gross and withheld tax. Pure functions."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tracker.tax import effective_rate, gross_from_net, rounding_tolerance, split_withheld, withhold


@dataclass(frozen=True)
class Split:
    gross: int
    income_tax: int
    local_tax: int
    exact: bool  # True when the company's usual withholding leaves exactly the deposited amount
    # Korean sentence for the page when the proposal needs a word (the payer's own rounding, an
    # untaxed reading); "" otherwise.
    note: str = field(default="", compare=False)

    @property
    def net(self) -> int:
        return self.gross - self.income_tax - self.local_tax


def _roundness(amount: int) -> int:
    zeros = 0
    while amount and amount % 10 == 0:
        amount //= 10
        zeros += 1
    return zeros


def propose_split(net: int, kind: str, paid_on: date, expected_gross: int | None = None, days: int = 1) -> Split:
    """The gross and taxes most likely behind a deposit of `net`.

    1. The gross still owed (`expected_gross`), when its usual withholding leaves exactly `net`.
    2. The gross still owed, when the deposit lies within the payer's rounding of it
       (`tracker.tax.rounding_tolerance`: 21 KRW for 3.3%/8.8%): that gross, with the withholding
       actually taken (gross − net, split 10:1 into 소득세 and 지방소득세), flagged `exact=False`.
       E.g. 43,515 landing for 45,000 owed (3.3%) → 45,000 with 1,350 + 135, where the rule says
       1,350 + 130. A known gross is never replaced by a guess.
    3. Otherwise, among the grosses whose usual withholding leaves exactly `net`: the deposit itself
       when it is a payment the rule does not tax (small or exempt: gross = net), else the roundest,
       then the largest.
    4. When none leaves exactly `net` (a future rate table may leave gaps), the proposal keeps
       `net` and puts the difference in the income tax: the user sees it flagged and corrects it.

    `days`: for "daily" (일용근로), how many days the deposit covers (see `tracker.tax.withhold`).
    """
    candidates = gross_from_net(net, kind, paid_on, days)
    if expected_gross is not None and expected_gross in candidates:
        w = withhold(expected_gross, kind, paid_on, days)
        return Split(expected_gross, w.income_tax, w.local_tax, exact=True)
    if expected_gross is not None and 0 <= expected_gross - net:
        expected = withhold(expected_gross, kind, paid_on, days)
        difference = expected.net - net  # positive: the payer took more than the rule
        if expected.total and difference and abs(difference) <= rounding_tolerance(kind, paid_on, days):
            income_tax, local_tax = split_withheld(expected_gross - net, kind, paid_on)
            return Split(
                expected_gross, income_tax, local_tax, exact=False,
                note=(f"받을 세전 {expected_gross:,}원에서 {expected_gross - net:,}원을 뗀 것으로 보입니다: 기준대로면 "
                      f"{expected.total:,}원이라 {difference:+,}원 차이로, 지급처가 세금을 다르게 반올림한 것 같습니다."),
            )
    if candidates:
        if net in candidates:  # a payment the rule does not tax (small or exempt) keeps its gross
            note = "" if kind == "none" else "세금을 떼지 않는 소액 지급으로 보고 받은 금액을 그대로 세전 금액으로 두었습니다."
            return Split(net, 0, 0, exact=True, note=note)
        gross = max(candidates, key=lambda g: (_roundness(g), g))
        w = withhold(gross, kind, paid_on, days)
        return Split(gross, w.income_tax, w.local_tax, exact=True)
    # No exact gross: start from the rate and let the income tax absorb the rounding.
    rate = effective_rate(kind, paid_on)
    gross = int((Decimal(net) / (1 - rate)).to_integral_value(rounding=ROUND_HALF_UP))
    w = withhold(gross, kind, paid_on, days)
    return Split(gross, gross - net - w.local_tax, w.local_tax, exact=False)


def withholding_difference(gross: int, income_tax: int, local_tax: int, kind: str, paid_on: date,
                           days: int = 1) -> int:
    """Withheld minus what the usual rule withholds (0 when they agree; positive: more was taken)."""
    return income_tax + local_tax - withhold(gross, kind, paid_on, days).total
