"""Withholding on payments to freelancers. Pure functions: no Streamlit, no database.

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
        base = Decimal(gross) - (Decimal(gross) * Decimal(rule["deemed_expense_rate"]))
        if base <= rule["tax_free_income_up_to"]:
            return Withholding(gross, 0, 0)
    income_tax = floor_10(base * Decimal(rule["income_tax_rate"]))
    if income_tax < rule["exempt_below"]:
        return Withholding(gross, 0, 0)
    local_tax = floor_10(Decimal(income_tax) * Decimal(rule["local_tax_rate"]))
    return Withholding(gross, income_tax, local_tax)


def _effective_rate(kind: str, paid_on: date) -> Decimal:
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
    keep = 1 - _effective_rate(kind, paid_on)
    # Each floor to 10 KRW moves the net by less than 10, so the answer lies within a few
    # dozen won of net / (1 - rate); tax-free payments (small or exempt) have gross == net.
    low = max(0, math.floor((Decimal(net) - 30) / keep) - 2)
    high = math.ceil(Decimal(net) / keep) + 2
    candidates = {net, *range(low, high + 1)}
    return sorted(g for g in candidates if withhold(g, kind, paid_on).net == net)
