"""Reads for the pages: plain DataFrames (never ORM objects), one query per table, no query per row."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import weakref

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import select

from tracker.models import (
    ACTIVE_PROJECT_STATUSES,
    Company,
    Deposit,
    PayScheme,
    Payment,
    Project,
    WorkLog,
    WorkLogMonth,
    days_late,
    payment_status,
)
from tracker.schedule import company_pay_date, terms_label
from tracker.timeutil import add_months, month_start

COMPANY_COLUMNS = ["id", "name", "kind", "terms", "withholding_kind", "active", "projects", "website", "notes",
                   "pay_months_after", "pay_day", "pay_shift", "version"]
PROJECT_COLUMNS = ["id", "company_id", "company", "name", "task_type", "role", "pay_scheme", "unit_price", "status",
                   "start_date", "end_date", "deadline", "remote", "certificate", "notes", "version"]
WORKLOG_COLUMNS = ["id", "work_date", "company_id", "company", "project_id", "project", "minutes",
                   "items_submitted", "items_rejected", "rate", "pay_scheme", "earnings", "note", "version"]
PAYMENT_COLUMNS = ["id", "company_id", "company", "project_id", "project", "work_month", "gross", "income_tax",
                   "local_tax", "net", "expected_date", "received_date", "status", "days_late", "deposited",
                   "outstanding", "note", "version"]
LANDED_COLUMNS = ["payment_id", "company_id", "received_on", "gross", "income_tax", "local_tax", "net"]

# KRW earned by one work entry, in SQL (the same rule as tracker.models.earnings: accepted items × rate,
# or minutes × rate // 60 floored per entry; fixed-price entries earn 0).
WORK_EARNINGS = sa.case(
    (WorkLog.pay_scheme == PayScheme.PER_ITEM, (WorkLog.items_submitted - WorkLog.items_rejected) * WorkLog.rate),
    (WorkLog.pay_scheme == PayScheme.PER_HOUR, (WorkLog.minutes * WorkLog.rate) // 60),
    else_=0,
)


# Money and counts per project and work month, summed in SQL (work_months).
WORK_MONTH_COLUMNS = ["project_id", "company_id", "work_month", "entries", "minutes", "earned", "submitted",
                      "rejected", "rejection_cost"]
PAGE_SIZE = 200  # rows a ledger table shows at once (the rest a page away)


class month_of(FunctionElement):
    """The first day of a date's month, as a DATE, on SQLite and PostgreSQL alike."""

    type = sa.Date()
    name = "month_of"
    inherit_cache = True


@compiles(month_of)
def _month_of_sqlite(element, compiler, **kw) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(month_of, "postgresql")
def _month_of_postgresql(element, compiler, **kw) -> str:
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def _month_bounds(month: date) -> tuple[date, date]:
    start = month_start(month)
    return start, add_months(start, 1)


