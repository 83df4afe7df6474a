"""Money by month: earned by work month, received by payment month, hours and KRW per hour.

Reads only; every frame is long-form (one row per month and company) so charts can stack it.
Earned money counts by work month: what the payments recorded for that month's work say (their
gross and the net actually paid, fixed-price projects included), and, for work no payment pays yet,
the work entries with the net the company's usual withholding leaves on its pay date: the same
figures as the unbilled rows of 받을 돈 (tracker.receivables). So 번 돈 = 받은 돈 + 받을 돈, to the won.
Received money is what landed, deposit by deposit, in the month it landed (tracker.queries.landed).
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from tracker.models import Company, Payment, PayScheme, Project
from tracker.queries import (
    Kept,
    LastOf,
    changes_between,
    company_rows,
    landed,
    not_behind,
    paid_by_month,
    project_companies,
    shared,
    work_state,
)
from tracker.receivables import same_paid, unbilled_with, unbilled_work
from tracker.tax import minimum_wage

INCOME_COLUMNS = ["month", "company", "gross", "net"]
PROJECT_COLUMNS = ["project_id", "company", "project", "task_type", "role", "pay_scheme", "minutes", "hours", "earned",
                   "krw_per_hour", "submitted", "rejected", "rejection_rate", "rejection_cost"]


def _by_month(frame: pd.DataFrame, when: str, names: dict[int, str]) -> pd.DataFrame:
    """Sum gross and net per month of `when` and company name: INCOME_COLUMNS, sorted."""
    if frame.empty:
        return pd.DataFrame(columns=INCOME_COLUMNS).astype({"gross": "int64", "net": "int64"})
    # Each distinct day is turned into its month once (not once per row); rows are summed per one integer
    # key, month × the company's place in name order (names are unique), so the sums come out sorted
    # by month and name as they are shown. Rows of a company not in `names` are left out.
    codes, days = pd.factorize(frame[when])
    starts = pd.DatetimeIndex(pd.to_datetime(days)).to_period("M").to_timestamp()
    month_codes, months = pd.factorize(starts, sort=True)
    ranked = sorted(names, key=lambda i: names[i])
    place = pd.Index(ranked).get_indexer(frame["company_id"].to_numpy())
    keep = (codes >= 0) & (place >= 0)
    width = len(ranked)
    key = month_codes[codes[keep]].astype("int64") * width + place[keep]
    sums = pd.DataFrame({"gross": frame["gross"].to_numpy(dtype="int64")[keep],
                         "net": frame["net"].to_numpy(dtype="int64")[keep]}).groupby(key, sort=True).sum()
    key = sums.index.to_numpy()
    out = pd.DataFrame({
        "month": months.take(key // width),
        "company": pd.Series([names[i] for i in ranked]).take(key % width).to_numpy(),
        "gross": sums["gross"].to_numpy(),
        "net": sums["net"].to_numpy(),
    })
    return out.astype({"gross": "int64", "net": "int64"})


# The last earned frame per engine, with the company and payment data versions and the work_months
# state (epoch, stamp) it stands at. After a write to work entries alone, only the (month, company) rows
# of the project-months it changed are summed again.
_EARNED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_EARNED_TABLES = ("company", "payment")


@dataclass(frozen=True)
class _Kept(Kept):
    months: np.ndarray  # the month column as datetime64 values
    place: np.ndarray  # each row's company in name order (the frame is sorted by month, then this)
    at: tuple = ()  # the data versions (company, payment, project, worklog) it is known to be current at
    paid: pd.DataFrame | None = None  # the recorded payments' sums it was worked out with (paid_by_month)
    codes: tuple = ()  # the paid codes its unbilled work was worked out with (unbilled_with)


def _read_ranked(companies: dict) -> tuple[pd.Index, dict[int, int]]:
    ranked = pd.Index(sorted(c.name for c in companies.values()))
    return ranked, {i: int(ranked.get_loc(c.name)) for i, c in companies.items()}


# Company names in name order, and each company id's place in it (names are unique): worked out once
# per company_rows dict (one per write to company).
_ranked = LastOf(_read_ranked)


def _kept(key: tuple, state, frame: pd.DataFrame, companies: dict) -> _Kept:
    return _Kept(key, state.epoch, state.stamp, frame, frame["month"].to_numpy(),
                 _ranked(companies)[0].get_indexer(frame["company"].to_numpy()))


def earned_by_month(engine: sa.Engine, *, work: pd.DataFrame | None = None) -> pd.DataFrame:
    """Gross and net earned per work month and company: recorded payments as recorded, unbilled work
    estimated (tracker.receivables.unbilled_work). Payments summed in SQL per month and company; work
    entries come summed per project and month (tracker.queries.work_months, or `work` when given).
    Without `work`, the frame is kept per engine and patched after writes to work entries: treat it
    as read-only."""
    if work is not None:
        companies = company_rows(engine)
        with engine.connect() as conn:
            return _earned(companies, paid_by_month(engine), unbilled_work(conn, companies, work))
    from tracker import dataversion

    found = dataversion.versions(engine)
    key = tuple(found.get(t, 0) for t in _EARNED_TABLES)
    kept = _EARNED.get(engine)
    if kept is not None and kept.at == (*key, found.get("project", 0), found.get("worklog", 0)):
        return kept.frame  # nothing it reads was written since (one query, not one per input)
    state = work_state(engine)
    companies = company_rows(engine)
    with engine.connect() as conn:
        unbilled, codes = unbilled_with(conn, companies, state, key)
    if (kept is not None and kept.key != key and kept.key[0] == key[0] and kept.paid is not None
            and same_paid(codes, kept.codes)):
        # Payments were written and the months they pay are what they were: when their sums per month
        # and company are too (a note, a received date), the kept frame still holds; else only the
        # (month, company) rows whose sums changed are summed again (an amount edited).
        paid = paid_by_month(engine)
        if paid is kept.paid or paid.equals(kept.paid):
            kept = replace(kept, key=key, paid=paid, codes=codes)
        elif not kept.frame.empty:
            groups = _changed_groups(kept.paid, paid, companies)
            if len(groups) * 4 <= max(len(kept.frame), 64):
                kept = replace(_regrouped(kept, companies, unbilled, groups, paid, key, kept.epoch, kept.stamp),
                               paid=paid, codes=codes)
    changed = None if kept is None or kept.key != key else changes_between(state, kept.epoch, kept.stamp)
    if changed is not None and not changed:
        _EARNED[engine] = replace(kept, at=(*key, *state.key))
        return kept.frame
    if kept is not None and kept.frame.empty:  # nothing to patch (and its columns have no dtypes yet)
        changed = None
    fresh = None if changed is None else _patched(engine, kept, companies, unbilled, changed, key, state)
    if fresh is not None:
        fresh = replace(fresh, paid=kept.paid, codes=codes)
    if fresh is None or fresh.frame.empty:  # an empty frame is built whole: its columns as _by_month has them
        paid = paid_by_month(engine)
        fresh = replace(_kept(key, state, _earned(companies, paid, unbilled), companies), paid=paid, codes=codes)
    if not_behind(kept, state):
        _EARNED[engine] = replace(fresh, at=(*key, *state.key))
    return fresh.frame


def _earned(companies: dict, paid: pd.DataFrame, unbilled: pd.DataFrame) -> pd.DataFrame:
    parts = [f for f in (paid, unbilled[["work_month", "company_id", "gross", "net"]]) if not f.empty]
    frame = pd.concat(parts, ignore_index=True) if parts else paid
    return _by_month(frame, "work_month", {i: c.name for i, c in companies.items()})


def _read_groups(paid: pd.DataFrame) -> dict:
    return {(m, int(c)): (int(g), int(n)) for m, c, g, n in zip(
        paid["work_month"].tolist(), paid["company_id"].tolist(), paid["gross"].tolist(), paid["net"].tolist())}


# (work month, company id) → (gross, net) of the recorded payments (one row each in paid_by_month),
# once per paid_by_month frame.
_paid_groups = LastOf(_read_groups)


def _sums_of(paid: pd.DataFrame, groups: set) -> dict:
    """(work month, company id) → [gross, net] of the recorded payments, for the `groups` that have some
    (the rows of their companies only: a few hundred at most)."""
    companies = np.array(sorted({c for _, c in groups}), dtype=np.int64)
    rows = np.flatnonzero(np.isin(paid["company_id"].to_numpy(dtype=np.int64), companies))
    return {(m, c): [int(g), int(n)] for m, c, g, n in zip(*(paid[k].to_numpy()[rows].tolist() for k in
                                                            ("work_month", "company_id", "gross", "net")))
            if (m, c) in groups}


def _changed_groups(before: pd.DataFrame, after: pd.DataFrame, companies: dict) -> set:
    """The (work month, company id) groups whose recorded payments' sums differ (of known companies)."""
    if len(before) == len(after) and all(np.array_equal(before[c].to_numpy(), after[c].to_numpy())
                                         for c in ("company_id", "work_month")):
        # The same groups in the same order (an amount edited): compare the sums column by column.
        rows = np.flatnonzero((before["gross"].to_numpy() != after["gross"].to_numpy())
                              | (before["net"].to_numpy() != after["net"].to_numpy()))
        return {g for g in zip(after["work_month"].take(rows).tolist(), after["company_id"].take(rows).tolist())
                if g[1] in companies}
    old, new = _paid_groups(before), _paid_groups(after)
    return {g for g in old.keys() | new.keys() if old.get(g) != new.get(g) and g[1] in companies}


