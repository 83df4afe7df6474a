"""worklog_month, kept by triggers, always equals the work entries summed per project and month:
after inserts, edits that move an entry to another month or project, deletes, bulk writes and a
restore — on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import select

from tracker import ledger
from tracker.models import WorkLog, WorkLogMonth
from tracker.queries import WORK_EARNINGS, month_of, work_months


def summed(engine) -> list[tuple]:
    """The sums as one GROUP BY over the entries (what the triggers must keep)."""
    cost = sa.case((WorkLog.pay_scheme == "per_item", WorkLog.items_rejected * WorkLog.rate), else_=0)
    query = (select(WorkLog.project_id, month_of(WorkLog.work_date), sa.func.count(), sa.func.sum(WorkLog.minutes),
                    sa.func.sum(WORK_EARNINGS), sa.func.sum(WorkLog.items_submitted),
                    sa.func.sum(WorkLog.items_rejected), sa.func.sum(cost))
             .group_by(WorkLog.project_id, month_of(WorkLog.work_date)).order_by(WorkLog.project_id, month_of(WorkLog.work_date)))
    with engine.connect() as conn:
        return [tuple(int(v) if not isinstance(v, date) else v for v in r) for r in conn.execute(query)]


def kept(engine) -> list[tuple]:
    """The kept rows with entries (a row whose entries all went stays, at zero, for readers catching up)."""
    m = WorkLogMonth
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(m.project_id, m.month, m.entries, m.minutes, m.earned, m.submitted, m.rejected, m.rejection_cost)
            .where(m.entries > 0).order_by(m.project_id, m.month))]


def stamps(engine) -> dict[tuple, tuple[int, int]]:
    """(project, month) → (entries, stamp) of every kept row, emptied ones too."""
    m = WorkLogMonth
    with engine.connect() as conn:
        return {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(select(m.project_id, m.month, m.entries, m.stamp))}


def test_sums_follow_every_kind_of_write(engine, company_id):
    per_item = ledger.create_project(engine, {"company_id": company_id, "name": "간판 OCR", "unit_price": 50})
    per_hour = ledger.create_project(engine, {"company_id": company_id, "name": "음성 전사", "pay_scheme": "per_hour",
                                              "unit_price": 12_000})
    a = ledger.create_worklog(engine, {"project_id": per_item, "work_date": date(2026, 10, 30), "minutes": 90,
                                       "items_submitted": 120, "items_rejected": 3})
    b = ledger.create_worklog(engine, {"project_id": per_item, "work_date": date(2026, 10, 31), "minutes": 30,
                                       "items_submitted": 40})
    c = ledger.create_worklog(engine, {"project_id": per_hour, "work_date": date(2026, 11, 2), "minutes": 95})
    assert kept(engine) == summed(engine) == [
        (per_item, date(2026, 10, 1), 2, 120, 117 * 50 + 40 * 50, 160, 3, 150),
        (per_hour, date(2026, 11, 1), 1, 95, 95 * 12_000 // 60, 0, 0, 0),
    ]
    ledger.update_worklog(engine, b, {"work_date": date(2026, 11, 1), "version": 1})  # to another month
    ledger.update_worklog(engine, c, {"project_id": per_item, "version": 1})  # to another project
    ledger.update_worklog(engine, a, {"items_rejected": 20, "version": 1})
    assert kept(engine) == summed(engine)
    assert kept(engine)[0] == (per_item, date(2026, 10, 1), 1, 90, 100 * 50, 120, 20, 1_000)
    before = stamps(engine)
    ledger.delete_worklog(engine, a, version=2)  # the month's last entry: its row stays, emptied and stamped
    assert [r[:2] for r in kept(engine)] == [(per_item, date(2026, 11, 1))]
    assert kept(engine) == summed(engine)
    after = stamps(engine)
    october = (per_item, date(2026, 10, 1))
    assert after[october] == (0, max(s for _, s in before.values()) + 1)
    assert {k: v for k, v in after.items() if k != october} == {k: v for k, v in before.items() if k != october}


def test_every_write_stamps_only_the_rows_it_touched_with_the_next_stamp(engine, company_id):
    project = ledger.create_project(engine, {"company_id": company_id, "name": "간판 OCR", "unit_price": 50})
    a = ledger.create_worklog(engine, {"project_id": project, "work_date": date(2026, 10, 30), "minutes": 10,
                                       "items_submitted": 5})
    ledger.create_worklog(engine, {"project_id": project, "work_date": date(2026, 11, 2), "minutes": 10})
    first = stamps(engine)
    assert first == {(project, date(2026, 10, 1)): (1, 1), (project, date(2026, 11, 1)): (1, 2)}
    october, november = (project, date(2026, 10, 1)), (project, date(2026, 11, 1))
    ledger.update_worklog(engine, a, {"minutes": 20, "version": 1})  # its own month only
    second = stamps(engine)
    assert second[november] == (1, 2) and second[october][0] == 1 and second[october][1] > 2
    ledger.update_worklog(engine, a, {"work_date": date(2026, 11, 3), "version": 2})  # from October to November
    third = stamps(engine)
    assert third[october][0] == 0 and third[november][0] == 2
    assert min(third[october][1], third[november][1]) > second[october][1]  # both touched, both stamped after


def test_bulk_writes_and_the_shared_read(engine, company_id):
    project = ledger.create_project(engine, {"company_id": company_id, "name": "바운딩 박스", "unit_price": 40})
    rows = [{"project_id": project, "work_date": date(2026, m, d), "minutes": 10, "items_submitted": d,
             "items_rejected": 0, "rate": 40, "pay_scheme": "per_item", "note": "", "version": 1}
            for m in (9, 10, 11) for d in range(1, 21)]
    with engine.begin() as conn:  # one statement with many rows (PostgreSQL: one trigger run)
        conn.execute(sa.insert(WorkLog).values(created_at=sa.func.current_timestamp()), rows)
    assert kept(engine) == summed(engine)
    assert [r[2] for r in kept(engine)] == [20, 20, 20]
    frame = work_months(engine)
    assert frame[["work_month", "entries", "earned"]].values.tolist() == [
        [date(2026, m, 1), 20, 210 * 40] for m in (9, 10, 11)]
    with engine.begin() as conn:
        conn.execute(sa.update(WorkLog).where(WorkLog.work_date < date(2026, 10, 1)).values(rate=50))
        conn.execute(sa.delete(WorkLog).where(WorkLog.work_date >= date(2026, 11, 1)))
    assert kept(engine) == summed(engine)
    assert work_months(engine)[["work_month", "earned"]].values.tolist() == [
        [date(2026, 9, 1), 210 * 50], [date(2026, 10, 1), 210 * 40]]


def test_the_demo_and_a_restore_rebuild_the_sums(engine, tmp_path, db_url_factory):
    from tracker import backup
    from tracker.db import connect
    from tracker.demo import generate

    generate(engine, end=date(2026, 11, 1), today=date(2026, 11, 22))
    assert kept(engine) == summed(engine) and len(kept(engine)) > 50
    copy = connect(db_url_factory("copy"))
    backup.restore(copy, backup.backup(engine, tmp_path / "b.json.gz").path)
    assert kept(copy) == kept(engine)
    generate(copy, end=date(2026, 11, 1), today=date(2026, 11, 22), force=True)  # delete everything, fill again
    assert kept(copy) == summed(copy)
    # the same sums again (PostgreSQL's sequences give the new projects new ids)
    assert [r[1:] for r in kept(copy)] == [r[1:] for r in kept(engine)]
    copy.dispose()
