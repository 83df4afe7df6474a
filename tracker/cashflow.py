"""What will land in the bank, and how far off the forecaster would have been. Pure over the database.

Cash flow for the next months = money already owed (receivables, at their expected month; overdue
counts now) + forecast earnings of future work, moved to the month each company pays it (its terms,
weighted by its share of the last 12 months' earnings) and reduced by its usual withholding.
The band adds the forecast's 80% limits month by month: a conservative (wide) band.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import sqlalchemy as sa

from tracker.income import earned_by_month, months_before
from tracker.models import Company
from tracker.queries import companies_by_name
from tracker.receivables import receivables
from tracker.schedule import company_pay_date
from tracker.tax import effective_rate

Forecaster = Callable[..., pd.DataFrame]
CASH_COLUMNS = ["month", "scheduled", "forecast", "lower", "upper", "total"]


def _default_forecaster() -> Forecaster:
    from tracker.forecast import forecast_monthly

    return forecast_monthly


@dataclass(frozen=True)
class CashFlow:
    frame: pd.DataFrame  # CASH_COLUMNS, one row per month, Timestamps at month start
    scheduled_total: int
    forecast_total: int
    sentence: str


def _keep_share(kind: str, on: date) -> float:
    """Share of gross left after the usual withholding of this kind (planning figure only)."""
    return float(1 - effective_rate(kind, on))


def _company_mix(engine: sa.Engine, earned: pd.DataFrame, today: date) -> list[tuple[float, Company]]:
    companies = companies_by_name(engine)
    recent = np.flatnonzero(earned["month"].to_numpy() >= np.datetime64(date(today.year - 1, today.month, 1)))
    sums: dict[str, int] = {}  # the names of those rows only (not of every month's)
    for name, gross in zip(earned["company"].iloc[recent].tolist(), earned["gross"].to_numpy()[recent].tolist()):
        sums[name] = sums.get(name, 0) + int(gross)
    shares = {name: sums[name] for name in sorted(sums) if sums[name] > 0}  # by name, as a groupby would
    total = sum(shares.values())
    return [(v / total, companies[name]) for name, v in shares.items() if name in companies]


def korean_months(months: list[int]) -> str:
    """[1..6] → '1–6월'; [11, 12, 1] → '11월–1월'; [3] → '3월'."""
    if len(months) == 1:
        return f"{months[0]}월"
    if months[0] > months[-1]:
        return f"{months[0]}월–{months[-1]}월"
    return f"{months[0]}–{months[-1]}월"


def seasonal_sentence(history: pd.Series, forecast: pd.DataFrame) -> str:
    """E.g. '1–6월은 작년처럼 평균보다 약 40% 적을 것으로 보입니다.': the forecast's first run of lean
    (January–June) months, or else of busy (July–December) months, against the last 12 months' average."""
    if len(history) < 12 or forecast.empty:
        return ""
    average = float(history.iloc[-12:].mean())
    if average <= 0:
        return ""
    months = [p.month for p in forecast.index]

    def first_run(in_half) -> list[int]:
        start = next((i for i, m in enumerate(months) if in_half(m)), None)
        if start is None:
            return []
        end = start
        while end < len(months) and in_half(months[end]):
            end += 1
        return list(range(start, end))

    positions = first_run(lambda m: m <= 6)  # the lean half-year matters most when it is coming
    if len(positions) < 2:
        positions = first_run(lambda m: m > 6)
    run = [months[i] for i in positions]
    values = forecast["mean"].iloc[positions]
    change = float(values.mean()) / average - 1
    if abs(change) < 0.1:
        return f"{korean_months(run)}은 지난 1년 평균과 비슷할 것으로 보입니다."
    of_month = history.index.month.to_numpy()  # once, not once per month of the run
    last_year = [history.iloc[np.flatnonzero(of_month == m)[-1]] for m in run if (of_month == m).any()]
    alike = bool(last_year) and ((sum(last_year) / len(last_year) < average) == (change < 0))
    rounded = int(round(abs(change) * 10)) * 10
    return (f"{korean_months(run)}은 {'작년처럼 ' if alike else ''}평균보다 약 {rounded}% "
            f"{'적을' if change < 0 else '많을'} 것으로 보입니다.")