def companies(engine: sa.Engine) -> pd.DataFrame:
    counts = (
        select(Project.company_id, sa.func.count(Project.id).label("n")).group_by(Project.company_id).subquery()
    )
    query = (
        select(
            Company.id, Company.name, Company.kind, Company.withholding_kind, Company.active,
            sa.func.coalesce(counts.c.n, 0), Company.website, Company.notes,
            Company.pay_months_after, Company.pay_day, Company.pay_shift, Company.version,
        )
        .outerjoin(counts, counts.c.company_id == Company.id)
        .order_by(Company.active.desc(), Company.name)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    data = [
        (r[0], r[1], r[2], terms_label(r[8], r[9], r[10]), r[3], bool(r[4]), int(r[5]), r[6], r[7], r[8], r[9], r[10], r[11])
        for r in rows
    ]
    return _frame(data, COMPANY_COLUMNS)


def projects(engine: sa.Engine, *, company_id: int | None = None, status: str | None = None) -> pd.DataFrame:
    query = select(
        Project.id, Project.company_id, Company.name, Project.name, Project.task_type, Project.role,
        Project.pay_scheme, Project.unit_price, Project.status, Project.start_date, Project.end_date,
        Project.deadline, Project.remote, Project.certificate, Project.notes, Project.version,
    ).join(Company, Company.id == Project.company_id)
    if company_id is not None:
        query = query.where(Project.company_id == company_id)
    if status is not None:
        query = query.where(Project.status == status)
    query = query.order_by(Project.start_date.desc().nulls_first(), Project.id.desc())
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    data = [
        (r[0], r[1], r[2], r[3], r[4], r[5], r[6], int(r[7]), r[8], r[9], r[10], r[11], bool(r[12]), r[13], r[14], r[15])
        for r in rows
    ]
    return _frame(data, PROJECT_COLUMNS)


def _worklog_filter(query, company_id: int | None, project_id: int | None, month: date | None):
    if company_id is not None:
        query = query.where(Project.company_id == company_id)
    if project_id is not None:
        query = query.where(WorkLog.project_id == project_id)
    if month is not None:
        start, stop = _month_bounds(month)
        query = query.where(WorkLog.work_date >= start, WorkLog.work_date < stop)
    return query


def worklogs(
    engine: sa.Engine,
    *,
    company_id: int | None = None,
    project_id: int | None = None,
    month: date | None = None,
    limit: int | None = None,
    offset: int = 0,
    since: date | None = None,
    until: date | None = None,
) -> pd.DataFrame:
    """Work entries, newest first; `limit`/`offset` page through them, `since`/`until` (inclusive) keep
    a span of days (filters and paging in SQL)."""
    query = (
        select(
            WorkLog.id, WorkLog.work_date, Company.id, Company.name, Project.id, Project.name, WorkLog.minutes,
            WorkLog.items_submitted, WorkLog.items_rejected, WorkLog.rate, WorkLog.pay_scheme, WORK_EARNINGS,
            WorkLog.note, WorkLog.version,
        )
        .join(Project, Project.id == WorkLog.project_id)
        .join(Company, Company.id == Project.company_id)
    )
    query = _worklog_filter(query, company_id, project_id, month)
    if since is not None:
        query = query.where(WorkLog.work_date >= since)
    if until is not None:
        query = query.where(WorkLog.work_date <= until)
    query = query.order_by(WorkLog.work_date.desc(), WorkLog.id.desc())
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = _frame(rows, WORKLOG_COLUMNS)
    for column in ("rate", "earnings"):
        frame[column] = frame[column].astype("int64")
    return frame


@dataclass(frozen=True)
class WorkTotals:
    entries: int
    minutes: int
    submitted: int
    rejected: int
    earnings: int


def worklog_totals(engine: sa.Engine, *, company_id: int | None = None, project_id: int | None = None,
                   month: date | None = None) -> WorkTotals:
    """Count, minutes, items and KRW earned of the entries the filters keep: one SQL aggregate (no
    GROUP BY: cheaper right after a write than the per-month sums the other pages share)."""
    query = select(sa.func.count(WorkLog.id), sa.func.coalesce(sa.func.sum(WorkLog.minutes), 0),
                   sa.func.coalesce(sa.func.sum(WorkLog.items_submitted), 0),
                   sa.func.coalesce(sa.func.sum(WorkLog.items_rejected), 0),
                   sa.func.coalesce(sa.func.sum(WORK_EARNINGS), 0))
    if company_id is not None:
        query = query.join(Project, Project.id == WorkLog.project_id)
    with engine.connect() as conn:
        row = conn.execute(_worklog_filter(query, company_id, project_id, month)).one()
    return WorkTotals(*(int(v) for v in row))


def worklog_months(engine: sa.Engine, *, company_id: int | None = None,
                   project_id: int | None = None) -> list[date]:
    """The work months that have entries, newest first (for a month picker)."""
    month = month_of(WorkLog.work_date)
    query = select(month)
    if company_id is not None:
        query = query.join(Project, Project.id == WorkLog.project_id)
    with engine.connect() as conn:
        return sorted({r[0] for r in conn.execute(_worklog_filter(query, company_id, project_id, None).distinct())},
                      reverse=True)


def days_worked(engine: sa.Engine, project_ids: list[int]) -> dict[tuple[int, date], int]:
    """Distinct days with entries per (project, work month), for these projects only (일용근로 is
    withheld per day, so only its payers need the count)."""
    if not project_ids:
        return {}
    month = month_of(WorkLog.work_date)
    query = (select(WorkLog.project_id, month, sa.func.count(sa.distinct(WorkLog.work_date)))
             .where(WorkLog.project_id.in_(project_ids)).group_by(WorkLog.project_id, month))
    with engine.connect() as conn:
        return {(int(p), m): int(n) for p, m, n in conn.execute(query)}


# Reads shared per engine until a data version of their tables changes (the versions are read before
# the rows, so a write landing in between only costs a second read, never a stale value). Several pages
# and cached functions need the same companies or payment keys: each is read once per version.
_SHARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def shared(engine: sa.Engine, name: str, tables: tuple[str, ...], build):
    """`build(engine)`, kept per engine under `name` until a data version of `tables` changes.
    Treat the value as read-only."""
    from tracker import dataversion

    found = dataversion.versions(engine)
    key = tuple(found.get(t, 0) for t in tables)
    kept = _SHARED.setdefault(engine, {})
    hit = kept.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    value = build(engine)
    kept[name] = (key, value)
    return value


def _read_company_rows(engine: sa.Engine) -> dict:
    with engine.connect() as conn:
        return {c.id: c for c in conn.execute(select(Company)).all()}


def company_rows(engine: sa.Engine) -> dict:
    """Company id → its row (every column; a plain read-only Row, not an ORM object), read once per
    write to company."""
    return shared(engine, "company_rows", ("company",), _read_company_rows)


def _read_project_companies(engine: sa.Engine) -> dict[int, int]:
    with engine.connect() as conn:
        return {int(p): int(c) for p, c in conn.execute(select(Project.id, Project.company_id))}


def project_companies(engine: sa.Engine) -> dict[int, int]:
    """Project id → its company's id, read once per write to project."""
    return shared(engine, "project_companies", ("project",), _read_project_companies)


def companies_by_name(engine: sa.Engine) -> dict:
    """Company name → its row (company_rows; names are unique), read once per write to company."""
    return shared(engine, "companies_by_name", ("company",),
                  lambda found: {c.name: c for c in company_rows(found).values()})


# Tables whose rows carry row stamps (tracker/rowstamps.py) are mirrored per engine: read whole once,
# then, after a write, only the rows stamped since are read and merged in. A delete (counted beside
# the stamps) or many changed rows read the table whole again.
PATCH_SHARE = 4  # more changed rows than 1/PATCH_SHARE of what is kept: read it all again


def row_stamps(conn: sa.Connection) -> dict[str, tuple[int, int]]:
    """Per stamped table: the last stamp given and the deletes counted (two rows, read before the rows
    they stand for: a write landing in between is read again next time, never missed)."""
    return {name: (int(stamp), int(deleted)) for name, stamp, deleted in
            conn.exec_driver_sql("SELECT name, stamp, deleted FROM row_stamp")}


def too_many(changed: int, kept: int) -> bool:
    return changed * PATCH_SHARE > max(kept, 64)


@dataclass(frozen=True)
class _PaymentRows:
    key: int  # the payment data version it stands at
    stamp: int  # the row stamp it has caught up to
    deleted: int  # the deletes counted when it was read whole
    ids: np.ndarray  # payment ids, ascending (the frame's order)
    frame: pd.DataFrame
    # The frame (this one or an older one) whose project, company and work month columns equal this
    # one's: what is worked out from those alone (the months paid) is kept by its identity.
    keyed: pd.DataFrame
    # (the previous frame, the positions whose gross or net changed) when this frame is that one with
    # amounts edited only: sums per group are patched from it instead of summed again.
    step: tuple | None = None


_PAYMENT_ROW_NAMES = ("project_id", "company_id", "work_month", "gross", "net")  # the frame's columns


_PAYMENT_ROWS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PAYMENT_ROW_COLUMNS = (Payment.project_id, Payment.company_id, Payment.work_month, Payment.gross, Payment.net)
_PAYMENTS = select(Payment.id, *_PAYMENT_ROW_COLUMNS).order_by(Payment.id)
_PAYMENTS_SINCE = _PAYMENTS.where(Payment.stamp > sa.bindparam("stamp"))  # built once: compiled once


def _payment_frame(rows: list) -> pd.DataFrame:
    columns = list(zip(*rows)) or [()] * 6  # id first, then _PAYMENT_ROW_COLUMNS
    return pd.DataFrame({
        "project_id": pd.array(list(columns[1]), dtype="Int64"),
        "company_id": np.fromiter(columns[2], dtype=np.int64, count=len(rows)),
        "work_month": list(columns[3]),
        "gross": np.fromiter(columns[4], dtype=np.int64, count=len(rows)),
        "net": np.fromiter(columns[5], dtype=np.int64, count=len(rows)),
    })


def _ids(rows: list) -> np.ndarray:
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))