def _patched(engine: sa.Engine, kept: _Kept, companies: dict, unbilled: pd.DataFrame, changed: frozenset,
             key: tuple, state) -> _Kept:
    """`kept` with the (month, company) rows of the `changed` project-months summed again."""
    owner = project_companies(engine)
    groups = {(m, owner[p]) for p, m in changed if p in owner and owner[p] in companies}
    paid = kept.paid if kept.paid is not None else paid_by_month(engine)  # what kept was built with
    return _regrouped(kept, companies, unbilled, groups, paid, key, state.epoch, state.stamp)


def _regrouped(kept: _Kept, companies: dict, unbilled: pd.DataFrame, groups: set, paid_frame: pd.DataFrame,
               key: tuple, epoch: int, stamp: int) -> _Kept:
    """`kept` with the (month, company) `groups` summed again from `paid_frame` and `unbilled`, as of
    (`epoch`, `stamp`) of work_months."""
    sums = _sums_of(paid_frame, groups)
    theirs = np.flatnonzero(np.isin(unbilled["company_id"].to_numpy(dtype=np.int64),
                                    np.array(sorted({c for _, c in groups}), dtype=np.int64)))
    part = unbilled.iloc[theirs]  # the unbilled rows of the touched companies, then of the touched months
    for m, c, g, n in zip(part["work_month"].tolist(), part["company_id"].tolist(), part["gross"].tolist(),
                          part["net"].tolist()):
        if (m, c) in groups:
            total = sums.setdefault((m, c), [0, 0])
            total[0] += int(g)
            total[1] += int(n)
    ranked, places = _ranked(companies)
    rank = {c: places[c] for _, c in groups}
    stale = {(np.datetime64(m, "D").astype(kept.months.dtype), rank[c]) for m, c in groups}
    targets = np.array(sorted({m for m, _ in stale}), dtype=kept.months.dtype)
    drop = np.zeros(len(kept.frame), dtype=bool)
    for i in np.flatnonzero(np.isin(kept.months, targets)):  # rows of the touched months only
        drop[i] = (kept.months[i], kept.place[i]) in stale
    fresh = sorted((np.datetime64(m, "D").astype(kept.months.dtype), rank[c], g, n) for (m, c), (g, n) in sums.items())
    dropped = np.flatnonzero(drop)
    if len(dropped) == len(fresh) and all(kept.months[i] == f[0] and kept.place[i] == f[1] for i, f in zip(dropped, fresh)):
        # The same (month, company) rows before and after (an entry added to a month that had some):
        # new sums in place, nothing to insert, drop or sort.
        gross, net = kept.frame["gross"].to_numpy().copy(), kept.frame["net"].to_numpy().copy()
        gross[dropped], net[dropped] = [f[2] for f in fresh], [f[3] for f in fresh]
        return _Kept(key, epoch, stamp, kept.frame.assign(gross=gross, net=net), kept.months, kept.place)
    added = pd.DataFrame({"month": np.array([f[0] for f in fresh], dtype=kept.months.dtype),
                          "company": [ranked[f[1]] for f in fresh],
                          "gross": [f[2] for f in fresh], "net": [f[3] for f in fresh]}).astype(kept.frame.dtypes.to_dict())
    keep = ~drop
    months = np.concatenate([kept.months[keep], added["month"].to_numpy()])
    place = np.concatenate([kept.place[keep], np.array([f[1] for f in fresh], dtype=kept.place.dtype)])
    parts = [f for f in (kept.frame[keep], added) if len(f)]
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0] if parts else added
    order = np.lexsort((place, months))
    return _Kept(key, epoch, stamp, frame.take(order).reset_index(drop=True), months[order], place[order])