def _month_number(day) -> int:
    return day.year * 12 + day.month - 1


def cash_flow(engine: sa.Engine, today: date, *, months: int = 6, prior=None,
              forecaster: Forecaster | None = None, owed: pd.DataFrame | None = None,
              earned: pd.DataFrame | None = None) -> CashFlow:
    """`owed` (receivables as of `today`) and `earned` (earned_by_month): when the caller already has them.

    The forecaster sees whole months only: the current month's earnings so far are owed already
    (unbilled receivables) and its forecast counts only what is still to be earned. Sums go into
    numpy arrays, one add per receivable and per (forecast month, company), framed once."""
    forecaster = forecaster or _default_forecaster()
    this_month = pd.Period(today, freq="M")
    first = _month_number(today)
    window = pd.period_range(this_month, periods=months, freq="M")
    if owed is None:
        owed = receivables(engine, today)
    scheduled = np.zeros(months, dtype=np.int64)
    if len(owed):
        at = np.maximum(np.array([_month_number(d) for d in owed["expected_date"]], dtype=np.int64) - first, 0)
        inside = at < months  # overdue money counts now; beyond the window it is left out
        np.add.at(scheduled, at[inside], owed["outstanding"].to_numpy(dtype=np.int64)[inside])

    if earned is None:
        earned = earned_by_month(engine)
    history = months_before(earned, today)
    flow = np.zeros((months, 3))
    result = None  # no forecast (no history to learn from, or no company to be paid by)
    mix = _company_mix(engine, earned, today)
    if len(history) and history.sum() > 0 and mix:
        result = forecaster(history, months, prior=prior)
        in_month = earned["month"].to_numpy() == np.datetime64(date(today.year, today.month, 1))
        so_far = float(earned["gross"].to_numpy()[in_month].sum())
        values = result[["mean", "lower", "upper"]].to_numpy(dtype=float)
        # Companies on the same pay terms and withholding share their pay date and kept share: each is
        # worked out once per forecast month, then every (month, company) part in one array operation.
        groups: dict[tuple, int] = {}
        group_of = np.array([groups.setdefault((c.pay_months_after, c.pay_day, c.pay_shift, c.withholding_kind),
                                               len(groups)) for _, c in mix], dtype=np.int64)
        examples = {g: c for (_, c), g in zip(mix, group_of.tolist())}
        shares = np.array([share for share, _ in mix], dtype=float)
        landings, parts = [], []
        for k, work_month in enumerate(result.index):
            row = values[k]
            if work_month == this_month:  # what is earned so far is already owed (unbilled receivables)
                row = np.clip(row - so_far, 0, None)
            month_day = work_month.to_timestamp().date()
            at_of, keep_of = np.empty(len(groups), dtype=np.int64), np.empty(len(groups), dtype=float)
            for g, company in examples.items():
                paid_on = company_pay_date(company, month_day)
                at_of[g] = _month_number(paid_on) - first
                keep_of[g] = _keep_share(company.withholding_kind, paid_on)
            at, keep = at_of[group_of], keep_of[group_of]
            inside = (at >= 0) & (at < months)
            landings.append(at[inside])
            parts.append((row[None, :] * shares[inside, None]) * keep[inside, None])  # row × share × keep
        landings, parts = np.concatenate(landings), np.concatenate(parts)
        if len(landings):  # added in the same order as one at a time: the same floats, to the won
            np.add.at(flow, landings, parts)
    forecast = np.round(flow).astype(np.int64)
    out = pd.DataFrame({
        "month": window.to_timestamp(),
        "scheduled": scheduled,
        "forecast": forecast[:, 0],
        "lower": scheduled + forecast[:, 1],
        "upper": scheduled + forecast[:, 2],
        "total": scheduled + forecast[:, 0],
    })
    scheduled_total, forecast_total = int(out["scheduled"].sum()), int(out["forecast"].sum())
    span = korean_months([p.month for p in window])
    sentence = (f"앞으로 {months}개월({span}) 동안 약 ₩{(scheduled_total + forecast_total) // 10000 * 10000:,}이 "
                f"들어올 것으로 보입니다: 받기로 된 돈 ₩{scheduled_total:,}과 새로 벌 것으로 보이는 돈 "
                f"약 ₩{forecast_total // 10000 * 10000:,}.")
    season = seasonal_sentence(history, result) if result is not None and not result.empty else ""
    return CashFlow(out, scheduled_total, forecast_total, f"{sentence} {season}".strip())


