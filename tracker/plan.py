"""A savings plan for the lean months (January–June). Pure: arrays and frames in, a plan out.

    "1–6월에 매달 ₩X를 쓰려면 지금부터 들어오는 돈의 ₩Y(약 Z%)를 따로 두세요"

- X is what the user means to spend each month (default: the median net earned per month over the
  last 12 whole months, `default_spend`).
- The lean window is the coming January–June (from this month on, if today is in it); the saving
  window is the months from this month to the one before the lean window (empty inside it).
- Money in the bank per month, for each simulated future: money already owed (receivables, at their
  expected month, overdue ones now) plus the simulated earnings of this month and later, moved to the
  month each company pays (its terms, by its share of the last 12 months' earnings) and less its usual
  withholding, as on the cash-flow chart. This month's simulated earnings count only above what is
  already earned (that is owed already).
- A future needs, at the start of the lean window, the least money that keeps "in hand − spending +
  income" at zero or more through June: the largest running deficit, max(0, max_k Σ_{m≤k} (X − in_m)).
- Y is the 80th percentile of that need over the simulated futures (it covers the lean months in 8 of 10
  cases), rounded up to 천 원; the half (50th) and 9-in-10 (90th) figures are its uncertainty.
- Z = Y / the money the saving window brings in (median over the futures).
- The money in hand today is not known: the plan starts from nothing; whatever is already saved can
  be taken off Y.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tracker.schedule import company_pay_date
from tracker.tax import effective_rate

LEAN_MONTHS = (1, 6)  # January through June: the government projects' off-season
COVER = 0.8  # the plan holds in 8 of 10 simulated futures
HALF, HIGH = 0.5, 0.9
PATHS = 2000
ROUND = 1000  # 천 원

Simulator = Callable[..., np.ndarray]


def _up(amount: float) -> int:
    """To whole won, then up to 천 원 (a plan to cover a need never rounds it down)."""
    return -(-int(round(float(amount))) // ROUND) * ROUND


def _near(amount: float) -> int:
    """To the nearest 천 원, halves up."""
    return int(np.floor(float(amount) / ROUND + 0.5)) * ROUND


def months_label(months) -> str:
    """'1–6월', '3–6월', '6월'."""
    first, last = months[0].month, months[-1].month
    return f"{first}월" if len(months) == 1 else f"{first}–{last}월"


def windows(today: date) -> tuple[pd.PeriodIndex, pd.PeriodIndex]:
    """(saving months, lean months): from July on, this month to December and then January–June of
    next year; from January to June, nothing to save ahead and this month to June."""
    this = pd.Period(today, freq="M")
    first, last = LEAN_MONTHS
    if this.month <= last:
        return (pd.PeriodIndex([], freq="M"),
                pd.period_range(max(this, pd.Period(year=this.year, month=first, freq="M")),
                                pd.Period(year=this.year, month=last, freq="M"), freq="M"))
    lean = pd.period_range(pd.Period(year=this.year + 1, month=first, freq="M"),
                           pd.Period(year=this.year + 1, month=last, freq="M"), freq="M")
    return pd.period_range(this, lean[0] - 1, freq="M"), lean


def default_spend(net_history: pd.Series) -> int:
    """The median net earned per month over the last 12 whole months (fewer when the history is
    shorter), to 천 원: spending what a usual month brings in (the median, so that two busy autumn
    months do not set the bar for the whole year)."""
    recent = net_history.iloc[-12:]
    return _near(float(recent.median())) if len(recent) else 0


def need(cash: np.ndarray, spend: int) -> np.ndarray:
    """Per future (row): the least money in hand at the start that spending `spend` a month against the
    month's income `cash` never runs below zero: max(0, largest running deficit)."""
    deficit = np.cumsum(spend - np.asarray(cash, dtype=float), axis=1)
    return np.maximum(deficit.max(axis=1), 0.0)


