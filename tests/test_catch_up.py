"""After a write to work entries, the kept sums catch up on the project-months it changed
(tracker.queries.work_months, tracker.receivables.unbilled_work, tracker.income.earned_by_month,
project_rates and hours_by_month):
after every write of a long random sequence, what they return equals what a whole read and a whole
computation give, on SQLite and PostgreSQL."""
from __future__ import annotations

import random
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from tracker import dataversion, income, ledger, queries, receivables
from tracker.models import Payment, WorkLog

MONTHS = [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]


def fresh(engine, monkeypatch):
    """work_months, unbilled work, earned, project rates and hours, each from a whole read (nothing kept),
    the unbilled work through the numpy path (the kept one is patched row by row: both must agree)."""
    found = dataversion.versions(engine)
    work = queries._read_work(engine, (found["project"], found["worklog"]), 0).frame
    companies = queries.company_rows(engine)
    with monkeypatch.context() as m:
        m.setattr(receivables, "SMALL", 0)
        with engine.connect() as conn:
            unbilled = receivables._unbilled(conn, companies, work)
        earned = income.earned_by_month(engine, work=work)
    return (work, unbilled, earned, income.project_rates(engine, work=work), income.hours_by_month(engine, work=work))


def kept(engine):
    companies = queries.company_rows(engine)
    with engine.connect() as conn:
        unbilled = receivables.unbilled_work(conn, companies)
    return (queries.work_months(engine), unbilled, income.earned_by_month(engine), income.project_rates(engine),
            income.hours_by_month(engine))


def same(engine, monkeypatch) -> None:
    for got, want in zip(kept(engine), fresh(engine, monkeypatch)):
        pd.testing.assert_frame_equal(got, want)


def ledger_of_three(engine) -> list[int]:
    daily = ledger.create_company(engine, {"name": "하루데이터", "withholding_kind": "daily"})  # nets per day worked
    other = ledger.create_company(engine, {"name": "가나라벨"})
    return [
        ledger.create_project(engine, {"company_id": daily, "name": "간판 OCR", "unit_price": 50}),
        ledger.create_project(engine, {"company_id": other, "name": "음성 전사", "pay_scheme": "per_hour",
                                       "unit_price": 12_000}),
        ledger.create_project(engine, {"company_id": other, "name": "바운딩 박스", "unit_price": 30}),
    ]


def a_day(rng) -> date:
    month = rng.choice(MONTHS)
    return month.replace(day=rng.randint(1, 28))


@pytest.mark.parametrize("seed", [1, 2])
def test_kept_sums_equal_a_whole_read_after_every_write(engine, seed, monkeypatch):
    rng = random.Random(seed)
    projects = ledger_of_three(engine)
    same(engine, monkeypatch)  # nothing yet
    live: list[int] = []
    paid: list[int] = []
    for _ in range(80):
        roll = rng.random()
        if roll < 0.45 or not live:
            live.append(ledger.create_worklog(engine, {
                "project_id": rng.choice(projects), "work_date": a_day(rng), "minutes": rng.randint(0, 300),
                "items_submitted": rng.randint(5, 200), "items_rejected": rng.randint(0, 5)}))
        elif roll < 0.7:
            entry = rng.choice(live)
            with engine.connect() as conn:
                version = conn.execute(sa.select(WorkLog.version).where(WorkLog.id == entry)).scalar_one()
            change = rng.choice([{"work_date": a_day(rng)}, {"project_id": rng.choice(projects)},
                                 {"items_submitted": rng.randint(10, 200), "items_rejected": rng.randint(0, 10)},
                                 {"minutes": rng.randint(1, 600)}])
            ledger.update_worklog(engine, entry, {**change, "version": version})
        elif roll < 0.85:
            entry = live.pop(rng.randrange(len(live)))
            ledger.delete_worklog(engine, entry)
        elif roll < 0.92 or not paid:  # a payment (of a project, or of a whole company's month)
            project = rng.choice(projects)
            paid.append(ledger.create_payment(engine, {
                "company_id": ledger_company(engine, project), **({"project_id": project} if rng.random() < 0.5 else {}),
                "work_month": rng.choice(MONTHS), "gross": 100_000, "income_tax": 3_000, "local_tax": 300,
                "net": 96_700}))
        else:  # a payment edited: its note or received date (the same months paid), its amount, or its month
            payment = rng.choice(paid)
            gross = rng.randint(50, 200) * 1_000
            change = rng.choice([{"note": f"메모 {rng.random()}"}, {"received_date": a_day(rng)},
                                 {"gross": gross, "income_tax": gross * 3 // 100, "local_tax": gross * 3 // 1000,
                                  "net": gross - gross * 3 // 100 - gross * 3 // 1000},
                                 {"work_month": rng.choice(MONTHS)}])
            ledger.update_payment(engine, payment, {**change, "version": version_of(engine, payment)})
        same(engine, monkeypatch)
    assert len(queries.work_state(engine).patches) > 10  # most writes were caught up, not read whole


def version_of(engine, payment_id: int) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(Payment.version).where(Payment.id == payment_id)).scalar_one()


