"""Upgrades are all or nothing; a damaged or newer database is refused in Korean, never replaced."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tracker import db
from tracker.db import DatabaseProblem, connect, current_revision, downgrade, head_revision, make_engine, upgrade
from tracker.demo import generate

ROOT = Path(__file__).resolve().parent.parent


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                for t in ("company", "project", "worklog", "payment")}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_a_failed_upgrade_leaves_the_old_revision_and_the_data(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO company (name, kind, website, pay_months_after, pay_day, pay_shift, withholding_kind, active, "
            "notes, created_at) VALUES ('에이모', 'platform', '', 1, 15, 'next', 'business', true, '', '2026-01-01')"))
        # Something in the way of 0004 (its data_version table), after its first steps have run.
        conn.execute(sa.text("CREATE TABLE data_version (name VARCHAR(50))"))
    with pytest.raises(DatabaseProblem) as failed:
        connect(db_url)
    assert failed.value.message.startswith(
        f"장부 스키마를 0003에서 {head_revision()}(으)로 올리지 못해 원래 상태로 두었습니다")
    assert current_revision(engine) == "0003"
    columns = {c["name"] for c in sa.inspect(make_engine(db_url)).get_columns("company")}
    assert "version" not in columns, "the columns 0004 added before it failed were rolled back"
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM company")).scalars().all() == ["에이모"]


def test_a_database_from_a_newer_version_is_refused_in_korean(db_url):
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(DatabaseProblem) as newer:
        connect(db_url)
    assert newer.value.message == (
        f"이 장부는 더 새로운 라벨장부(스키마 0099)로 만들어졌습니다. 이 프로그램이 아는 스키마는 {head_revision()}까지입니다. "
        "라벨장부를 최신으로 올린 뒤 여세요. 장부는 그대로 두었습니다.")
    result = cli("--db", db_url, "migrate")
    assert result.returncode != 0
    assert "더 새로운 라벨장부" in result.stderr and "Traceback" not in result.stderr + result.stdout
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0099"


@pytest.mark.sqlite_only
@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_sqlite_file_is_refused_and_left_as_it_was(tmp_path, damage):
    path = tmp_path / "ledger.db"
    url = f"sqlite:///{path}"
    engine = connect(url)
    generate(engine, end=date(2026, 11, 1), today=date(2026, 11, 22))
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"not a ledger at all " * 500)
    damaged = path.read_bytes()
    with pytest.raises(DatabaseProblem) as refused:
        connect(url)
    assert refused.value.message.startswith(f"장부 파일을 열 수 없습니다: {path}. 파일이 손상되었거나")
    result = cli("--db", url, "migrate")
    assert result.returncode != 0
    assert "장부 파일을 열 수 없습니다" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert path.read_bytes() == damaged, "never replaced by a fresh ledger"


@pytest.mark.sqlite_only
def test_an_upgrade_killed_midway_leaves_a_ledger_that_opens(tmp_path):
    """kill -9 at moments spread over a real upgrade (0002 → head recreates the project table).

    The pre-upgrade copy appearing in backups/ says the upgrade is about to start; the kills land
    0–120 ms after that, across the copy, the migration (about 60 ms here) and its commit."""
    source = tmp_path / "source.db"
    engine = connect(f"sqlite:///{source}")
    generate(engine, end=date(2026, 11, 1), today=date(2026, 11, 22), scale=3)
    before = counts(engine)
    downgrade(engine, "0002")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    outcomes = []
    for i, delay in enumerate((0.0, 0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12)):
        folder = tmp_path / f"kill{i}"
        folder.mkdir()
        path = folder / "ledger.db"
        shutil.copy(source, path)
        proc = subprocess.Popen([sys.executable, "-m", "tracker", "--db", f"sqlite:///{path}", "migrate"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not list((folder / "backups").glob("*.db")) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        reopened = make_engine(f"sqlite:///{path}")
        revision = current_revision(reopened)
        outcomes.append(revision)
        assert revision in ("0002", head_revision())
        assert counts(reopened) == before
        reopened.dispose()
        assert counts(connect(f"sqlite:///{path}")) == before  # and it upgrades cleanly afterwards
    assert "0002" in outcomes, f"no kill landed before the upgrade committed: {outcomes}"


@pytest.mark.sqlite_only
def test_before_an_upgrade_a_sqlite_ledger_with_data_is_copied_into_backups(tmp_path):
    path = tmp_path / "ledger.db"
    engine = connect(f"sqlite:///{path}")
    generate(engine, end=date(2026, 11, 1), today=date(2026, 11, 22))
    before = counts(engine)
    downgrade(engine, "0003")
    engine.dispose()
    connect(f"sqlite:///{path}")
    copy = db.UPGRADE_COPIES[f"sqlite:///{path}"]
    assert copy.parent == tmp_path / "backups" and copy.exists()
    old = make_engine(f"sqlite:///{copy}")
    assert current_revision(old) == "0003"
    assert counts(old) == before
