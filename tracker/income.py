"""Money by month: earned by work month, received by payment month, hours and KRW per hour.

Reads only; every frame is long-form (one row per month and company) so charts can stack it.
Earned money counts work entries by their work month, and fixed-price projects by the work month
of their payments (a fixed price is not earned entry by entry). Net earned money is estimated with
the company's usual withholding; received money is what was actually deposited.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from tracker.models import Company, Deposit, Payment, PayScheme, Project, WorkLog, earnings
from tracker.tax import minimum_wage, withhold
from tracker.timeutil import month_start

INCOME_COLUMNS = ["month", "company", "gross", "net"]
PROJECT_COLUMNS = ["project_id", "company", "project", "task_type", "role", "pay_scheme", "minutes", "hours", "earned",
                   "krw_per_hour", "submitted", "rejected", "rejection_rate", "rejection_cost"]


def _frame(totals: dict[tuple[date, str], list[int]]) -> pd.DataFrame:
    rows = [(pd.Timestamp(m), c, g, n) for (m, c), (g, n) in sorted(totals.items())]
    return pd.DataFrame(rows, columns=INCOME_COLUMNS).astype({"gross": "int64", "net": "int64"})


def earned_by_month(engine: sa.Engine) -> pd.DataFrame:
    """Gross and estimated net earned per work month and company."""
    with engine.connect() as conn:
        companies = {c.id: c for c in conn.execute(select(Company.id, Company.name, Company.withholding_kind))}
        project_company = dict(conn.execute(select(Project.id, Project.company_id)).all())
        logs = conn.execute(select(WorkLog.project_id, WorkLog.work_date, WorkLog.pay_scheme, WorkLog.rate,
                                   WorkLog.minutes, WorkLog.items_submitted, WorkLog.items_rejected)).all()
        fixed = conn.execute(
            select(Payment.company_id, Payment.work_month, Payment.gross)
            .join(Project, Project.id == Payment.project_id)
            .where(Project.pay_scheme == PayScheme.FIXED)
        ).all()
    gross: dict[tuple[date, int], int] = defaultdict(int)
    for project_id, work_date, scheme, rate, minutes, submitted, rejected in logs:
        gross[(month_start(work_date), project_company[project_id])] += earnings(
            scheme, int(rate), minutes, submitted, rejected)
    for company_id, work_month, amount in fixed:
        gross[(work_month, company_id)] += int(amount)
    totals: dict[tuple[date, str], list[int]] = {}
    for (month, company_id), amount in gross.items():
        if amount <= 0:
            continue
        company = companies[company_id]
        net = withhold(amount, company.withholding_kind, month).net
        cell = totals.setdefault((month, company.name), [0, 0])
        cell[0] += amount
        cell[1] += net
    return _frame(totals)


def received_by_month(engine: sa.Engine) -> pd.DataFrame:
    """Gross and net that landed per payment month and company (deposits of open payments included)."""
    with engine.connect() as conn:
        names = dict(conn.execute(select(Company.id, Company.name)).all())
        paid = conn.execute(select(Payment.company_id, Payment.received_date, Payment.gross, Payment.net)
                            .where(Payment.received_date.is_not(None))).all()
        partial = conn.execute(
            select(Payment.company_id, Deposit.received_on, Deposit.gross, Deposit.net)
            .join(Payment, Payment.id == Deposit.payment_id)
            .where(Payment.received_date.is_(None))
        ).all()
    totals: dict[tuple[date, str], list[int]] = {}
    for company_id, when, gross, net in [*paid, *partial]:
        cell = totals.setdefault((month_start(when), names[company_id]), [0, 0])
        cell[0] += int(gross)
        cell[1] += int(net)
    return _frame(totals)


def monthly_totals(frame: pd.DataFrame, amount: str = "gross", *, through: date | None = None) -> pd.Series:
    """One number per month, every month from the first to `through` (or the last), zeros filled in."""
    if frame.empty:
        return pd.Series(dtype="int64", index=pd.PeriodIndex([], freq="M"))
    series = frame.groupby(frame["month"].dt.to_period("M"))[amount].sum()
    end = pd.Period(through, freq="M") if through else series.index.max()
    index = pd.period_range(series.index.min(), max(end, series.index.min()), freq="M")
    return series.reindex(index, fill_value=0).astype("int64")


def months_before(frame: pd.DataFrame, today: date, amount: str = "gross") -> pd.Series:
    """`monthly_totals` of the whole months before `today`'s month: the history a forecast starts from."""
    this_month = pd.Period(today, freq="M")
    series = monthly_totals(frame, amount, through=(this_month - 1).to_timestamp().date())
    return series[series.index < this_month]


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