def received_by_month(engine: sa.Engine) -> pd.DataFrame:
    """Gross and net that landed per month and company: each deposit in its own month, partial
    deposits of open payments included; a payment recorded with a received date only, in full then."""
    names = {i: c.name for i, c in company_rows(engine).items()}
    return _by_month(landed(engine), "received_on", names)


def monthly_totals(frame: pd.DataFrame, amount: str = "gross", *, through: date | None = None) -> pd.Series:
    """One number per month, every month from the first to `through` (or the last), zeros filled in."""
    if frame.empty:
        return pd.Series(dtype="int64", index=pd.PeriodIndex([], freq="M"))
    # Months as numpy month numbers (the ordinals of monthly periods), summed into one array.
    months = pd.to_datetime(frame["month"]).to_numpy().astype("datetime64[M]").astype(np.int64)
    first = int(months.min())
    end = pd.Period(through, freq="M").ordinal if through else int(months.max())
    stop = max(end, first)
    totals = np.zeros(stop - first + 1, dtype=np.int64)
    inside = months <= stop
    np.add.at(totals, months[inside] - first, frame[amount].to_numpy(dtype=np.int64)[inside])
    index = pd.PeriodIndex.from_ordinals(np.arange(first, stop + 1), freq="M")
    return pd.Series(totals, index=index, name=amount)