@dataclass(frozen=True)
class LeanPlan:
    spend: int  # X: planned spending per lean month
    lean: tuple[pd.Period, ...]  # the lean months
    saving: tuple[pd.Period, ...]  # the months before them, from this month (empty inside the lean months)
    save: int  # Y: covers the lean months in 8 of 10 futures, 천 원 rounded up
    half: int  # enough in half of the futures
    high: int  # enough in 9 of 10
    incoming: int  # the saving months' money in (median future), 천 원
    lean_income: int  # the lean months' money in (median future), 천 원
    paths: int

    @property
    def share(self) -> float | None:
        """Y as a share of what the saving months bring in; None when they bring nothing."""
        return self.save / self.incoming if self.incoming > 0 and self.saving else None

    def sentence(self) -> str:
        span, x, y = months_label(self.lean), f"₩{self.spend:,}", f"₩{self.save:,}"
        if self.save == 0:
            return f"{span}에 매달 {x}를 써도 그달그달 들어오는 돈으로 충분할 것으로 보입니다(10번 중 8번)."
        if not self.saving:
            return (f"{span}에 매달 {x}를 쓰려면 모아 둔 돈 가운데 {y}는 남겨 두세요"
                    f"(10번 중 8번은 이만큼이면 충분합니다).")
        share = self.share
        if share is None or share > 1:
            return (f"{span}에 매달 {x}를 쓰려면 필요한 돈({y})이 {self.saving[-1].month}월까지 들어올 돈"
                    f"(약 ₩{self.incoming:,})보다 많습니다: 쓰는 돈을 줄이거나 모아 둔 돈으로 채워야 합니다.")
        percent = max(1, round(share * 100))
        return f"{span}에 매달 {x}를 쓰려면 지금부터 들어오는 돈의 {y}(약 {percent}%)를 따로 두세요."

    def range_sentence(self) -> str:
        """The plan's uncertainty: what half and 9 in 10 of the futures need."""
        if self.high == 0:
            return ""
        half = "따로 둘 돈이 필요 없고" if self.half == 0 else f"₩{self.half:,}면 되고"
        return (f"10번 중 8번은 이 돈이면 {self.lean[-1].month}월까지 모자라지 않습니다. "
                f"절반의 경우엔 {half}, 10번 중 9번을 대비하려면 ₩{self.high:,}입니다.")

    def basis_sentence(self) -> str:
        """What the plan counted on, in words."""
        lean = f"{months_label(self.lean)}에 들어올 돈은 약 ₩{self.lean_income:,}"
        if self.saving:
            lean = f"{self.saving[-1].month}월까지 들어올 돈은 약 ₩{self.incoming:,}, " + lean
        return (f"{lean}입니다(받기로 된 돈 + 예측한 수입, 원천징수를 뺀 실수령, 모의 미래 {self.paths:,}개의 가운데 값). "
                "지금 가진 돈은 알 수 없어 0원에서 시작한다고 셈했습니다: 이미 모아 둔 돈이 있으면 그만큼 덜 떼어 두면 됩니다.")


def savings_plan(cash: np.ndarray, months: pd.PeriodIndex, today: date, spend: int) -> LeanPlan:
    """The plan from simulated money in per landing month: `cash` (n futures × len(months)) for
    `months`, which must run from today's month through the last lean month."""
    cash = np.atleast_2d(np.asarray(cash, dtype=float))
    saving, lean = windows(today)
    position = {p: i for i, p in enumerate(months)}
    missing = [p for p in (*saving, *lean) if p not in position]
    if missing or cash.shape[1] != len(months):
        raise ValueError("모의 수입의 달이 지금부터 6월까지를 덮지 않습니다.")
    lean_cash = cash[:, [position[p] for p in lean]]
    needs = need(lean_cash, int(spend))
    saving_cash = cash[:, [position[p] for p in saving]].sum(axis=1) if saving.size else np.zeros(len(cash))
    return LeanPlan(
        spend=int(spend), lean=tuple(lean), saving=tuple(saving),
        save=_up(np.quantile(needs, COVER)), half=_up(np.quantile(needs, HALF)), high=_up(np.quantile(needs, HIGH)),
        incoming=_near(float(np.median(saving_cash))), lean_income=_near(float(np.median(lean_cash.sum(axis=1)))),
        paths=len(cash))


# ── from the ledger's frames to money in per month ──────────────────────────────────────────

def company_mix(earned: pd.DataFrame, companies, today: date) -> list[tuple[float, object]]:
    """(share, company row) by each company's share of the gross earned since this month last year:
    how future work is expected to split between companies (the cash-flow chart's split). `companies`
    is tracker.queries.companies (name, pay terms, withholding kind), or already a mapping of name to
    such a row (tracker.queries.company_rows by name)."""
    start = pd.Timestamp(pd.Period(today, freq="M").to_timestamp()) - pd.DateOffset(months=12)
    recent = earned[earned["month"] >= start]
    shares = recent.groupby("company")["gross"].sum()
    shares = shares[shares > 0]
    rows = (companies if not isinstance(companies, pd.DataFrame)
            else {row.name: row for row in companies.itertuples(index=False)})
    shares = shares[[name in rows for name in shares.index]]
    if shares.empty:
        return []
    total = float(shares.sum())
    return [(float(v) / total, rows[name]) for name, v in shares.items()]


