"""Per-table data versions: every write, from any process, bumps exactly the tables it touched."""
from __future__ import annotations

import threading
from datetime import date

import sqlalchemy as sa

from tracker import dataversion, ledger
from tracker.db import connect


def test_each_write_bumps_only_its_own_tables(engine, company_id, project_id):
    before = dataversion.versions(engine)
    assert set(before) == set(dataversion.TRACKED)
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 2), "minutes": 60})
    after = dataversion.versions(engine)
    assert {t for t in after if after[t] != before[t]} == {"worklog"}
    ledger.update_company(engine, company_id, {"notes": "메모"})
    again = dataversion.versions(engine)
    assert {t for t in again if again[t] != after[t]} == {"company"}


def test_raw_sql_from_another_connection_is_counted_too(engine, db_url):
    """The counter lives in the database, so a cron radar or someone's own SQL is seen as well."""
    other = connect(db_url)
    before = dataversion.versions(engine)["company"]
    with other.begin() as conn:
        conn.execute(sa.text("UPDATE company SET notes = 'x'"))  # no rows: still one statement on PostgreSQL
        conn.execute(sa.text(
            "INSERT INTO company (name, kind, website, pay_months_after, pay_day, pay_shift, withholding_kind, active, "
            "notes, created_at, version) VALUES ('셀렉트스타', 'platform', '', 1, 10, 'next', 'business', true, '', "
            "'2026-01-01', 1)"))
    assert dataversion.versions(engine)["company"] > before


def test_a_rolled_back_write_changes_no_version(engine):
    before = dataversion.versions(engine)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO company (name, kind, website, pay_months_after, pay_day, pay_shift, withholding_kind, "
                "active, notes, created_at, version) VALUES ('에이모', 'platform', '', 1, 10, 'next', 'business', "
                "true, '', '2026-01-01', 1)"))
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert dataversion.versions(engine) == before


def test_every_tracked_table_has_its_triggers_after_upgrade(engine):
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = set(conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
            expected = {f"data_version_{t}_{e}" for t in dataversion.TRACKED for e in ("insert", "update", "delete")}
        else:
            names = set(conn.execute(sa.text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
            expected = {f"data_version_{t}" for t in dataversion.TRACKED}
    assert expected <= names


def test_a_page_run_reads_the_versions_once_until_it_writes(engine, db_url, company_id, project_id):
    other = connect(db_url)
    outside = dataversion.versions(engine)
    with dataversion.pinned():
        first = dataversion.versions(engine)
        tab = threading.Thread(target=ledger.update_company, args=(other, company_id, {"notes": "다른 탭에서"}))
        tab.start()  # another session (its own thread) writes
        tab.join()
        assert dataversion.versions(engine) is first == outside  # another writer's change: the next run sees it
        ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 2), "minutes": 60})
        mine = dataversion.versions(engine)  # this run's own write: read again at once
        assert (mine["worklog"], mine["company"]) == (first["worklog"] + 1, first["company"] + 1)
        assert dataversion.versions(engine) is mine
    after = dataversion.versions(engine)
    assert after == mine and after is not mine  # outside the block: read every time
    other.dispose()