def ledger_company(engine, project_id: int) -> int:
    return queries.project_companies(engine)[project_id]


def test_a_reader_learns_which_project_months_changed(engine):
    a, b, _ = ledger_of_three(engine)
    ledger.create_worklog(engine, {"project_id": a, "work_date": date(2026, 9, 3), "minutes": 10, "items_submitted": 4})
    start = queries.work_state(engine)
    assert queries.changes_between(start, start.epoch, start.stamp) == frozenset()
    ledger.create_worklog(engine, {"project_id": b, "work_date": date(2026, 10, 3), "minutes": 60})
    entry = ledger.create_worklog(engine, {"project_id": a, "work_date": date(2026, 8, 9), "minutes": 5})
    ledger.delete_worklog(engine, entry)  # August's only entry: gone from the frame, still a change
    now = queries.work_state(engine)
    assert queries.changes_between(now, start.epoch, start.stamp) == {(b, date(2026, 10, 1)), (a, date(2026, 8, 1))}
    assert now.frame["work_month"].tolist() == [date(2026, 9, 1), date(2026, 10, 1)]
    assert queries.changes_between(now, now.epoch, now.stamp) == frozenset()
    assert queries.changes_between(now, start.epoch - 1, start.stamp) is None  # another epoch: unknown
    ledger.update_project(engine, b, {"name": "음성 전사 2", "version": 1})  # a project write: read whole
    after = queries.work_state(engine)
    assert after.epoch == now.epoch + 1 and after.patches == ()
    assert queries.changes_between(after, now.epoch, now.stamp) is None


def test_a_payment_that_pays_the_same_months_leaves_the_unbilled_work_as_it_was(engine):
    a, b, _ = ledger_of_three(engine)
    for project, day in ((a, date(2026, 9, 3)), (b, date(2026, 10, 7))):
        ledger.create_worklog(engine, {"project_id": project, "work_date": day, "minutes": 60, "items_submitted": 40})
    payment = ledger.create_payment(engine, {"company_id": ledger_company(engine, a), "project_id": a,
                                             "work_month": date(2026, 9, 1), "gross": 2_000, "income_tax": 60,
                                             "local_tax": 6, "net": 1_934})

    def unbilled():
        with engine.connect() as conn:
            return receivables.unbilled_work(conn, queries.company_rows(engine))

    before = unbilled()
    assert before["project_id"].tolist() == [b]  # September of a is paid
    for change in ({"note": "입금 확인 중"}, {"received_date": date(2026, 10, 10)},
                   {"gross": 3_000, "income_tax": 90, "local_tax": 9, "net": 2_901}):
        ledger.update_payment(engine, payment, {**change, "version": version_of(engine, payment)})
        assert unbilled() is before  # the same project-months paid: nothing worked out again
    ledger.update_payment(engine, payment, {"work_month": date(2026, 10, 1), "version": version_of(engine, payment)})
    after = unbilled()
    assert after is not before and after["project_id"].tolist() == [a, b]  # now October of a is paid, not September


def test_earned_stays_as_it_was_when_a_payment_keeps_its_sums_and_months(engine):
    a, _, _ = ledger_of_three(engine)
    ledger.create_worklog(engine, {"project_id": a, "work_date": date(2026, 10, 3), "minutes": 60, "items_submitted": 40})
    payment = ledger.create_payment(engine, {"company_id": ledger_company(engine, a), "project_id": a,
                                             "work_month": date(2026, 9, 1), "gross": 2_000, "income_tax": 60,
                                             "local_tax": 6, "net": 1_934})
    before = income.earned_by_month(engine)
    for change in ({"note": "입금 확인 중"}, {"received_date": date(2026, 10, 10)}):
        ledger.update_payment(engine, payment, {**change, "version": version_of(engine, payment)})
        assert income.earned_by_month(engine) is before
    ledger.update_payment(engine, payment, {"gross": 3_000, "income_tax": 90, "local_tax": 9, "net": 2_901,
                                            "version": version_of(engine, payment)})
    after = income.earned_by_month(engine)
    # September as paid; October's 40 items × 50 won unbilled, 일용근로 under the daily line: nothing withheld
    assert after[["gross", "net"]].values.tolist() == [[3_000, 2_901], [2_000, 2_000]]
    assert before[["gross", "net"]].values.tolist() == [[2_000, 1_934], [2_000, 2_000]]
