"""Money earned and not yet received, how late it is, and who pays late. Reads only.

A receivable is either an open payment (recorded, not fully deposited) or work that earned money
but has no payment recorded yet ("unbilled"): its expected date then follows the company's terms.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from tracker.models import Company, Deposit, Payment, Project, WorkLog, days_late, earnings
from tracker.schedule import company_pay_date
from tracker.tax import withhold
from tracker.timeutil import month_start

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


def aging_bucket(late_days: int) -> str:
    for code, _label, low, high in AGING_BUCKETS:
        if late_days >= low and (high is None or late_days <= high):
            return code
    raise ValueError(late_days)


def bucket_label(code: str) -> str:
    return next(label for c, label, _, _ in AGING_BUCKETS if c == code)


def _deposited(conn) -> dict[int, int]:
    rows = conn.execute(select(Deposit.payment_id, sa.func.sum(Deposit.net)).group_by(Deposit.payment_id))
    return {pid: int(total) for pid, total in rows}


def receivables(engine: sa.Engine, today: date) -> pd.DataFrame:
    """Everything earned and not yet received, one row per open payment or unbilled project-month."""
    with engine.connect() as conn:
        companies = {c.id: c for c in conn.execute(select(Company)).all()}
        projects = {p.id: p for p in conn.execute(select(Project.id, Project.name, Project.company_id)).all()}
        payments = conn.execute(select(Payment)).all()
        deposited = _deposited(conn)
        logs = conn.execute(
            select(WorkLog.project_id, WorkLog.work_date, WorkLog.pay_scheme, WorkLog.rate, WorkLog.minutes,
                   WorkLog.items_submitted, WorkLog.items_rejected)
        ).all()

    rows = []
    billed: set[tuple[int, date]] = set()
    for p in payments:
        if p.project_id is not None:
            billed.add((p.project_id, p.work_month))
        if p.received_date is not None:
            continue
        received = deposited.get(p.id, 0)
        late = days_late(p.expected_date, None, today)
        rows.append(("payment", p.id, p.company_id, companies[p.company_id].name, p.project_id,
                     projects[p.project_id].name if p.project_id in projects else "", p.work_month, int(p.net),
                     received, max(0, int(p.net) - received), p.expected_date, late, aging_bucket(late),
                     int(p.gross), companies[p.company_id].withholding_kind))

    earned: dict[tuple[int, date], int] = defaultdict(int)
    for project_id, work_date, scheme, rate, minutes, submitted, rejected in logs:
        key = (project_id, month_start(work_date))
        if key not in billed:
            earned[key] += earnings(scheme, int(rate), minutes, submitted, rejected)
    for (project_id, month), gross in sorted(earned.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if gross <= 0:
            continue
        project = projects[project_id]
        company = companies[project.company_id]
        expected = company_pay_date(company, month)
        net = withhold(gross, company.withholding_kind, expected).net
        late = days_late(expected, None, today)
        rows.append(("unbilled", None, company.id, company.name, project_id, project.name, month, net, 0, net,
                     expected, late, aging_bucket(late), gross, company.withholding_kind))
    frame = pd.DataFrame(rows, columns=RECEIVABLE_COLUMNS)
    return frame.sort_values(["days_late", "expected_date"], ascending=[False, True], kind="stable",
                             ignore_index=True)


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
    with engine.connect() as conn:
        names = dict(conn.execute(select(Company.id, Company.name)).all())
        rows = conn.execute(
            select(Payment.id, Payment.company_id, Payment.net, Payment.expected_date, Payment.received_date)
            .where(Payment.expected_date.is_not(None))
        ).all()
        deposited = _deposited(conn)

    stats: dict[int, dict] = {}
    for payment_id, company_id, net, expected, received in rows:
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
            s["overdue"] += max(0, int(net) - deposited.get(payment_id, 0))
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