def hours_by_month(engine: sa.Engine) -> pd.DataFrame:
    """Hours worked, gross earned by the entries, KRW per hour and that year's minimum wage, per month."""
    with engine.connect() as conn:
        logs = conn.execute(select(WorkLog.work_date, WorkLog.pay_scheme, WorkLog.rate, WorkLog.minutes,
                                   WorkLog.items_submitted, WorkLog.items_rejected)).all()
    minutes: dict[date, int] = defaultdict(int)
    earned: dict[date, int] = defaultdict(int)
    for work_date, scheme, rate, mins, submitted, rejected in logs:
        month = month_start(work_date)
        minutes[month] += mins
        earned[month] += earnings(scheme, int(rate), mins, submitted, rejected)
    rows = []
    for month in sorted(minutes):
        try:
            wage = minimum_wage(month.year)
        except LookupError:
            wage = None
        hours = minutes[month] / 60
        rows.append((pd.Timestamp(month), round(hours, 1), earned[month],
                     int(earned[month] * 60 // minutes[month]) if minutes[month] else None, wage))
    return pd.DataFrame(rows, columns=["month", "hours", "earned", "krw_per_hour", "minimum_wage"])


def project_rates(engine: sa.Engine) -> pd.DataFrame:
    """Per project: hours, earned, KRW per hour, rejection rate and what rejections cost."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Project.id, Company.name, Project.name, Project.task_type, Project.role, Project.pay_scheme,
                   WorkLog.pay_scheme, WorkLog.rate, WorkLog.minutes, WorkLog.items_submitted, WorkLog.items_rejected)
            .join(Company, Company.id == Project.company_id)
            .join(WorkLog, WorkLog.project_id == Project.id)
        ).all()
        fixed = dict(conn.execute(
            select(Payment.project_id, sa.func.sum(Payment.gross))
            .join(Project, Project.id == Payment.project_id)
            .where(Project.pay_scheme == PayScheme.FIXED).group_by(Payment.project_id)
        ).all())
    stats: dict[int, dict] = {}
    for pid, company, name, task, role, scheme, log_scheme, rate, mins, submitted, rejected in rows:
        s = stats.setdefault(pid, {"info": (company, name, task, role, scheme), "minutes": 0, "earned": 0,
                                   "submitted": 0, "rejected": 0, "cost": 0})
        s["minutes"] += mins
        s["earned"] += earnings(log_scheme, int(rate), mins, submitted, rejected)
        s["submitted"] += submitted
        s["rejected"] += rejected
        if log_scheme == PayScheme.PER_ITEM:
            s["cost"] += rejected * int(rate)
    out = []
    for pid, s in stats.items():
        earned = s["earned"] + int(fixed.get(pid, 0) or 0)
        out.append((pid, *s["info"], s["minutes"], round(s["minutes"] / 60, 1), earned,
                    int(earned * 60 // s["minutes"]) if s["minutes"] else None, s["submitted"], s["rejected"],
                    round(s["rejected"] / s["submitted"], 4) if s["submitted"] else None, s["cost"]))
    frame = pd.DataFrame(out, columns=PROJECT_COLUMNS)
    return frame.sort_values("earned", ascending=False, ignore_index=True)


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
