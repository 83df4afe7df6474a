"""Edits never overwrite newer data; two writers at once never double a deposit or pass 24 hours."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import count_rows
from tracker import db, ledger
from tracker.errors import LedgerError
from tracker.ledger import STALE

ROOT = Path(__file__).resolve().parent.parent


def payment(engine, company_id, **extra) -> int:
    return ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 10, 1), "gross": 100_000,
                                          "income_tax": 3_000, "local_tax": 300, "net": 96_700, **extra})


def row(engine, table: str, row_id: int) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id}).mappings().one())


# ---------------------------------------------------------------- versions


def test_every_editable_row_starts_at_version_1_and_each_update_adds_one(engine, company_id, project_id):
    payment_id = payment(engine, company_id)
    worklog_id = ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 2), "minutes": 60})
    for table, row_id in [("company", company_id), ("project", project_id), ("payment", payment_id),
                          ("worklog", worklog_id)]:
        assert row(engine, table, row_id)["version"] == 1, table
    ledger.update_company(engine, company_id, {"notes": "월말 정산", "version": 1})
    ledger.update_project(engine, project_id, {"unit_price": 60, "version": 1})
    ledger.update_payment(engine, payment_id, {"note": "11월분", "version": 1})
    ledger.update_worklog(engine, worklog_id, {"minutes": 90, "version": 1})
    ledger.update_payment(engine, payment_id, {"note": "11월분 (확인)", "version": 2})
    assert [row(engine, t, i)["version"] for t, i in [("company", company_id), ("project", project_id),
                                                      ("payment", payment_id), ("worklog", worklog_id)]] == [2, 2, 3, 2]


def test_a_stale_edit_is_refused_and_writes_nothing(engine, company_id):
    """Two tabs showed version 1; the first saves a received date and note, the second a new gross."""
    payment_id = payment(engine, company_id)
    ledger.update_payment(engine, payment_id, {"received_date": date(2026, 11, 10), "note": "입금 확인", "version": 1})
    before = row(engine, "payment", payment_id)
    with pytest.raises(LedgerError) as refused:
        ledger.update_payment(engine, payment_id, {"received_date": None, "note": "", "version": 1})
    assert refused.value.message == STALE == "다른 화면에서 먼저 바뀌었습니다. 새로 불러온 뒤 다시 고쳐 주세요."
    assert refused.value.field == "version"
    assert row(engine, "payment", payment_id) == before
    assert before["received_date"] in (date(2026, 11, 10), "2026-11-10") and before["note"] == "입금 확인"


def test_an_update_writes_only_the_fields_it_names(engine, company_id):
    """Without a version, two edits of different fields both stay (no whole-row overwrite)."""
    payment_id = payment(engine, company_id)
    ledger.update_payment(engine, payment_id, {"received_date": date(2026, 11, 10)})
    ledger.update_payment(engine, payment_id, {"note": "다른 탭에서 쓴 메모"})
    saved = row(engine, "payment", payment_id)
    assert str(saved["received_date"]) == "2026-11-10" and saved["note"] == "다른 탭에서 쓴 메모"
    assert saved["version"] == 3


def test_an_update_that_changes_nothing_keeps_the_version(engine, company_id):
    ledger.update_company(engine, company_id, {"name": "크라우드웍스", "version": 1})
    assert row(engine, "company", company_id)["version"] == 1


def test_stale_deletes_and_stale_deposits_are_refused(engine, company_id, project_id):
    payment_id = payment(engine, company_id)
    ledger.update_payment(engine, payment_id, {"note": "먼저 바뀜"})
    before = count_rows(engine)
    for action in (lambda: ledger.delete_payment(engine, payment_id, version=1),
                   lambda: ledger.record_deposit(engine, {"payment_id": payment_id, "received_on": date(2026, 11, 10),
                                                          "gross": 100_000, "income_tax": 3_000, "local_tax": 300,
                                                          "net": 96_700}, version=1),
                   lambda: ledger.delete_project(engine, project_id, version=7),
                   lambda: ledger.delete_company(engine, company_id, version=0, cascade=True)):
        with pytest.raises(LedgerError, match="다른 화면에서 먼저 바뀌었습니다"):
            action()
    assert count_rows(engine) == before


def test_a_deposit_settles_the_payment_and_bumps_its_version(engine, company_id):
    payment_id = payment(engine, company_id)
    deposit_id = ledger.record_deposit(engine, {"payment_id": payment_id, "received_on": date(2026, 11, 12),
                                                "gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700},
                                       version=1)
    assert row(engine, "payment", payment_id)["version"] == 2
    ledger.update_deposit(engine, deposit_id, {"received_on": date(2026, 11, 13), "version": 1})
    settled = row(engine, "payment", payment_id)
    assert str(settled["received_date"]) == "2026-11-13" and settled["version"] == 3
    assert row(engine, "deposit", deposit_id)["version"] == 2
    with pytest.raises(LedgerError, match="다른 화면에서 먼저 바뀌었습니다"):
        ledger.update_deposit(engine, deposit_id, {"note": "늦은 탭", "version": 1})


def test_migration_starts_existing_rows_at_version_1(db_url):
    engine = db.make_engine(db_url)
    db.upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO company (name, kind, website, pay_months_after, pay_day, pay_shift, withholding_kind, active, "
            "notes, created_at) VALUES ('에이모', 'platform', '', 1, 15, 'next', 'business', true, '', '2026-01-01')"))
    db.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT name, version FROM company")).all() == [("에이모", 1)]


# ---------------------------------------------------------------- two processes at once


def race(db_url: str, what: str, items: list[str], tmp_path: Path) -> list[tuple[int, int, int]]:
    start = tmp_path / f"start-{what}"
    procs = [subprocess.Popen([sys.executable, "-m", "tests.race_worker", db_url, what, str(start), *items],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    time.sleep(1.5)  # both imported and waiting
    start.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "crash" not in err, err
        results.append(tuple(int(x) for x in out.split()))
    return results


def test_two_processes_recording_the_same_deposits_settle_each_payment_once(engine, db_url, company_id, tmp_path):
    ids = [payment(engine, company_id) for _ in range(60)]
    results = race(db_url, "deposit", [str(i) for i in ids], tmp_path)
    with engine.connect() as conn:
        per_payment = dict(conn.execute(sa.text("SELECT payment_id, COUNT(*) FROM deposit GROUP BY payment_id")).all())
        grosses = conn.execute(sa.text("SELECT gross FROM payment")).scalars().all()
    assert per_payment == {i: 1 for i in ids}
    assert grosses == [100_000] * 60
    assert sum(r[0] for r in results) == 60 and sum(r[1] for r in results) == 60


def test_two_processes_adding_800_minutes_never_pass_24_hours(engine, db_url, project_id, tmp_path):
    days = [(date(2026, 9, 1) + timedelta(days=i)).isoformat() for i in range(60)]
    results = race(db_url, "minutes", days, tmp_path)
    with engine.connect() as conn:
        totals = conn.execute(sa.text("SELECT SUM(minutes) FROM worklog GROUP BY work_date")).scalars().all()
    assert sorted(set(totals)) == [800] and len(totals) == 60
    assert sum(r[0] for r in results) == 60 and sum(r[1] for r in results) == 60


# ---------------------------------------------------------------- a writer that waits too long


def test_a_write_that_waits_past_the_busy_timeout_is_a_korean_ledger_error(engine, db_url, company_id, monkeypatch):
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 300)
    waiting = db.make_engine(db_url)  # new connections get the short timeout
    holder = db.writer(db.make_engine(db_url)).connect()
    holder.begin()
    db._take_write_lock(holder)
    holder.execute(sa.text("UPDATE company SET notes = 'holding' WHERE id = :id"), {"id": company_id})
    try:
        before = time.monotonic()
        with pytest.raises(LedgerError) as busy:
            ledger.create_company(waiting, {"name": "테스트웍스"})
        assert busy.value.message == "다른 작업이 장부에 쓰는 중이라 0.3초를 기다렸지만 끝나지 않았습니다. 잠시 후 다시 시도하세요."
        assert time.monotonic() - before < 5
    finally:
        holder.rollback()
        holder.close()
    assert ledger.create_company(waiting, {"name": "테스트웍스"}) > 0


def test_readers_are_not_blocked_by_a_writer(engine, db_url, company_id):
    holder = db.writer(db.make_engine(db_url)).connect()
    holder.begin()
    db._take_write_lock(holder)
    try:
        done = threading.Event()

        def read():
            assert ledger.is_empty(engine) is False
            done.set()

        thread = threading.Thread(target=read)
        thread.start()
        thread.join(5)
        assert done.is_set()
    finally:
        holder.rollback()
        holder.close()
