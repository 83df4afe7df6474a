"""Money earned and not yet received, how late it is, and who pays late. Reads only.

A receivable is either an open payment (recorded, not fully deposited) or work that earned money
but has no payment recorded yet ("unbilled"): its expected date then follows the company's terms.

Which work a payment pays for: a payment of a project pays that project's work of its work month;
a payment recorded without a project pays its company's work of that month that no project's
payment pays. What is left is unbilled. tracker.income counts 번 돈 by the same rule, so the money
earned is always what landed plus what is still to receive.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from tracker.models import Payment, Project, WithholdingKind, days_late
from tracker.queries import (
    Kept,
    LastOf,
    WorkState,
    changes_between,
    company_rows,
    days_worked,
    deposit_sums,
    expected_or_terms,
    not_behind,
    paid_codes,
    shared,
    work_code,
    work_state,
)
from tracker.schedule import company_pay_date, expected_pay_date
from tracker.tax import withhold

# (code, label, lowest days late, highest days late)
AGING_BUCKETS: tuple[tuple[str, str, int, int | None], ...] = (
    ("not_due", "기한 전", 0, 0),
    ("1_30", "1–30일 지연", 1, 30),
    ("31_60", "31–60일 지연", 31, 60),
    ("61_90", "61–90일 지연", 61, 90),
    ("over_90", "90일 넘게 지연", 91, None),
)
RECEIVABLE_COLUMNS = ["source", "payment_id", "company_id", "company", "project_id", "project", "work_month",
                      "expected_net", "received", "outstanding", "expected_date", "days_late", "bucket",
                      "gross", "withholding_kind"]
UNBILLED_COLUMNS = ["project_id", "company_id", "work_month", "gross", "expected_date", "net"]


def aging_bucket(late_days: int) -> str:
    for code, _label, low, high in AGING_BUCKETS:
        if late_days >= low and (high is None or late_days <= high):
            return code
    raise ValueError(late_days)


def bucket_label(code: str) -> str:
    return next(label for c, label, _, _ in AGING_BUCKETS if c == code)


def estimated_net(gross: int, company, work_month: date, days: int = 1) -> tuple[date, int]:
    """When a company pays `gross` earned in `work_month` (its terms) and what lands then (its usual
    withholding on that pay date: the rule in force when it is paid, not when the work was done).
    `days`: the days of work the payment covers (일용근로 is taxed per day)."""
    paid_on = company_pay_date(company, work_month)
    return paid_on, withhold(int(gross), company.withholding_kind, paid_on, max(1, int(days))).net


@lru_cache(maxsize=50_000)
def _pay_date(months_after: int, pay_day: int, shift: str, work_month: date) -> date:
    return expected_pay_date(work_month, months_after, pay_day, shift)


@lru_cache(maxsize=200_000)
def _estimated_net(gross: int, kind: str, paid_on: date, days: int) -> int:
    return withhold(gross, kind, paid_on, days).net


# The last unbilled frame per engine, with the data versions of company and payment and the work_months
# state (epoch, stamp) it was worked out at: earned (수입), 받을 돈, the cash flow and the year's
# projection share it. After a write to work entries alone, only the project-months it changed are
# worked out again (tracker.queries.changes_between); after a write to payments that leaves the paid
# project-months as they were (a note, a received date, an amount), nothing is; the per-row estimates
# above are memoised.
_UNBILLED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_UNBILLED_TABLES = ("company", "payment")


@dataclass(frozen=True)
class _Kept(Kept):
    codes: np.ndarray  # per row: work month ordinal << 32 | project_id, ascending (the frame's order)
    paid: tuple = ()  # the paid codes (tracker.queries.paid_codes) every row was worked out with


def same_paid(a: tuple, b: tuple) -> bool:
    """Whether two paid_codes values name the same project-months and company-months."""
    return a is b or (len(a) == len(b) == 2 and all(np.array_equal(x, y) for x, y in zip(a, b)))


def _within(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which `values` are in the sorted `codes`."""
    if not len(codes):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(codes, values), len(codes) - 1)
    return codes[at] == values


def _codes(frame: pd.DataFrame) -> np.ndarray:
    return np.fromiter((work_code(p, m) for p, m in zip(frame["project_id"].tolist(), frame["work_month"].tolist())),
                       dtype=np.int64, count=len(frame))


