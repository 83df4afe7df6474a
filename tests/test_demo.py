"""The demo dataset: shaped like seed post 000, exact to the won, and within every ledger rule."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

import holidays
import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from tracker import ledger
from tracker.db import connect
from tracker.demo import DEMO_NET_TOTAL, REFUSED_MESSAGE, DemoRefused, generate
from tracker.models import (
    Company,
    Payment,
    PayScheme,
    Project,
    ProjectStatus,
    WithholdingKind,
    WorkLog,
    worklog_earnings,
)
from tracker.schedule import expected_pay_date
from tracker.tax import withhold

SEED_END = date(2023, 3, 1)
NOW_END = date(2026, 11, 1)
TODAY = date(2026, 11, 22)
TABLES = (Company, Project, WorkLog, Payment)


def counts(engine) -> dict[str, int]:
    with Session(engine) as s:
        return {t.__tablename__: len(s.exec(select(t.id)).all()) for t in TABLES}


def rows(engine) -> dict[str, list[dict]]:
    with Session(engine) as s:
        return {t.__tablename__: [r.model_dump() for r in s.exec(select(t).order_by(t.id)).all()] for t in TABLES}


def load(engine):
    with Session(engine) as s:
        return tuple(s.exec(select(t).order_by(t.id)).all() for t in TABLES)


def monthly_net(payments) -> dict[date, int]:
    out: dict[date, int] = defaultdict(int)
    for p in payments:
        out[p.work_month] += p.net
    return dict(sorted(out.items()))


@pytest.fixture(scope="module")
def seed_db(shared_db_url_factory):
    engine = connect(shared_db_url_factory("demo_seed"))
    summary = generate(engine, end=SEED_END, today=TODAY)
    yield engine, summary
    engine.dispose()


@pytest.fixture(scope="module")
def now_db(shared_db_url_factory):
    engine = connect(shared_db_url_factory("demo_now"))
    summary = generate(engine, end=NOW_END, today=TODAY)
    yield engine, summary
    engine.dispose()


@pytest.fixture(params=["seed", "now"])
def any_db(request, seed_db, now_db):
    return {"seed": seed_db, "now": now_db}[request.param]


# ---------------------------------------------------------------- shape of the seed post


def test_seed_period_matches_the_post(seed_db):
    engine, summary = seed_db
    companies, projects, logs, payments = load(engine)
    assert (summary.start, summary.end) == (date(2021, 10, 1), date(2023, 3, 31))
    assert len(companies) == summary.companies == 9
    assert 27 <= len(projects) == summary.projects <= 33
    assert sum(p.net for p in payments) == summary.net_total == DEMO_NET_TOTAL == 18_436_370
    assert summary.gross_total == sum(p.gross for p in payments)
    assert (summary.worklogs, summary.payments) == (len(logs), len(payments))

    months = monthly_net(payments)
    assert list(months)[0] == date(2021, 10, 1) and list(months)[-1] <= date(2023, 3, 1)
    assert 80_000 <= months[date(2021, 10, 1)] <= 150_000
    first_half = sum(v for m, v in months.items() if date(2022, 1, 1) <= m <= date(2022, 6, 1))
    second_half = sum(v for m, v in months.items() if date(2022, 7, 1) <= m <= date(2022, 12, 1))
    assert second_half > 3 * first_half
    assert max(months.values()) > 3_000_000


def test_current_period_has_the_same_total_and_shape(now_db):
    engine, summary = now_db
    companies, projects, logs, payments = load(engine)
    assert (summary.start, summary.end) == (date(2025, 6, 1), date(2026, 11, 30))
    assert len(companies) == 9 and 27 <= len(projects) <= 33
    assert sum(p.net for p in payments) == DEMO_NET_TOTAL
    months = monthly_net(payments)
    assert 80_000 <= months[date(2025, 6, 1)] <= 150_000
    assert max(months.values()) > 3_000_000
    assert sum(v for m, v in months.items() if m.month >= 7 and m.year == 2025) > sum(
        v for m, v in months.items() if m.year == 2026 and m.month <= 6)
    assert max(log.work_date for log in logs) <= TODAY, "no work entry after today"


def test_companies_are_real_platforms_and_two_fictional_agencies(seed_db):
    companies = load(seed_db[0])[0]
    names = {c.name for c in companies}
    assert {"크라우드웍스", "에이모", "테스트웍스", "셀렉트스타", "레이블러", "메트웍스", "플리토"} <= names
    assert {"한빛데이터랩", "누리AI데이터"} <= names
    assert {(c.pay_months_after, c.pay_day) for c in companies if c.name == "한빛데이터랩"} == {(2, 10)}
    kinds = [c.withholding_kind for c in companies]
    assert kinds.count(WithholdingKind.BUSINESS) >= 7 and WithholdingKind.OTHER in kinds


def test_projects_cover_every_status_scheme_and_role(now_db):
    projects = load(now_db[0])[1]
    assert {p.status for p in projects} == set(ProjectStatus)
    assert {p.pay_scheme for p in projects} == set(PayScheme)
    assert sum(p.pay_scheme == PayScheme.FIXED for p in projects) == 1
    assert {p.role for p in projects} == {"worker", "inspector"}
    assert sum(not p.remote for p in projects) >= 2
    assert {p.certificate for p in projects} >= {"aide2", "aide1"}
    assert any("사전 테스트 통과 후 선발" in p.notes for p in projects)
    for p in projects:
        if p.pay_scheme == PayScheme.PER_ITEM:
            assert 30 <= p.unit_price <= 600
        elif p.pay_scheme == PayScheme.PER_HOUR:
            assert 11_000 <= p.unit_price <= 16_000


# ---------------------------------------------------------------- ledger rules


def test_work_only_on_korean_working_days_within_the_project(any_db):
    _, projects, logs, _ = load(any_db[0])
    kr = holidays.KR(years=range(2021, 2028))
    by_id = {p.id: p for p in projects}
    for log in logs:
        assert log.work_date.weekday() < 5, log
        assert log.work_date not in kr, (log.work_date, kr.get(log.work_date))
        project = by_id[log.project_id]
        assert project.start_date <= log.work_date
        assert project.end_date is None or log.work_date <= project.end_date
        assert (log.rate, log.pay_scheme) == (project.unit_price, project.pay_scheme)
        assert 0 <= log.items_rejected <= log.items_submitted
    for p in projects:
        assert p.end_date is None or p.start_date <= p.end_date
        worked = [log for log in logs if log.project_id == p.id]
        if p.status in (ProjectStatus.INTERESTED, ProjectStatus.APPLIED, ProjectStatus.PRETEST,
                        ProjectStatus.REJECTED, ProjectStatus.SELECTED):
            assert not worked
        else:
            assert worked and p.start_date == min(log.work_date for log in worked)


def test_days_stay_realistic_and_items_are_partly_rejected(any_db):
    logs = load(any_db[0])[2]
    per_day: dict[date, int] = defaultdict(int)
    for log in logs:
        per_day[log.work_date] += log.minutes
    assert max(per_day.values()) <= 11 * 60 <= 1440
    per_item = [log for log in logs if log.pay_scheme == PayScheme.PER_ITEM]
    assert all(log.minutes > 0 for log in per_item)
    assert all(log.items_rejected <= 0.08 * log.items_submitted + 0.5 for log in per_item)
    assert 0.01 <= sum(g.items_rejected for g in per_item) / sum(g.items_submitted for g in per_item) <= 0.08


def test_payments_match_the_work_and_the_withholding(any_db):
    companies, projects, logs, payments = load(any_db[0])
    company = {c.id: c for c in companies}
    project = {p.id: p for p in projects}
    earned: dict[tuple[int, date], int] = defaultdict(int)
    for log in logs:
        earned[(log.project_id, log.work_date.replace(day=1))] += worklog_earnings(log)
    paid = {(p.project_id, p.work_month): p for p in payments}
    assert len(paid) == len(payments), "one payment per project and work month"
    assert {k for k, v in earned.items() if v} == {k for k in paid if project[k[0]].pay_scheme != PayScheme.FIXED}
    for (project_id, month), p in paid.items():
        c = company[p.company_id]
        assert project[project_id].company_id == p.company_id
        if project[project_id].pay_scheme == PayScheme.FIXED:
            assert p.gross == project[project_id].unit_price > 0
        else:
            assert p.gross == earned[(project_id, month)]
        assert p.expected_date == expected_pay_date(month, c.pay_months_after, c.pay_day)
        w = withhold(p.gross, c.withholding_kind, paid_on=p.expected_date)
        assert (p.income_tax, p.local_tax) == (w.income_tax, w.local_tax)
        assert p.net == p.gross - p.income_tax - p.local_tax >= 0
        assert p.received_date is None or p.expected_date <= p.received_date <= TODAY


def test_per_hour_earnings_come_from_the_stored_minutes(any_db):
    logs = load(any_db[0])[2]
    hourly = [log for log in logs if log.pay_scheme == PayScheme.PER_HOUR]
    assert hourly
    for log in hourly:
        assert worklog_earnings(log) == log.minutes * log.rate // 60
        assert log.minutes % 10 == 0 and log.minutes <= 120


def test_one_overdue_payment_near_today(now_db):
    engine, _ = now_db
    companies, _, _, payments = load(engine)
    overdue = [p for p in payments if p.received_date is None and p.expected_date < TODAY]
    assert len(overdue) == 1
    (late,) = overdue
    assert next(c.name for c in companies if c.id == late.company_id) == "누리AI데이터"
    assert late.work_month == date(2026, 9, 1)
    scheduled = [p for p in payments if p.received_date is None and p.expected_date >= TODAY]
    assert scheduled, "some money is still to come"
    agency = [p for p in payments if p.company_id == late.company_id and p.received_date]
    assert sum(15 <= (p.received_date - p.expected_date).days <= 45 for p in agency) == 2


def test_nothing_overdue_long_after_the_period(seed_db):
    payments = load(seed_db[0])[3]
    assert all(p.received_date is not None for p in payments)
    assert sum((p.received_date - p.expected_date).days >= 15 for p in payments) >= 3


# ---------------------------------------------------------------- behaviour


def test_same_arguments_give_the_same_rows(engine, db_url_factory, seed_db):
    again = engine
    generate(again, end=SEED_END, today=TODAY)
    assert rows(again) == rows(seed_db[0])
    other = connect(db_url_factory("other"))
    summary = generate(other, end=SEED_END, today=TODAY, seed=7)
    assert summary.net_total == DEMO_NET_TOTAL
    assert rows(other)["worklog"] != rows(again)["worklog"]
    other.dispose()


def test_defaults_are_this_month_in_korea(engine, monkeypatch, now_db):
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    summary = generate(engine)
    assert summary.end == date(2026, 11, 30)
    assert rows(engine) == rows(now_db[0])


def test_refuses_a_database_with_records_and_writes_nothing(engine):
    ledger.create_company(engine, {"name": "내 회사"})
    before = rows(engine)
    with pytest.raises(DemoRefused) as info:
        generate(engine, end=SEED_END, today=TODAY)
    assert str(info.value) == REFUSED_MESSAGE == "데이터베이스에 이미 기록이 있습니다. 덮어쓰려면 --force를 쓰세요."
    assert rows(engine) == before


def test_force_replaces_everything(engine, seed_db):
    generate(engine, end=NOW_END, today=TODAY)
    ledger.create_company(engine, {"name": "내 회사"})
    summary = generate(engine, end=SEED_END, today=TODAY, force=True)
    assert summary.net_total == DEMO_NET_TOTAL
    assert counts(engine) == counts(seed_db[0])
    assert "내 회사" not in {c.name for c in load(engine)[0]}


def test_force_is_one_transaction(engine, monkeypatch):
    generate(engine, end=SEED_END, today=TODAY)
    before = rows(engine)

    def broken(*_args, **_kw):
        raise RuntimeError("디스크 오류")

    monkeypatch.setattr("tracker.demo._at", broken)
    with pytest.raises(RuntimeError):
        generate(engine, end=NOW_END, today=TODAY, force=True)
    assert rows(engine) == before


def test_scale_two_doubles_everything(engine, seed_db):
    summary = generate(engine, end=SEED_END, today=TODAY, scale=2)
    companies, projects, logs, payments = load(engine)
    single = counts(seed_db[0])
    assert len(companies) == summary.companies == 18
    assert len(projects) == summary.projects == 2 * single["project"]
    assert len(logs) == 2 * single["worklog"] and len(payments) == 2 * single["payment"]
    assert sum(p.net for p in payments) == summary.net_total == 36_872_740
    assert {c.name for c in companies if c.name.endswith(" #2")} == {
        c.name + " #2" for c in load(seed_db[0])[0]}


def test_scale_ten_keeps_every_day_within_24_hours(engine):
    summary = generate(engine, end=NOW_END, today=TODAY, scale=10)
    assert summary.net_total == 10 * DEMO_NET_TOTAL and summary.companies == 90
    with engine.connect() as conn:
        longest = conn.execute(sa.text(  # PostgreSQL before 16 wants the subquery named
            "SELECT MAX(total) FROM (SELECT SUM(minutes) AS total FROM worklog GROUP BY work_date) AS per_day"
        )).scalar_one()
        gross_ok = conn.execute(sa.text(
            "SELECT COUNT(*) FROM payment WHERE net != gross - income_tax - local_tax")).scalar_one()
    assert longest <= 1440
    assert gross_ok == 0


@pytest.mark.parametrize("scale", [0, 201, 1.5])
def test_bad_scale_is_refused(engine, scale):
    with pytest.raises(DemoRefused, match="배수"):
        generate(engine, end=SEED_END, today=TODAY, scale=scale)
    assert counts(engine) == dict.fromkeys(counts(engine), 0)