def landing_matrix(mix: Iterable[tuple[float, object]], work_months: pd.PeriodIndex,
                   months: pd.PeriodIndex) -> np.ndarray:
    """(work months × landing months): the share of a work month's gross that lands in each month,
    after the company's usual withholding. Money landing outside `months` is left out."""
    position = {p: i for i, p in enumerate(months)}
    matrix = np.zeros((len(work_months), len(months)))
    days = [m.to_timestamp().date() for m in work_months]
    cells: dict[tuple, tuple[int | None, float]] = {}  # companies on the same terms share the calendar work
    for share, company in mix:
        terms = (company.pay_months_after, company.pay_day, company.pay_shift, company.withholding_kind)
        for i, day in enumerate(days):
            cell = cells.get((terms, i))
            if cell is None:
                paid_on = company_pay_date(company, day)
                cell = cells[(terms, i)] = (position.get(max(pd.Period(paid_on, freq="M"), months[0])),
                                            float(1 - effective_rate(company.withholding_kind, paid_on)))
            j, keep = cell
            if j is not None:
                matrix[i, j] += share * keep
    return matrix


def scheduled_by_month(owed: pd.DataFrame, months: pd.PeriodIndex) -> np.ndarray:
    """Money already owed per landing month: overdue counts in the first month, later than the last
    month not at all."""
    out = np.zeros(len(months))
    if owed.empty:
        return out
    expected = pd.DatetimeIndex(pd.to_datetime(owed["expected_date"]))
    at = np.maximum((expected.year * 12 + expected.month).to_numpy() - (months[0].year * 12 + months[0].month), 0)
    inside = at < len(months)
    np.add.at(out, at[inside], owed["outstanding"].to_numpy(dtype=np.int64)[inside])
    return out


def lean_plan(history: pd.Series, today: date, spend: int, *, mix: list[tuple[float, object]], owed: pd.DataFrame,
              so_far: int = 0, prior=None, simulate: Simulator | None = None, n: int = PATHS,
              seed: int = 0) -> LeanPlan | None:
    """The plan for the coming lean months: `history` gross earned per whole month before today's,
    `so_far` gross earned this month, `mix` from company_mix, `owed` receivables as of today.
    None without a history to forecast from or without companies to be paid by."""
    if history.empty or float(history.sum()) <= 0 or not mix:
        return None
    if simulate is None:
        from tracker.forecast import simulate
    lean = windows(today)[1]
    this = pd.Period(today, freq="M")
    months = pd.period_range(this, lean[-1], freq="M")
    horizon = len(pd.period_range(history.index[-1] + 1, lean[-1], freq="M"))
    paths = np.asarray(simulate(history, horizon, n, seed=seed, prior=prior), dtype=float)
    work_months = pd.period_range(history.index[-1] + 1, periods=horizon, freq="M")
    current = work_months.get_loc(this) if this in work_months else None
    if current is not None:  # what is earned so far this month is owed already
        paths[:, current] = np.maximum(paths[:, current] - float(so_far), 0.0)
    paths = paths[:, work_months >= this]  # months before this one are in `owed`
    cash = paths @ landing_matrix(mix, work_months[work_months >= this], months) + scheduled_by_month(owed, months)
    return savings_plan(cash, months, today, spend)


def read_spend(value, field: str = "1–6월에 매달 쓸 돈") -> int:
    """The monthly spending typed on the page ("150만", "1,500,000원") as whole won; a Korean ValueError
    naming the field otherwise."""
    from tracker.inputs import parse_amount
    from tracker.models.base import MONEY_MAX

    amount = parse_amount(value)
    if amount is None:
        raise ValueError(f"{field}을 적어 주세요.")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"{field}을 읽지 못했습니다. 예: 1,500,000 또는 150만")
    if not 1 <= amount <= MONEY_MAX:
        raise ValueError(f"{field}은 ₩1부터 ₩{MONEY_MAX:,}까지입니다.")
    return amount