def unbilled_work(conn, companies: dict, work: pd.DataFrame | None = None) -> pd.DataFrame:
    """Work earned per project and work month that no payment pays (UNBILLED_COLUMNS), with the
    company's pay date and the estimated net, by work month and project. `work`:
    tracker.queries.work_months (summed in SQL, shared by every reader); the payments that pay a
    project-month come from one query. Without `work`, the frame is shared per engine and kept up to
    date by the project-months a write changed: treat it as read-only."""
    if work is not None:
        return _unbilled(conn, companies, work)
    from tracker import dataversion

    found = dataversion.versions(conn.engine)
    return unbilled_at(conn, companies, work_state(conn.engine), tuple(found.get(t, 0) for t in _UNBILLED_TABLES))


def unbilled_at(conn, companies: dict, state: WorkState, key: tuple) -> pd.DataFrame:
    """unbilled_work for exactly the work_months `state` (and company and payment versions `key`, read
    before the rows): patched from the kept frame when only work entries changed since, and kept as it
    is when payments changed but still pay the same project-months."""
    return unbilled_with(conn, companies, state, key)[0]


def unbilled_with(conn, companies: dict, state: WorkState, key: tuple) -> tuple[pd.DataFrame, tuple]:
    """unbilled_at, and the paid codes (tracker.queries.paid_codes) its rows were worked out with."""
    engine = conn.engine
    kept = _UNBILLED.get(engine)
    if kept is not None and kept.key != key and kept.key[0] == key[0] and kept.paid:
        paid = paid_codes(engine)
        if same_paid(paid, kept.paid):
            kept = replace(kept, key=key, paid=paid)
            _UNBILLED[engine] = kept
    if kept is not None and kept.key == key:
        changed = changes_between(state, kept.epoch, kept.stamp)
        if changed is not None:
            if not changed:
                return kept.frame, kept.paid
            frame, codes = _patched(conn, companies, state, kept, changed)
            _UNBILLED[engine] = _Kept(key, state.epoch, state.stamp, frame, codes, kept.paid)
            return frame, kept.paid
    paid = paid_codes(engine)
    frame = _unbilled(conn, companies, state.frame, state.codes, paid)
    if not_behind(kept, state):
        _UNBILLED[engine] = _Kept(key, state.epoch, state.stamp, frame, _codes(frame), paid)
    return frame, paid


def _patched(conn, companies: dict, state: WorkState, kept: _Kept, changed: frozenset):
    """The kept frame with the rows of the `changed` project-months worked out again from `state`."""
    gone = np.fromiter((work_code(p, m) for p, m in changed), dtype=np.int64, count=len(changed))
    rows = np.flatnonzero(np.isin(state.codes, gone))
    fresh = _unbilled(conn, companies, state.frame.iloc[rows], state.codes[rows], kept.paid)
    keep = ~np.isin(kept.codes, gone)
    codes = np.concatenate([kept.codes[keep], _codes(fresh)])
    order = np.argsort(codes, kind="stable")
    parts = [f for f in (kept.frame[keep], fresh) if len(f)]  # an empty part would loosen the dtypes
    frame = pd.concat(parts, ignore_index=True) if parts else fresh
    return frame.take(order).reset_index(drop=True), codes[order]


SMALL = 64  # project-months few enough to check one by one against the paid keys (a patch after a write)


