"""From what landed in the bank to gross and withheld tax. Pure functions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tracker.tax import effective_rate, gross_from_net, withhold


@dataclass(frozen=True)
class Split:
    gross: int
    income_tax: int
    local_tax: int
    exact: bool  # True when the company's usual withholding leaves exactly the deposited amount

    @property
    def net(self) -> int:
        return self.gross - self.income_tax - self.local_tax


def _roundness(amount: int) -> int:
    zeros = 0
    while amount and amount % 10 == 0:
        amount //= 10
        zeros += 1
    return zeros


def propose_split(net: int, kind: str, paid_on: date, expected_gross: int | None = None) -> Split:
    """The gross and taxes most likely behind a deposit of `net`.

    Among the grosses whose usual withholding leaves exactly `net`, prefer the one still owed
    (`expected_gross`), then the roundest, then the largest. When none leaves exactly `net` (the
    payer rounds differently), the proposal keeps `net` and puts the difference in the income tax:
    the user sees it flagged and corrects it.
    """
    candidates = gross_from_net(net, kind, paid_on)
    if candidates:
        if expected_gross in candidates:
            gross = expected_gross
        else:
            gross = max(candidates, key=lambda g: (_roundness(g), g))
        w = withhold(gross, kind, paid_on)
        return Split(gross, w.income_tax, w.local_tax, exact=True)
    # No exact gross: start from the rate and let the income tax absorb the rounding.
    rate = effective_rate(kind, paid_on)
    gross = int((Decimal(net) / (1 - rate)).to_integral_value(rounding=ROUND_HALF_UP))
    w = withhold(gross, kind, paid_on)
    return Split(gross, gross - net - w.local_tax, w.local_tax, exact=False)


def withholding_difference(gross: int, income_tax: int, local_tax: int, kind: str, paid_on: date) -> int:
    """Withheld minus what the usual rule withholds (0 when they agree; positive: more was taken)."""
    return income_tax + local_tax - withhold(gross, kind, paid_on).total