# months_before per frame while it lives: the kept earned frame is asked for the same history by the
# forecast, the cash flow and the savings plan of one rerun. Keyed by the frame's id and checked with a
# weak reference to it, so a new frame at a dead one's address is never taken for it.
_HISTORIES: dict[int, tuple[weakref.ref, dict]] = {}


def months_before(frame: pd.DataFrame, today: date, amount: str = "gross") -> pd.Series:
    """`monthly_totals` of the whole months before `today`'s month: the history a forecast starts from.
    Worked out once per frame, month and amount: treat the series as read-only."""
    this_month = pd.Period(today, freq="M")
    slot = _HISTORIES.get(id(frame))
    if slot is None or slot[0]() is not frame:
        slot = (weakref.ref(frame, lambda _gone, key=id(frame): _HISTORIES.pop(key, None)), {})
        _HISTORIES[id(frame)] = slot
    found = slot[1].get((this_month, amount))
    if found is None:
        series = monthly_totals(frame, amount, through=(this_month - 1).to_timestamp().date())
        found = slot[1][(this_month, amount)] = series[series.index < this_month]
    return found


def season_table(series: pd.Series) -> pd.DataFrame:
    """Year × month (1–12) totals: the same months of each year side by side."""
    if series.empty:
        return pd.DataFrame(columns=["year", "month", "amount"])
    return pd.DataFrame({"year": series.index.year, "month": series.index.month, "amount": series.values})