def _unbilled(conn, companies: dict, work: pd.DataFrame, codes: np.ndarray | None = None,
              paid: tuple | None = None) -> pd.DataFrame:
    """`codes`: work_code of each row of `work` (tracker.queries.WorkState.codes), when known; `paid`:
    the paid codes to check them against (tracker.queries.paid_codes, read now when not given)."""
    paid = paid_codes(conn.engine) if paid is None else paid
    earning = work["earned"].to_numpy() > 0
    work = work[earning]
    if len(work) <= SMALL:  # none at all included: the same typed empty frame as when every one is billed
        return _few_unbilled(conn, companies, work, paid)
    codes = _codes(work) if codes is None else codes[earning]
    by_project, by_company = paid
    months = (codes >> 32) << 32
    billed = np.isin(codes, by_project) | np.isin(months | work["company_id"].to_numpy(dtype=np.int64), by_company)
    work = work[~billed].rename(columns={"earned": "gross"})
    work = work.sort_values(["work_month", "project_id"], ignore_index=True)
    daily = _daily_payers(companies)
    days = days_worked(conn.engine, sorted({int(p) for p, c in zip(work["project_id"].tolist(),
                                                                   work["company_id"].tolist()) if c in daily}))
    expected, nets = [], []
    for p, g, c, m in zip(work["project_id"].tolist(), work["gross"].tolist(), work["company_id"].tolist(),
                          work["work_month"].tolist()):
        company = companies[c]
        paid_on = _pay_date(int(company.pay_months_after), int(company.pay_day), company.pay_shift, m)
        expected.append(paid_on)
        nets.append(_estimated_net(int(g), company.withholding_kind, paid_on, max(1, days.get((p, m), 1))))
    work["expected_date"] = np.array(expected, dtype=object)  # object even when empty, as _few_unbilled
    work["net"] = pd.Series(nets, index=work.index, dtype="int64")
    return work[UNBILLED_COLUMNS]


# The companies that withhold per day worked, once per company_rows dict (one per write to company).
_daily_payers = LastOf(lambda companies: {i for i, c in companies.items()
                                          if c.withholding_kind == WithholdingKind.DAILY})


def _few_unbilled(conn, companies: dict, work: pd.DataFrame, paid: tuple) -> pd.DataFrame:
    """_unbilled for a few earning project-months (a patch after a write), row by row without pandas'
    per-operation costs: the same rows, order and column types as the whole computation."""
    by_project, by_company = paid
    listed = list(zip(work["project_id"].tolist(), work["company_id"].tolist(), work["work_month"].tolist(),
                      work["earned"].tolist()))
    months = np.array([m.toordinal() << 32 for _, _, m, _ in listed], dtype=np.int64)
    billed = (_within(by_project, months | np.array([p for p, *_ in listed], dtype=np.int64))
              | _within(by_company, months | np.array([c for _, c, *_ in listed], dtype=np.int64)))
    rows = sorted((m, p, c, g) for (p, c, m, g), paid_for in zip(listed, billed.tolist()) if not paid_for)
    daily = _daily_payers(companies)
    days = days_worked(conn.engine, sorted({p for _, p, c, _ in rows if c in daily}))
    expected, nets = [], []
    for m, p, c, g in rows:
        company = companies[c]
        paid_on = _pay_date(int(company.pay_months_after), int(company.pay_day), company.pay_shift, m)
        expected.append(paid_on)
        nets.append(_estimated_net(int(g), company.withholding_kind, paid_on, max(1, days.get((p, m), 1))))
    return pd.DataFrame({
        "project_id": np.array([r[1] for r in rows], dtype=np.int64),
        "company_id": np.array([r[2] for r in rows], dtype=np.int64),
        "work_month": np.array([r[0] for r in rows], dtype=object),
        "gross": np.array([r[3] for r in rows], dtype=np.int64),
        "expected_date": np.array(expected, dtype=object),
        "net": np.array(nets, dtype=np.int64),
    })


def receivables(engine: sa.Engine, today: date, *, work: pd.DataFrame | None = None) -> pd.DataFrame:
    """Everything earned and not yet received, one row per open payment or unbilled project-month.
    `work`: tracker.queries.work_months, when the caller already has it."""
    companies = company_rows(engine)
    projects = shared(engine, "project_names", ("project",), _project_names)
    open_payments = shared(engine, "open_payments", ("payment", "deposit"), _open_payments)
    with engine.connect() as conn:
        unbilled = unbilled_work(conn, companies, work)

    rows = []
    for payment_id, company_id, project_id, month, net, gross, expected, received in open_payments:
        company = companies[company_id]
        expected = expected_or_terms(expected, company, month)
        late = days_late(expected, None, today)
        rows.append(("payment", payment_id, company_id, company.name, project_id, projects.get(project_id, ""),
                     month, int(net), int(received), max(0, int(net) - int(received)), expected, late,
                     aging_bucket(late), int(gross), company.withholding_kind))
    for project_id, company_id, month, gross, expected, net in zip(*(unbilled[c].tolist() for c in UNBILLED_COLUMNS)):
        company = companies[company_id]
        late = days_late(expected, None, today)
        rows.append(("unbilled", None, company_id, company.name, project_id, projects[project_id], month, int(net), 0,
                     int(net), expected, late, aging_bucket(late), int(gross), company.withholding_kind))
    rows.sort(key=lambda r: (-r[11], r[10]))  # the latest first, then by expected date; stable, as before
    return pd.DataFrame(rows, columns=RECEIVABLE_COLUMNS)