def _payment_caught_up(kept: _PaymentRows, rows: list, key: int, stamp: int) -> _PaymentRows:
    """`kept` with the changed `rows` (id first, in id order) merged in; the same frame when no column
    it holds changed (a note, a received date)."""
    ids = _ids(rows)
    at = np.minimum(np.searchsorted(kept.ids, ids), max(len(kept.ids) - 1, 0))
    known = (kept.ids[at] == ids) if len(kept.ids) else np.zeros(len(ids), dtype=bool)
    if known.all():
        frame = kept.frame
        projects = frame["project_id"].array[at].to_numpy(dtype=object, na_value=None).tolist()
        before = list(zip(projects, *(frame[c].to_numpy()[at].tolist() for c in _PAYMENT_ROW_NAMES[1:])))
        if all(b[:3] == tuple(r[1:4]) for b, r in zip(before, rows)):  # the same project, company and month
            if all(b[3:] == tuple(r[4:]) for b, r in zip(before, rows)):
                return replace(kept, key=key, stamp=stamp)
            columns = {c: frame[c].to_numpy().copy() for c in ("gross", "net")}
            columns["gross"][at] = [r[4] for r in rows]
            columns["net"][at] = [r[5] for r in rows]
            return _PaymentRows(key, stamp, kept.deleted, kept.ids, frame.assign(**columns), kept.keyed, (frame, at))
    fresh = _payment_frame(rows)
    keep = ~np.isin(kept.ids, ids)
    merged = np.concatenate([kept.ids[keep], ids])
    order = np.argsort(merged, kind="stable")
    frame = pd.concat([kept.frame[keep], fresh], ignore_index=True).take(order).reset_index(drop=True)
    return _PaymentRows(key, stamp, kept.deleted, merged[order], frame, frame)


def _payment_state(engine: sa.Engine) -> _PaymentRows:
    from tracker import dataversion

    key = dataversion.versions(engine).get("payment", 0)
    kept = _PAYMENT_ROWS.get(engine)
    if kept is not None and kept.key == key:
        return kept
    with engine.connect() as conn:
        stamp, deleted = row_stamps(conn).get("payment", (0, 0))
        state = None
        if kept is not None and kept.deleted == deleted:
            rows = conn.execute(_PAYMENTS_SINCE, {"stamp": kept.stamp}).all()
            if not too_many(len(rows), len(kept.ids)):
                state = _payment_caught_up(kept, rows, key, stamp)
        if state is None:
            rows = conn.execute(_PAYMENTS).all()
            frame = _payment_frame(rows)
            state = _PaymentRows(key, stamp, deleted, _ids(rows), frame, frame)
    _PAYMENT_ROWS[engine] = state
    return state