@dataclass(frozen=True)
class Backtest:
    origins: int  # how many past months the forecast was made from
    horizon: int
    model_error: int  # mean absolute error per forecast month, KRW
    naive_error: int  # the same for "same month last year"
    model_share: float  # error as a share of actual earnings (WAPE)
    naive_share: float

    def sentence(self) -> str:
        better = self.model_error < self.naive_error
        return (
            f"지난 {self.origins}개월 동안 매달 이 예측을 해 봤다면, 그 뒤 {self.horizon}개월의 수입을 한 달에 평균 "
            f"₩{self.model_error:,} (실제 수입의 약 {self.model_share:.0%}) 틀렸을 것입니다. "
            f"'작년 같은 달만큼 번다'고 보는 단순한 방법은 ₩{self.naive_error:,} (약 {self.naive_share:.0%}) "
            f"틀렸습니다: 이 예측이 {'더 정확했습니다' if better else '더 정확하지는 않았습니다'}."
        )


MAX_ORIGINS = 24  # the back-test forecasts from the last two years of months, not from every month
_BACKTESTS: OrderedDict = OrderedDict()  # the last few results by their exact inputs


def _prior_key(prior) -> object:
    if prior is None:
        return None
    if isinstance(prior, pd.Series):
        return tuple(prior.items())
    return repr(prior)


def backtest(series: pd.Series, *, horizon: int = 3, min_history: int = 12, prior=None,
             forecaster: Forecaster | None = None, max_origins: int | None = MAX_ORIGINS) -> Backtest | None:
    """Rolling origin over the labeler's own months (the last `max_origins` of them); None when there
    are not enough months yet. Each origin forecasts from every month before it.

    The result is kept by its inputs (the months and their amounts): a write that leaves the whole
    months unchanged (a work log of this month, a payment's note) costs nothing here, and the cost is
    bounded by max_origins × one forecast however long the ledger grows."""
    forecaster = forecaster or _default_forecaster()
    n = len(series)
    if n < min_history + 1:
        return None
    index = series.index  # months as their ordinals and the values as bytes: cheap to compare
    months = index.asi8.tobytes() if hasattr(index, "asi8") else tuple(index)
    key = (type(index).__name__, getattr(index, "freqstr", None), months,
           np.ascontiguousarray(series.to_numpy(), dtype=float).tobytes(), horizon, min_history, max_origins,
           forecaster, _prior_key(prior))
    if key in _BACKTESTS:
        _BACKTESTS.move_to_end(key)
        return _BACKTESTS[key]
    first = min_history if max_origins is None else max(min_history, n - max_origins)
    model_errors, naive_errors, actual_total = [], [], 0.0
    origins = 0
    for cut in range(first, n):
        past, future = series.iloc[:cut], series.iloc[cut: cut + horizon]
        predicted = forecaster(past, len(future), prior=prior)["mean"].to_numpy()
        for k, (period, actual) in enumerate(future.items()):
            same_month = period - 12
            naive = float(series[same_month]) if same_month in series.index else float(past.iloc[-1])
            model_errors.append(abs(float(actual) - float(predicted[k])))
            naive_errors.append(abs(float(actual) - naive))
            actual_total += float(actual)
        origins += 1
    if not model_errors:
        return None
    denominator = actual_total or 1.0
    result = Backtest(origins, horizon, int(round(sum(model_errors) / len(model_errors))),
                      int(round(sum(naive_errors) / len(naive_errors))), sum(model_errors) / denominator,
                      sum(naive_errors) / denominator)
    _BACKTESTS[key] = result
    while len(_BACKTESTS) > 8:
        _BACKTESTS.popitem(last=False)
    return result
