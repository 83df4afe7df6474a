"""Reads for the pages: plain DataFrames (never ORM objects), one query per table, no query per row."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from tracker.models import (
    ACTIVE_PROJECT_STATUSES,
    Company,
    Payment,
    Project,
    WorkLog,
    days_late,
    earnings,
    payment_status,
)
from tracker.schedule import terms_label
from tracker.timeutil import add_months, month_start

COMPANY_COLUMNS = ["id", "name", "kind", "terms", "withholding_kind", "active", "projects", "website", "notes",
                   "pay_months_after", "pay_day", "pay_shift", "version"]
PROJECT_COLUMNS = ["id", "company_id", "company", "name", "task_type", "role", "pay_scheme", "unit_price", "status",
                   "start_date", "end_date", "deadline", "remote", "certificate", "notes", "version"]
WORKLOG_COLUMNS = ["id", "work_date", "company_id", "company", "project_id", "project", "minutes",
                   "items_submitted", "items_rejected", "rate", "pay_scheme", "earnings", "note", "version"]
PAYMENT_COLUMNS = ["id", "company_id", "company", "project_id", "project", "work_month", "gross", "income_tax",
                   "local_tax", "net", "expected_date", "received_date", "status", "days_late", "note", "version"]


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


def worklogs(
    engine: sa.Engine,
    *,
    company_id: int | None = None,
    project_id: int | None = None,
    month: date | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    query = (
        select(
            WorkLog.id, WorkLog.work_date, Company.id, Company.name, Project.id, Project.name, WorkLog.minutes,
            WorkLog.items_submitted, WorkLog.items_rejected, WorkLog.rate, WorkLog.pay_scheme, WorkLog.note, WorkLog.version,
        )
        .join(Project, Project.id == WorkLog.project_id)
        .join(Company, Company.id == Project.company_id)
    )
    if company_id is not None:
        query = query.where(Project.company_id == company_id)
    if project_id is not None:
        query = query.where(WorkLog.project_id == project_id)
    if month is not None:
        start, stop = _month_bounds(month)
        query = query.where(WorkLog.work_date >= start, WorkLog.work_date < stop)
    query = query.order_by(WorkLog.work_date.desc(), WorkLog.id.desc())
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    data = [
        (r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], int(r[9]), r[10],
         earnings(r[10], int(r[9]), r[6], r[7], r[8]), r[11], r[12])
        for r in rows
    ]
    return _frame(data, WORKLOG_COLUMNS)


def payments(
    engine: sa.Engine,
    today: date,
    *,
    company_id: int | None = None,
    project_id: int | None = None,
    month: date | None = None,
) -> pd.DataFrame:
    """Payments with their derived status (예정 / 지연 / 입금 완료) and days late as of `today`."""
    query = (
        select(
            Payment.id, Payment.company_id, Company.name, Payment.project_id, Project.name, Payment.work_month,
            Payment.gross, Payment.income_tax, Payment.local_tax, Payment.net, Payment.expected_date,
            Payment.received_date, Payment.note, Payment.version,
        )
        .join(Company, Company.id == Payment.company_id)
        .outerjoin(Project, Project.id == Payment.project_id)
    )
    if company_id is not None:
        query = query.where(Payment.company_id == company_id)
    if project_id is not None:
        query = query.where(Payment.project_id == project_id)
    if month is not None:
        query = query.where(Payment.work_month == month_start(month))
    query = query.order_by(Payment.work_month.desc(), Company.name, Payment.id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    data = [
        (r[0], r[1], r[2], r[3], r[4] or "", r[5], int(r[6]), int(r[7]), int(r[8]), int(r[9]), r[10], r[11],
         payment_status(r[10], r[11], today).value, days_late(r[10], r[11], today), r[12], r[13])
        for r in rows
    ]
    return _frame(data, PAYMENT_COLUMNS)


def month_earnings(engine: sa.Engine, month: date) -> int:
    """KRW earned by the work entries of `month` (fixed-price projects are counted by their payments)."""
    start, stop = _month_bounds(month)
    query = select(
        WorkLog.pay_scheme, WorkLog.rate, WorkLog.minutes, WorkLog.items_submitted, WorkLog.items_rejected
    ).where(WorkLog.work_date >= start, WorkLog.work_date < stop)
    with engine.connect() as conn:
        return sum(earnings(s, int(r), m, n, x) for s, r, m, n, x in conn.execute(query))


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
    received_this_month: int


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
        received = conn.execute(
            select(sa.func.coalesce(sa.func.sum(Payment.net), 0)).where(
                Payment.received_date >= start, Payment.received_date < stop
            )
        ).scalar_one()
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