def _payment_rows(engine: sa.Engine) -> pd.DataFrame:
    """Every payment's project (or <NA>), company, work month, gross and net, in id order: after a
    write to payment only the rows it stamped are read, and the frame is the same object as before
    when these columns did not change, so what is worked out from it is not worked out again and
    readers can tell by identity. Treat it as read-only."""
    return _payment_state(engine).frame


_FROM_ROWS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine → {name: LastOf}


class LastOf:
    """`build(source)`, kept while the same object comes again (by identity: the objects it is used
    with, such as company_rows dicts or kept frames, are replaced, never changed)."""

    def __init__(self, build):
        self.build = build
        self._last: tuple | None = None

    def __call__(self, source, patch=None):
        """`patch(last source, last value)`, when given, may work the new value out from the last one
        (None: it cannot, build it)."""
        last = self._last
        if last is None or last[0] is not source:
            value = patch(*last) if patch is not None and last is not None else None
            last = self._last = (source, self.build(source) if value is None else value)
        return last[1]


def kept_for(engine: sa.Engine, name, source, build, patch=None):
    """`build(source)` kept per engine under `name` while `source` is the same object (see LastOf)."""
    found = _FROM_ROWS.setdefault(engine, {}).get(name)
    if found is None:
        found = _FROM_ROWS[engine][name] = LastOf(build)
    return found(source, patch)


def payment_derived(engine: sa.Engine, name: str, build, rows: pd.DataFrame | None = None):
    """`build(rows)` of the current payment rows (or `rows`), kept while they are the same frame."""
    return kept_for(engine, ("payment rows", name), _payment_rows(engine) if rows is None else rows, build)