def _project_names(engine: sa.Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(Project.id, Project.name)).all())


def _open_payments(engine: sa.Engine) -> list[tuple]:
    """Payments not marked received, with what their deposits brought so far, by id."""
    sums = deposit_sums()
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(Payment.id, Payment.company_id, Payment.project_id, Payment.work_month, Payment.net,
                   Payment.gross, Payment.expected_date, sa.func.coalesce(sums.c.net, 0))
            .outerjoin(sums, sums.c.payment_id == Payment.id)
            .where(Payment.received_date.is_(None))
            .order_by(Payment.id)
        ).all()]


def aging_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Count and amount outstanding per aging bucket, every bucket listed, in order."""
    rows = []
    for code, label, _, _ in AGING_BUCKETS:
        part = frame[frame["bucket"] == code]
        rows.append((code, label, len(part), int(part["outstanding"].sum())))
    return pd.DataFrame(rows, columns=["bucket", "label", "count", "outstanding"])


def by_company(frame: pd.DataFrame) -> pd.DataFrame:
    """Outstanding and overdue per company, largest overdue first."""
    if frame.empty:
        return pd.DataFrame(columns=["company", "count", "outstanding", "overdue", "worst_days_late"])
    overdue = frame["outstanding"].where(frame["days_late"] > 0, 0)
    out = (
        frame.assign(overdue=overdue)
        .groupby("company", as_index=False)
        .agg(count=("outstanding", "size"), outstanding=("outstanding", "sum"), overdue=("overdue", "sum"),
             worst_days_late=("days_late", "max"))
    )
    return out.sort_values(["overdue", "outstanding"], ascending=False, ignore_index=True)


def reliability(engine: sa.Engine, today: date) -> pd.DataFrame:
    """Per company: share of payments received on time, average and worst delay, what is overdue now.

    On time means received on or before the expected date. The worst delay counts payments still
    unpaid too (their days late so far), so a company that never pays shows up.
    """
    sums = deposit_sums()
    with engine.connect() as conn:
        companies = company_rows(engine)
        rows = conn.execute(
            select(Payment.company_id, Payment.net, Payment.work_month, Payment.expected_date, Payment.received_date,
                   sa.func.coalesce(sums.c.net, 0))
            .outerjoin(sums, sums.c.payment_id == Payment.id)
        ).all()

    names = {i: c.name for i, c in companies.items()}
    stats: dict[int, dict] = {}
    for company_id, net, month, expected, received, deposited in rows:
        expected = expected_or_terms(expected, companies[company_id], month)
        s = stats.setdefault(company_id, {"received": 0, "on_time": 0, "delays": [], "worst": 0,
                                          "overdue_count": 0, "overdue": 0})
        late = days_late(expected, received, today)
        s["worst"] = max(s["worst"], late)
        if received is not None:
            s["received"] += 1
            s["on_time"] += late == 0
            s["delays"].append(late)
        elif late > 0:
            s["overdue_count"] += 1
            s["overdue"] += max(0, int(net) - int(deposited))
    out = []
    for company_id, s in stats.items():
        out.append((
            company_id, names[company_id], s["received"],
            round(s["on_time"] / s["received"], 4) if s["received"] else None,
            round(sum(s["delays"]) / len(s["delays"]), 1) if s["delays"] else None,
            s["worst"], s["overdue_count"], s["overdue"],
        ))
    frame = pd.DataFrame(out, columns=["company_id", "company", "received_count", "on_time_share",
                                       "avg_delay_days", "worst_delay_days", "overdue_count", "overdue"])
    return frame.sort_values(["overdue", "worst_delay_days", "company"], ascending=[False, False, True],
                             ignore_index=True)
