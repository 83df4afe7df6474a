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
from datetime import date
from functools import lru_cache

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from tracker.models import Payment, Project, WithholdingKind, days_late
from tracker.queries import (
    company_rows,
    days_worked,
    deposit_sums,
    expected_or_terms,
    payment_keys,
    shared,
    work_months,
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


# The last unbilled frame per engine and the data versions it was read at: earned (수입), 받을 돈, the
# cash flow and the year's projection share it. The per-row estimates above are memoised, so after a
# write only the project-months whose sums changed are worked out again.
_UNBILLED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_UNBILLED_TABLES = ("company", "project", "worklog", "payment")


def unbilled_work(conn, companies: dict, work: pd.DataFrame | None = None) -> pd.DataFrame:
    """Work earned per project and work month that no payment pays (UNBILLED_COLUMNS), with the
    company's pay date and the estimated net. `work`: tracker.queries.work_months (summed in SQL,
    shared by every reader); the payments that pay a project-month come from one query.
    Without `work`, the frame is shared per engine until one of its tables is written: treat it as
    read-only."""
    if work is not None:
        return _unbilled(conn, companies, work)
    from tracker import dataversion

    found = dataversion.versions(conn.engine)
    key = tuple(found.get(t, 0) for t in _UNBILLED_TABLES)
    cached = _UNBILLED.get(conn.engine)
    if cached is not None and cached[0] == key:
        return cached[1]
    frame = _unbilled(conn, companies, work_months(conn.engine))
    _UNBILLED[conn.engine] = (key, frame)
    return frame


def _unbilled(conn, companies: dict, work: pd.DataFrame) -> pd.DataFrame:
    work = work[work["earned"] > 0]
    if work.empty:
        return pd.DataFrame(columns=UNBILLED_COLUMNS)
    by_project, by_company = payment_keys(conn.engine)
    billed = (pd.MultiIndex.from_arrays([work["project_id"], work["work_month"]]).isin(by_project)
              | pd.MultiIndex.from_arrays([work["company_id"], work["work_month"]]).isin(by_company))
    work = work[~billed].rename(columns={"earned": "gross"})
    work = work.sort_values(["work_month", "project_id"], ignore_index=True)
    daily = [i for i, c in companies.items() if c.withholding_kind == WithholdingKind.DAILY]
    days = days_worked(conn.engine, sorted({int(p) for p in work.loc[work["company_id"].isin(daily), "project_id"]}))
    terms = {i: (int(c.pay_months_after), int(c.pay_day), c.pay_shift, c.withholding_kind)
             for i, c in companies.items()}
    expected, nets = [], []
    for p, g, c, m in zip(work["project_id"].tolist(), work["gross"].tolist(), work["company_id"].tolist(),
                          work["work_month"].tolist()):
        months_after, pay_day, shift, kind = terms[c]
        paid_on = _pay_date(months_after, pay_day, shift, m)
        expected.append(paid_on)
        nets.append(_estimated_net(int(g), kind, paid_on, max(1, days.get((p, m), 1))))
    work["expected_date"] = expected
    work["net"] = pd.Series(nets, index=work.index, dtype="int64")
    return work[UNBILLED_COLUMNS]


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
    for project_id, company_id, month, gross, expected, net in unbilled.itertuples(index=False):
        company = companies[company_id]
        late = days_late(expected, None, today)
        rows.append(("unbilled", None, company_id, company.name, project_id, projects[project_id], month, int(net), 0,
                     int(net), expected, late, aging_bucket(late), int(gross), company.withholding_kind))
    frame = pd.DataFrame(rows, columns=RECEIVABLE_COLUMNS)
    return frame.sort_values(["days_late", "expected_date"], ascending=[False, True], kind="stable",
                             ignore_index=True)


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