def year_to_date(series: pd.Series) -> pd.DataFrame:
    """Cumulative amount through each month of each year."""
    table = season_table(series)
    if table.empty:
        return table.assign(cumulative=[])
    table = table.sort_values(["year", "month"])
    return table.assign(cumulative=table.groupby("year")["amount"].cumsum())


def hours_by_month(engine: sa.Engine, *, work: pd.DataFrame | None = None) -> pd.DataFrame:
    """Hours worked, gross earned by the entries, KRW per hour and that year's minimum wage, per month
    (from tracker.queries.work_months, or `work` when given)."""
    if work is None:
        state = work_state(engine)
        work, ordinals = state.frame, state.codes >> 32  # the codes come in month order
    else:
        ordinals = np.fromiter((d.toordinal() for d in work["work_month"].tolist()), dtype=np.int64, count=len(work))
    order = np.argsort(ordinals, kind="stable")
    ordinals = ordinals[order]
    starts = np.flatnonzero(np.r_[True, ordinals[1:] != ordinals[:-1]]) if len(ordinals) else np.array([], dtype=np.int64)
    sums = [np.add.reduceat(work[c].to_numpy(dtype=np.int64)[order], starts).tolist() if len(starts) else []
            for c in ("minutes", "earned")]
    rows = []
    wages: dict[int, int | None] = {}
    for ordinal, minutes, earned in zip(ordinals[starts].tolist(), *sums):  # one row per month
        month = date.fromordinal(ordinal)
        if month.year not in wages:
            try:
                wages[month.year] = minimum_wage(month.year)
            except LookupError:
                wages[month.year] = None
        rows.append((pd.Timestamp(month.year, month.month, 1), round(minutes / 60, 1), earned,
                     int(earned * 60 // minutes) if minutes else None, wages[month.year]))
    return pd.DataFrame(rows, columns=["month", "hours", "earned", "krw_per_hour", "minimum_wage"])


# The last project_rates frame per engine, with the company, project and payment data versions and the
# work_months state it stands at: after a write to work entries alone, only the projects it touched are
# summed again.
_RATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_RATES_TABLES = ("company", "project", "payment")


def project_rates(engine: sa.Engine, *, work: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per project with work entries: hours, earned, KRW per hour, rejection rate and what rejections
    cost (entries from tracker.queries.work_months, or `work`; fixed-price payments summed in SQL),
    the best earning first. Without `work`, the frame is kept per engine and patched after writes to
    work entries: treat it as read-only."""
    if work is not None:
        return _in_order(_rates(engine, work))
    from tracker import dataversion

    found = dataversion.versions(engine)
    key = tuple(found.get(t, 0) for t in _RATES_TABLES)
    state = work_state(engine)
    kept = _RATES.get(engine)
    changed = None if kept is None or kept.key != key else changes_between(state, kept.epoch, kept.stamp)
    if changed is not None and not changed:
        return kept.frame
    if changed is None:
        frame = _in_order(_rates(engine, state.frame))
    else:  # the touched projects' rows summed again over all their months, the others as they were
        touched = np.array(sorted({int(p) for p, _ in changed}), dtype=np.int64)
        work = state.frame
        mine = work[np.isin(work["project_id"].to_numpy(dtype=np.int64), touched)]
        rest = kept.frame[~np.isin(kept.frame["project_id"].to_numpy(dtype=np.int64), touched)]
        parts = [f for f in (rest, _rates(engine, mine)) if len(f)]
        frame = _in_order(pd.concat(parts, ignore_index=True) if len(parts) > 1 else
                          parts[0] if parts else _rates(engine, mine))
    if not_behind(kept, state):
        _RATES[engine] = Kept(key, state.epoch, state.stamp, frame)
    return frame


def _in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The best earning project first, equal earnings by project id; KRW per hour whole won (float
    only when a project has no hours), the rejection rate a float (NaN without submitted items)."""
    hourly = pd.to_numeric(frame["krw_per_hour"])
    frame = frame.assign(krw_per_hour=hourly.astype("int64" if hourly.notna().all() else "float64"),
                         rejection_rate=pd.to_numeric(frame["rejection_rate"]).astype("float64"))
    return frame.sort_values(["earned", "project_id"], ascending=[False, True], kind="stable", ignore_index=True)


def _rates(engine: sa.Engine, work: pd.DataFrame) -> pd.DataFrame:
    """PROJECT_COLUMNS for the projects in `work` (rows of work_months), in project id order."""
    totals = work.groupby("project_id", sort=True)[["minutes", "earned", "submitted", "rejected",
                                                     "rejection_cost"]].sum()
    info = shared(engine, "project_info", ("company", "project"), _project_info)
    fixed = shared(engine, "fixed_paid", ("project", "payment"), _fixed_paid)
    out = []
    for pid, mins, earned, submitted, rejected, cost in zip(
            totals.index.tolist(), totals["minutes"].tolist(), totals["earned"].tolist(),
            totals["submitted"].tolist(), totals["rejected"].tolist(), totals["rejection_cost"].tolist()):
        pid, mins, submitted, rejected = int(pid), int(mins), int(submitted), int(rejected)
        company, name, task, role, scheme = info[pid]
        earned = int(earned) + int(fixed.get(pid, 0) or 0)
        out.append((pid, company, name, task, role, scheme, mins, round(mins / 60, 1), earned,
                    int(earned * 60 // mins) if mins else None, submitted, rejected,
                    round(rejected / submitted, 4) if submitted else None, int(cost)))
    return pd.DataFrame(out, columns=PROJECT_COLUMNS)


def _project_info(engine: sa.Engine) -> dict:
    with engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(
            select(Project.id, Company.name, Project.name, Project.task_type, Project.role, Project.pay_scheme)
            .join(Company, Company.id == Project.company_id)
        )}


def _fixed_paid(engine: sa.Engine) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(
            select(Payment.project_id, sa.func.sum(Payment.gross))
            .join(Project, Project.id == Payment.project_id)
            .where(Project.pay_scheme == PayScheme.FIXED).group_by(Payment.project_id)
        ).all())


def group_rates(projects: pd.DataFrame, by: str) -> pd.DataFrame:
    """KRW per hour and rejections per task type or role (from project_rates)."""
    if projects.empty:
        return pd.DataFrame(columns=[by, "hours", "earned", "krw_per_hour", "rejection_rate", "rejection_cost"])
    g = projects.groupby(by, as_index=False).agg(minutes=("minutes", "sum"), earned=("earned", "sum"),
                                                 submitted=("submitted", "sum"), rejected=("rejected", "sum"),
                                                 rejection_cost=("rejection_cost", "sum"))
    g["hours"] = (g["minutes"] / 60).round(1)
    g["krw_per_hour"] = pd.array([int(e * 60 // m) if m else None for e, m in zip(g["earned"], g["minutes"])],
                                 dtype="Int64")  # whole won; None without hours
    g["rejection_rate"] = (g["rejected"] / g["submitted"].where(g["submitted"] > 0)).round(4)
    return g[[by, "hours", "earned", "krw_per_hour", "rejection_rate", "rejection_cost"]].sort_values(
        "krw_per_hour", ascending=False, ignore_index=True)