def _paid_codes_of(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    ordinals = np.fromiter((m.toordinal() for m in rows["work_month"].tolist()), dtype=np.int64, count=len(rows))
    whole = rows["project_id"].isna().to_numpy()
    project = rows["project_id"].to_numpy(dtype=np.int64, na_value=0)
    company = rows["company_id"].to_numpy(dtype=np.int64)
    return (np.unique((ordinals[~whole] << 32) | project[~whole]), np.unique((ordinals[whole] << 32) | company[whole]))


def paid_codes(engine: sa.Engine) -> tuple[np.ndarray, np.ndarray]:
    """payment_keys as sorted int64 codes (work month ordinal << 32 | id, as work_code), for checking
    every project-month at once with numpy. Worked out again only when a payment's project, company
    or work month changed."""
    return payment_derived(engine, "paid_codes", _paid_codes_of, _payment_state(engine).keyed)


def payment_keys(engine: sa.Engine) -> tuple[frozenset, frozenset]:
    """The (project, work month) pairs that project payments pay and the (company, work month) pairs
    that payments without a project pay (tracker.receivables' rule), worked out once per change to them."""
    keyed = _payment_state(engine).keyed

    def keys(rows: pd.DataFrame) -> tuple[frozenset, frozenset]:
        return tuple(frozenset((int(c & 0xFFFFFFFF), date.fromordinal(int(c >> 32))) for c in codes)
                     for codes in payment_derived(engine, "paid_codes", _paid_codes_of, rows))

    return payment_derived(engine, "payment_keys", keys, keyed)


_GROUPS = ["work_month", "company_id"]


def _paid_by_month_of(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.groupby(_GROUPS, as_index=False, sort=False)[["gross", "net"]].sum()[[*_GROUPS, "gross", "net"]]


def paid_by_month(engine: sa.Engine, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recorded payments' gross and net summed per work month and company (of `rows` when given), once
    per change to the payment rows; after amounts alone were edited, the kept sums are patched by the
    differences (the groups, in order of first appearance, are those of the rows' keys)."""
    if rows is not None:
        return payment_derived(engine, "paid_by_month", _paid_by_month_of, rows)
    state = _payment_state(engine)

    def patch(before: pd.DataFrame, sums: pd.DataFrame) -> pd.DataFrame | None:
        if state.step is None or state.step[0] is not before:
            return None
        at = state.step[1]
        groups = payment_derived(engine, "groups", lambda r: r.groupby(_GROUPS, sort=False).ngroup().to_numpy(),
                                 state.keyed)[at]
        columns = {}
        for c in ("gross", "net"):
            columns[c] = sums[c].to_numpy().copy()
            np.add.at(columns[c], groups, state.frame[c].to_numpy()[at] - before[c].to_numpy()[at])
        return sums.assign(**columns)

    return kept_for(engine, ("payment rows", "paid_by_month"), state.frame, _paid_by_month_of, patch)


# The last work_months state per engine: the frame, the data versions and the stamp it was read at,
# and the patches since the last whole read (the 작업 기록 scan the pages, the cash flow, the tax year's
# projection and the digest share it; a write to project or worklog bumps a version).
_WORK_MONTHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
PATCHES_KEPT = 64  # patches remembered for readers catching up (changes_between); older ones start again


@dataclass(frozen=True)
class WorkState:
    """work_months as one reader last saw it. `epoch` counts whole reads; `patches` are the
    (stamp before, stamp after, (project_id, month) keys changed) of each catch-up since the last one."""

    key: tuple[int, int]
    frame: pd.DataFrame
    stamp: int
    epoch: int
    codes: np.ndarray  # per row: month ordinal << 32 | project_id, ascending (the frame's order)
    patches: tuple[tuple[int, int, frozenset], ...] = ()


def work_code(project_id: int, month: date) -> int:
    return (month.toordinal() << 32) | int(project_id)


def _work_frame(rows: list) -> pd.DataFrame:
    columns = list(zip(*rows)) or [()] * len(WORK_MONTH_COLUMNS)  # built column by column: no row objects kept
    return pd.DataFrame({
        name: np.array(values, dtype=object) if name == "work_month" else np.fromiter(values, dtype=np.int64,
                                                                                        count=len(rows))
        for name, values in zip(WORK_MONTH_COLUMNS, columns)
    })


def _work_query(*where):
    sums = WorkLogMonth
    return (select(sums.project_id, Project.company_id, sums.month, sums.entries, sums.minutes, sums.earned,
                   sums.submitted, sums.rejected, sums.rejection_cost, sums.stamp)
            .join(Project, Project.id == sums.project_id)
            .where(*where)
            .order_by(sums.month, sums.project_id))


_WORK_SINCE = _work_query(WorkLogMonth.stamp > sa.bindparam("stamp"))  # built once: compiled once


def _read_work(engine: sa.Engine, key: tuple[int, int], epoch: int) -> WorkState:
    with engine.connect() as conn:  # the stamp before the rows: a write in between is caught up next time
        stamp = conn.execute(select(sa.func.coalesce(sa.func.max(WorkLogMonth.stamp), 0))).scalar_one()
        rows = [r[:-1] for r in conn.execute(_work_query(WorkLogMonth.entries > 0)).all()]
    codes = np.fromiter((work_code(r[0], r[2]) for r in rows), dtype=np.int64, count=len(rows))
    return WorkState(key, _work_frame(rows), int(stamp), epoch, codes)


def _caught_up(engine: sa.Engine, state: WorkState, key: tuple[int, int]) -> WorkState | None:
    """`state` patched with the rows stamped after it, or None when so many changed that reading
    everything again is cheaper."""
    with engine.connect() as conn:
        changed = conn.execute(_WORK_SINCE, {"stamp": state.stamp}).all()
    if too_many(len(changed), len(state.frame)):
        return None
    codes = np.fromiter((work_code(r[0], r[2]) for r in changed), dtype=np.int64, count=len(changed))
    live = [i for i, r in enumerate(changed) if r[3] > 0]
    keep = ~np.isin(state.codes, codes)
    merged = np.concatenate([state.codes[keep], codes[live]])
    order = np.argsort(merged, kind="stable")
    frame = pd.concat([state.frame[keep], _work_frame([changed[i][:-1] for i in live])], ignore_index=True)
    stamp = max([state.stamp, *(int(r[-1]) for r in changed)])
    keys = frozenset((int(r[0]), r[2]) for r in changed)
    patches = (*state.patches, (state.stamp, stamp, keys))[-PATCHES_KEPT:]
    return WorkState(key, frame.take(order).reset_index(drop=True), stamp, state.epoch, merged[order], patches)


def work_state(engine: sa.Engine) -> WorkState:
    """work_months' frame with the versions, stamp and epoch it stands at (for changes_between)."""
    from tracker import dataversion

    found = dataversion.versions(engine)
    key = (found.get("project", 0), found.get("worklog", 0))
    cached = _WORK_MONTHS.get(engine)
    if cached is not None and cached.key == key:
        return cached
    state = None
    if cached is not None and cached.key[0] == key[0]:  # only work entries changed: catch up on their rows
        state = _caught_up(engine, cached, key)
    if state is None:
        state = _read_work(engine, key, cached.epoch + 1 if cached is not None else 0)
    _WORK_MONTHS[engine] = state
    return state


def work_months(engine: sa.Engine) -> pd.DataFrame:
    """Per project and work month (WORK_MONTH_COLUMNS): entries, minutes, KRW earned (WORK_EARNINGS),
    items submitted and rejected, and what rejections cost (per-item rate × rejected), by month and project.

    Read from worklog_month, which database triggers keep equal to the entries summed per project and
    month (tracker/worklogsums.py), so a read costs one row per project-month and a write changes only
    its own rows. The frame is kept per engine until the data version of `project` or `worklog` changes
    (the versions are read before the rows, so a write landing in between only costs a second read,
    never a stale frame); after a write to worklog alone, only the rows the triggers stamped since are
    read and patched in. Treat the frame as read-only."""
    return work_state(engine).frame


@dataclass(frozen=True)
class Kept:
    """A frame worked out from work_months at its (epoch, stamp), under `key`, the data versions of the
    other tables it reads: what a reader keeps to catch up from (changes_between)."""

    key: tuple
    epoch: int
    stamp: int
    frame: pd.DataFrame


def not_behind(kept, state: WorkState) -> bool:
    """Whether a value worked out at `state` may replace `kept` (a value with `epoch` and `stamp`, or
    None): a reader that raced ahead of another never has its newer value replaced by an older one."""
    return kept is None or (kept.epoch, kept.stamp) <= (state.epoch, state.stamp)


def changes_between(state: WorkState, epoch: int, stamp: int) -> frozenset | None:
    """The (project_id, month) keys whose sums changed from a reader's (epoch, stamp) to `state`, or None
    when that cannot be told: work_months was read whole since (after a project write or many changes),
    the patches in between are no longer kept, or the reader is ahead of `state`. The reader then
    starts again from the frame."""
    if epoch != state.epoch or stamp > state.stamp:
        return None
    if stamp == state.stamp:
        return frozenset()
    later = [p for p in state.patches if p[1] > stamp]
    if not later or later[0][0] > stamp:
        return None
    return frozenset().union(*(p[2] for p in later))


def deposit_sums(payments=None):
    """Per payment (of every one, or of the ids `payments`): the sums of its deposits (a subquery)."""
    query = select(Deposit.payment_id,
                   sa.func.sum(Deposit.gross).label("gross"), sa.func.sum(Deposit.income_tax).label("income_tax"),
                   sa.func.sum(Deposit.local_tax).label("local_tax"), sa.func.sum(Deposit.net).label("net"))
    if payments is not None:
        query = query.where(Deposit.payment_id.in_(payments))
    return query.group_by(Deposit.payment_id).subquery()


def expected_or_terms(expected: date | None, company, work_month: date) -> date:
    """A payment's expected date; an old row stored without one follows the company's terms."""
    return expected if expected is not None else company_pay_date(company, work_month)


def _payment_filter(query, company_id: int | None, project_id: int | None, month: date | None):
    if company_id is not None:
        query = query.where(Payment.company_id == company_id)
    if project_id is not None:
        query = query.where(Payment.project_id == project_id)
    if month is not None:
        query = query.where(Payment.work_month == month_start(month))
    return query


def payments(
    engine: sa.Engine,
    today: date,
    *,
    company_id: int | None = None,
    project_id: int | None = None,
    month: date | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """Payments with their derived status (예정 / 지연 / 입금 완료) and days late as of `today`, what
    their deposits brought so far (`deposited`) and what is still to land (`outstanding`: 0 once
    received, else the net less the deposits, as tracker.receivables counts it). Newest work month
    first; `limit`/`offset` page through them in SQL."""
    sums = deposit_sums()
    query = (
        select(
            Payment.id, Payment.company_id, Company.name, Payment.project_id, Project.name, Payment.work_month,
            Payment.gross, Payment.income_tax, Payment.local_tax, Payment.net, Payment.expected_date,
            Payment.received_date, Payment.note, Payment.version, sa.func.coalesce(sums.c.net, 0),
            Company.pay_months_after, Company.pay_day, Company.pay_shift,
        )
        .join(Company, Company.id == Payment.company_id)
        .outerjoin(Project, Project.id == Payment.project_id)
        .outerjoin(sums, sums.c.payment_id == Payment.id)
    )
    query = _payment_filter(query, company_id, project_id, month)
    query = query.order_by(Payment.work_month.desc(), Company.name, Payment.id)
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    data = []
    for r in rows:
        expected = expected_or_terms(r[10], _Terms(r[15], r[16], r[17]), r[5])
        deposited = int(r[14])
        outstanding = 0 if r[11] is not None else max(0, int(r[9]) - deposited)
        data.append((r[0], r[1], r[2], r[3], r[4] or "", r[5], int(r[6]), int(r[7]), int(r[8]), int(r[9]), expected,
                     r[11], payment_status(expected, r[11], today).value, days_late(expected, r[11], today),
                     deposited, outstanding, r[12], r[13]))
    return _frame(data, PAYMENT_COLUMNS)


@dataclass(frozen=True)
class PaymentTotals:
    count: int
    gross: int
    income_tax: int
    local_tax: int
    net: int
    outstanding: int  # open payments' net less their deposits (PAYMENT_COLUMNS' outstanding, summed)
    late: int  # open payments whose expected date has passed


def payment_totals(engine: sa.Engine, today: date, *, company_id: int | None = None,
                   project_id: int | None = None, month: date | None = None) -> PaymentTotals:
    """The sums of the payments the filters keep, in SQL (one aggregate; an old row stored without an
    expected date is dated by its company's terms, as `payments` does, one query for those)."""
    sums = deposit_sums()
    open_rest = sa.case((Payment.received_date.is_(None),
                         Payment.net - sa.func.coalesce(sums.c.net, 0)), else_=0)
    owed = sa.case((open_rest > 0, open_rest), else_=0)
    late = sa.case((sa.and_(Payment.received_date.is_(None), Payment.expected_date < today), 1), else_=0)
    query = _payment_filter(
        select(sa.func.count(Payment.id), *(sa.func.coalesce(sa.func.sum(c), 0) for c in (
            Payment.gross, Payment.income_tax, Payment.local_tax, Payment.net, owed, late)))
        .outerjoin(sums, sums.c.payment_id == Payment.id), company_id, project_id, month)
    undated = _payment_filter(
        select(Payment.work_month, Company.pay_months_after, Company.pay_day, Company.pay_shift)
        .join(Company, Company.id == Payment.company_id)
        .where(Payment.received_date.is_(None), Payment.expected_date.is_(None)), company_id, project_id, month)
    with engine.connect() as conn:
        row = [int(v) for v in conn.execute(query).one()]
        extra = sum(days_late(expected_or_terms(None, _Terms(*r[1:]), r[0]), None, today) > 0
                    for r in conn.execute(undated))
    return PaymentTotals(*row[:6], row[6] + extra)


def payment_months(engine: sa.Engine, *, company_id: int | None = None,
                   project_id: int | None = None) -> list[date]:
    """The work months that have payments, newest first (for a month picker)."""
    query = _payment_filter(select(Payment.work_month).distinct(), company_id, project_id, None)
    with engine.connect() as conn:
        return sorted((r[0] for r in conn.execute(query)), reverse=True)


@dataclass(frozen=True)
class _Terms:
    pay_months_after: int
    pay_day: int
    pay_shift: str


@dataclass(frozen=True)
class _Landed:
    """The landed rows (LANDED_COLUMNS, by day and payment) as of the data versions `key` (payment,
    deposit), caught up to the row stamps `stamps` (payment, deposit)."""

    key: tuple[int, int]
    stamps: tuple[int, int]
    deleted: tuple[int, int]  # the deletes counted when it was read whole
    owners: dict[int, int]  # deposit id → its payment's id
    frame: pd.DataFrame
    days: np.ndarray  # received_on as day ordinals


# The landed rows per engine: the dashboard, 수입, 세금 and the year's projection each filter them.
_LANDED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
LANDED_PATCH_MAX = 500  # more payments touched since: read everything again (an IN list of their ids)


def landed(engine: sa.Engine, start: date | None = None, stop: date | None = None) -> pd.DataFrame:
    """Money that landed in the bank, one row per deposit, on the day it landed (LANDED_COLUMNS).

    Every deposit counts on its own date, partial ones (of payments still open) included. A payment
    marked received counts in full: what its deposits do not cover (all of it when it was recorded
    with a received date only) lands on its received date. So a settled payment adds up to its
    recorded amounts, and an open one to its deposits. `start` ≤ day < `stop` when given.
    Every page's "received" figure (dashboard, 수입, 세금) is a sum of these rows. Read whole once
    per engine and kept; after a write, only the rows of the payments it touched (through their own
    row or a deposit's) are read again and merged in.
    """
    state = _landed_state(engine)
    if start is None and stop is None:
        return state.frame.copy()
    keep = np.ones(len(state.days), dtype=bool)
    if start is not None:
        keep &= state.days >= start.toordinal()
    if stop is not None:
        keep &= state.days < stop.toordinal()
    return state.frame[keep].reset_index(drop=True)


def landed_years(engine: sa.Engine) -> list[int]:
    """The years in which some money landed (as `landed` counts it), newest first."""
    return _years_of(_landed_state(engine).days)


def _years_of(days: np.ndarray) -> list[int]:
    return sorted({date.fromordinal(int(d)).year for d in np.unique(days)}, reverse=True)


def _landed_queries(payments=None):
    """The deposits (with their ids), and what settled payments' deposits do not cover (id None), of
    every payment or of the ids `payments`."""
    deposits = (
        select(Deposit.payment_id, Payment.company_id, Deposit.received_on, Deposit.gross, Deposit.income_tax,
               Deposit.local_tax, Deposit.net, Deposit.id)
        .join(Payment, Payment.id == Deposit.payment_id)
        .order_by(Deposit.id)
    )
    sums = deposit_sums(payments)
    rest = (
        select(Payment.id.label("payment_id"), Payment.company_id, Payment.received_date.label("received_on"),
               (Payment.gross - sa.func.coalesce(sums.c.gross, 0)).label("gross"),
               (Payment.income_tax - sa.func.coalesce(sums.c.income_tax, 0)).label("income_tax"),
               (Payment.local_tax - sa.func.coalesce(sums.c.local_tax, 0)).label("local_tax"),
               (Payment.net - sa.func.coalesce(sums.c.net, 0)).label("net"), sa.null())
        .outerjoin(sums, sums.c.payment_id == Payment.id)
        .where(Payment.received_date.is_not(None))
        .order_by(Payment.id)
    )
    if payments is not None:
        deposits, rest = deposits.where(Payment.id.in_(payments)), rest.where(Payment.id.in_(payments))
    return deposits, rest


_PAID_SINCE = select(Payment.id).where(Payment.stamp > sa.bindparam("stamp"))
_DEPOSITED_SINCE = select(Deposit.id, Deposit.payment_id).where(Deposit.stamp > sa.bindparam("stamp"))
_LANDED_ALL = _landed_queries()
_LANDED_OF = _landed_queries(sa.bindparam("ids", expanding=True))  # the rows of some payments


def _landed_rows(conn, payments: list[int] | None = None) -> tuple[list[tuple], dict[int, int]]:
    """The landed rows (of every payment, or of the ids `payments`), by day and then payment, and
    each of their deposits' payment."""
    deposits, rest = _LANDED_ALL if payments is None else _LANDED_OF
    bound = {} if payments is None else {"ids": payments}
    found = conn.execute(deposits, bound).all()
    rows = [*(r[:-1] for r in found), *(r[:-1] for r in conn.execute(rest, bound).all())]
    # A settled payment its deposits cover in full leaves nothing on its received date.
    return (sorted((tuple(r) for r in rows if any(r[3:])), key=lambda r: (r[2], r[0])),
            {int(r[-1]): int(r[0]) for r in found})


def _landed_frame(rows: list[tuple]) -> pd.DataFrame:
    columns = list(zip(*rows)) or [()] * len(LANDED_COLUMNS)
    return pd.DataFrame({
        name: pd.Series(list(values), dtype=object) if name == "received_on"
        else np.fromiter(values, dtype=np.int64, count=len(rows))
        for name, values in zip(LANDED_COLUMNS, columns)  # ids and amounts int64 even when there are no rows
    })


def _days(rows: list[tuple]) -> np.ndarray:
    return np.fromiter((r[2].toordinal() for r in rows), dtype=np.int64, count=len(rows))


def _landed_caught_up(conn, kept: _Landed, key, stamps) -> _Landed | None:
    """`kept` with the rows of the payments written since (or whose deposits were) read again, or None
    when reading everything is the better way."""
    paid = conn.execute(_PAID_SINCE, {"stamp": kept.stamps[0]}).scalars().all()
    moved = conn.execute(_DEPOSITED_SINCE, {"stamp": kept.stamps[1]}).all()
    touched = {int(p) for p in paid} | {int(p) for _, p in moved} | {kept.owners[d] for d, _ in moved if d in kept.owners}
    if len(touched) > LANDED_PATCH_MAX or too_many(len(touched), len(kept.frame)):
        return None
    owners = kept.owners
    if moved:
        owners = {**owners, **{int(d): int(p) for d, p in moved}}
    if not touched:
        return _Landed(key, stamps, kept.deleted, owners, kept.frame, kept.days)
    rows, _ = _landed_rows(conn, sorted(touched))
    keep = ~np.isin(kept.frame["payment_id"].to_numpy(), np.fromiter(touched, dtype=np.int64, count=len(touched)))
    frame = pd.concat([kept.frame[keep], _landed_frame(rows)], ignore_index=True)
    days = np.concatenate([kept.days[keep], _days(rows)])
    order = np.lexsort((frame["payment_id"].to_numpy(), days))  # stable: a payment's own rows keep their order
    return _Landed(key, stamps, kept.deleted, owners, frame.take(order).reset_index(drop=True), days[order])


def _landed_state(engine: sa.Engine) -> _Landed:
    from tracker import dataversion

    found = dataversion.versions(engine)
    key = (found.get("payment", 0), found.get("deposit", 0))
    kept = _LANDED.get(engine)
    if kept is not None and kept.key == key:
        return kept
    with engine.connect() as conn:
        counted = row_stamps(conn)
        stamps = tuple(counted.get(t, (0, 0))[0] for t in ("payment", "deposit"))
        deleted = tuple(counted.get(t, (0, 0))[1] for t in ("payment", "deposit"))
        state = None
        if kept is not None and kept.deleted == deleted:
            state = _landed_caught_up(conn, kept, key, stamps)
        if state is None:
            rows, owners = _landed_rows(conn)
            state = _Landed(key, stamps, deleted, owners, _landed_frame(rows), _days(rows))
    _LANDED[engine] = state
    return state


def month_earnings(engine: sa.Engine, month: date) -> int:
    """KRW earned by the work entries of `month` (fixed-price projects are counted by their payments)."""
    start, stop = _month_bounds(month)
    query = select(sa.func.coalesce(sa.func.sum(WORK_EARNINGS), 0)).where(
        WorkLog.work_date >= start, WorkLog.work_date < stop)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


@dataclass(frozen=True)
class Dashboard:
    month: date
    month_earnings: int
    to_receive: int  # net still to land: open payments and earned work not yet billed
    to_receive_count: int
    overdue: int  # part of to_receive whose expected date has passed
    overdue_count: int
    unbilled: int  # part of to_receive earned by work entries with no payment recorded yet
    active_projects: int
    received_this_month: int  # net landed this month: every deposit, partial ones included (see landed)


def dashboard(engine: sa.Engine, today: date, owed: pd.DataFrame | None = None) -> Dashboard:
    """This month's figures; `owed`: the receivables as of `today` when the caller already has them."""
    month = month_start(today)
    start, stop = _month_bounds(month)
    if owed is None:
        from tracker.receivables import receivables

        owed = receivables(engine, today)
    late = owed[owed["days_late"] > 0]
    with engine.connect() as conn:
        active = conn.execute(
            select(sa.func.count(Project.id)).where(Project.status.in_([s.value for s in ACTIVE_PROJECT_STATUSES]))
        ).scalar_one()
    received = landed(engine, start, stop)["net"].sum()
    return Dashboard(
        month=month,
        month_earnings=month_earnings(engine, month),
        to_receive=int(owed["outstanding"].sum()),
        to_receive_count=len(owed),
        overdue=int(late["outstanding"].sum()),
        overdue_count=len(late),
        unbilled=int(owed.loc[owed["source"] == "unbilled", "outstanding"].sum()),
        active_projects=int(active),
        received_this_month=int(received),
    )

