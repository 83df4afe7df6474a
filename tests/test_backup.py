"""Backup and restore (`python -m tracker backup | restore`) and the pre-upgrade copy.

Every round trip compares each table row for row, ids included, on the backend under test; one test
goes SQLite → PostgreSQL → SQLite when TRACKER_TEST_DATABASE_URL names a server.
"""
from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from tests.conftest import on_postgresql
from tracker import backup as bk
from tracker import ledger
from tracker.__main__ import main
from tracker.backup.tables import backed_up
from tracker.db import connect, current_revision, head_revision, make_engine, upgrade
from tracker.models import (AppSetting, DigestLog, IncomeProfile, Posting, Project, RefreshRun, SourceState, Timer,
                            WorkLog)

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 22)
REFUSAL = ["장부에 이미 기록이 있어 복원하지 않았습니다: 회사 1곳.",
           "기존 기록을 모두 지우고 복원하려면 --force를 붙이세요."]


# ---------------------------------------------------------------- helpers


# Every table a backup holds; fill() puts rows in each, so a table the format forgets fails the round trip.
TABLES = ("company", "project", "worklog", "payment", "deposit", "posting", "source_state", "income_profile",
          "app_setting", "digest_log", "refresh_run", "timer")


def fill(engine: sa.Engine) -> None:
    """The demo, a deposit, a posting that a project points at, a source's state, and a row in every other table."""
    from tracker.demo import generate

    generate(engine, end=date(2026, 11, 1), today=TODAY)
    with Session(engine) as session:
        posting = Posting(source="google_news_labeler", source_kind="google_news", external_id="g-1",
                          url="https://example.org/job/1", title="데이터 라벨러 모집 (재택)", organization="에이모",
                          dedupe_key="데이터 라벨러 모집|에이모", published=datetime(2026, 11, 20, 1, 2, 3, 456789, timezone.utc),
                          deadline=date(2026, 11, 30), pay_text="건당 50원", pay_amount=50, pay_unit="item",
                          task_types="bounding_box,ocr", remote=True, certificate="aide2", summary="요약 \"따옴표\"\n줄바꿈")
        state = SourceState(name="google_news_labeler", kind="google_news",
                            last_run=datetime(2026, 11, 21, 23, 0, tzinfo=timezone.utc), last_success=None,
                            last_error="시간 초과", consecutive_failures=2, item_count=17, new_count=0,
                            layout_warning=True, etag='W/"abc"', last_modified="Sat, 21 Nov 2026 23:00:00 GMT")
        profile = IncomeProfile(year=2025, has_wage=True, wage_taxable_base=30_000_000, wage_determined_tax=1_500_000,
                                health_status="employee")
        setting = AppSetting(key="radar_include", value='["재택", "라벨링"]', version=2)
        sent = DigestLog(sent_at=datetime(2026, 11, 21, 23, 0, tzinfo=timezone.utc), channel="email",
                         item_keys='["posting:1", "overdue:payment:3:2026-11-10"]', items_hash="0" * 64,
                         subject="[라벨장부] 11월 22일 알림: 새 공고 1건", text="라벨장부 알림\n\n■ 새 모집 공고 1건")
        refreshed = RefreshRun(active=None, started=datetime(2026, 11, 21, 23, 0, tzinfo=timezone.utc),
                               heartbeat=datetime(2026, 11, 21, 23, 0, 9, tzinfo=timezone.utc),
                               finished=datetime(2026, 11, 21, 23, 0, 9, tzinfo=timezone.utc), total=2, done=2, new=1,
                               failed=1, progress='[{"name": "뉴스", "state": "ok", "line": "[성공] 뉴스"}]')
        timer = Timer(project_id=2, started_at=datetime(2026, 11, 22, 0, 30, tzinfo=timezone.utc), version=3)
        session.add_all([posting, state, profile, setting, sent, refreshed, timer])
        session.commit()
        session.execute(sa.update(Project).where(Project.id == 1).values(posting_id=posting.id))
        session.commit()
    with engine.connect() as conn:
        unpaid = conn.execute(sa.text("SELECT id, gross, income_tax, local_tax, net FROM payment "
                                      "WHERE received_date IS NULL ORDER BY id")).first()
    ledger.record_deposit(engine, {"payment_id": unpaid.id, "received_on": TODAY, "net": unpaid.net,
                                   "gross": unpaid.gross, "income_tax": unpaid.income_tax,
                                   "local_tax": unpaid.local_tax}, settle=False)


def snapshot(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every ledger table's rows as Python values (what the app reads), in primary-key order: the
    columns a backup holds (not the row stamps, which a restore gives again)."""
    with engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(sa.select(*backed_up(t)).order_by(*t.primary_key.columns))]
                for t in bk.ledger_tables()}


def raw(engine: sa.Engine) -> dict[str, list[tuple]]:
    """The same rows as the database driver returns them, untouched by SQLAlchemy's types."""
    with engine.connect() as conn:
        return {t.name: conn.exec_driver_sql(f"SELECT {', '.join(c.name for c in backed_up(t))} FROM {t.name} ORDER BY "
                                             f"{', '.join(c.name for c in t.primary_key.columns)}").all()
                for t in bk.ledger_tables()}


def assert_identical(a: sa.Engine, b: sa.Engine) -> None:
    left, right = snapshot(a), snapshot(b)
    assert set(left) == set(TABLES)
    for table in left:
        assert left[table] == right[table], table
    if a.dialect.name == b.dialect.name:
        assert raw(a) == raw(b)


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def lines(err: str) -> list[str]:
    """stderr without the log lines (those carry a timestamp and a level)."""
    return [line for line in err.splitlines() if not line[:4].isdigit()]


@pytest.fixture
def filled(engine) -> sa.Engine:
    fill(engine)
    return engine


@pytest.fixture
def backup_file(filled, tmp_path) -> Path:
    return bk.backup(filled, tmp_path / "ledger.json.gz").path


def rewrite(path: Path, target: Path, change) -> Path:
    """A copy of a backup whose header and row lines pass through `change(header, rows)`."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        header, *rows = [json.loads(line) for line in f]
    change(header, rows)
    with gzip.open(target, "wt", encoding="utf-8") as f:
        for item in [header, *rows]:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    return target


# ---------------------------------------------------------------- round trips


def test_backup_then_restore_is_identical_row_for_row(filled, db_url, db_url_factory, tmp_path, capsys):
    file = tmp_path / "out" / "ledger.json.gz"
    code, out, _ = run(["--db", db_url, "backup", str(file)], capsys)
    assert code == 0
    counts = bk.ledger_counts(filled)
    assert out.splitlines()[0] == f"백업을 만들었습니다: {file}"
    assert out.splitlines()[1:4] == [f"  회사 {counts['company']}곳", f"  프로젝트 {counts['project']}개",
                                     f"  작업 기록 {counts['worklog']:,}건"]
    assert all(counts.values()), counts  # every table holds rows

    copy_url = db_url_factory("copy")
    code, out, err = run(["--db", copy_url, "restore", str(file)], capsys)
    assert code == 0, err
    assert out.startswith(f"복원했습니다: {file} (")
    copy = connect(copy_url)
    assert_identical(filled, copy)

    # New rows continue after the restored ids (PostgreSQL: the sequences were moved past them).
    for engine in (filled, copy):
        new = ledger.create_company(engine, {"name": "새 회사"})
        assert new == counts["company"] + 1
        project = ledger.create_project(engine, {"company_id": new, "name": "새 프로젝트", "unit_price": 10})
        assert project == counts["project"] + 1
    copy.dispose()


def test_the_file_is_gzip_json_lines_with_a_header_and_typed_values(backup_file, filled):
    with gzip.open(backup_file, "rt", encoding="utf-8") as f:
        header = json.loads(f.readline())
        rows = [json.loads(line) for line in f]
    assert header["format"] == "labeler-ledger-backup" and header["format_version"] == 1
    assert header["schema_revision"] == head_revision() == current_revision(filled)
    assert datetime.fromisoformat(header["created_at"]).utcoffset().total_seconds() == 9 * 3600
    assert header["tables"] == bk.ledger_counts(filled)
    assert "data_version" not in header["tables"] and "alembic_version" not in header["tables"]
    assert len(rows) == sum(header["tables"].values())
    posting = dict(zip(header["columns"]["posting"], next(v for t, v in rows if t == "posting")))
    assert posting["published"] == "2026-11-20T01:02:03.456789+00:00"
    assert posting["deadline"] == "2026-11-30"
    assert posting["remote"] is True and posting["pay_amount"] == 50 and posting["pay_unit"] == "item"
    state = dict(zip(header["columns"]["source_state"], next(v for t, v in rows if t == "source_state")))
    assert state["last_success"] is None and state["layout_warning"] is True and state["consecutive_failures"] == 2
    assert [t for t, _ in rows] == sorted((t for t, _ in rows), key=list(header["tables"]).index), "FK order"


def test_restore_bumps_the_data_versions(backup_file, db_url_factory):
    copy = connect(db_url_factory("copy"))
    with copy.connect() as conn:
        before = dict(conn.exec_driver_sql("SELECT name, version FROM data_version").all())
    bk.restore(copy, backup_file)
    with copy.connect() as conn:
        after = dict(conn.exec_driver_sql("SELECT name, version FROM data_version").all())
    assert all(after[name] > before[name] for name in before), (before, after)
    copy.dispose()


def test_default_file_goes_to_backups(filled, db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # PostgreSQL: backups/ in the current directory
    code, out, _ = run(["--db", db_url, "backup"], capsys)
    assert code == 0
    path = Path(out.splitlines()[0].removeprefix("백업을 만들었습니다: "))
    folder = bk.sqlite_file(filled).parent if filled.dialect.name == "sqlite" else tmp_path
    assert path.parent == folder / "backups"
    assert path.name.startswith("ledger-") and path.name.endswith(".json.gz") and path.is_file()
    assert len(path.name) == len("ledger-20261122-153000.json.gz")
    assert bk.inspect_backup(path).counts == bk.ledger_counts(filled)
    again = bk.backup(filled)  # same second: a new name, never over the first
    assert again.path != path and again.path.is_file()


def test_backup_runs_as_a_module(filled, db_url, db_url_factory, tmp_path):
    file = tmp_path / "cli.json.gz"
    done = subprocess.run([sys.executable, "-m", "tracker", "--db", db_url, "backup", str(file)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"백업을 만들었습니다: {file}\n")
    assert "Traceback" not in done.stderr
    copy = connect(db_url_factory("copy"))
    bk.restore(copy, file)
    assert_identical(filled, copy)
    copy.dispose()


# ---------------------------------------------------------------- refusals


@pytest.fixture
def occupied(db_url_factory) -> tuple[str, sa.Engine]:
    url = db_url_factory("occupied")
    engine = connect(url)
    ledger.create_company(engine, {"name": "이미 있는 회사"})
    yield url, engine
    engine.dispose()


def test_restore_into_a_ledger_with_rows_needs_force(backup_file, filled, occupied, capsys):
    url, engine = occupied
    before = raw(engine)
    code, out, err = run(["--db", url, "restore", str(backup_file)], capsys)
    assert (code, out) == (2, "")
    assert lines(err) == REFUSAL
    assert raw(engine) == before

    code, out, err = run(["--db", url, "restore", str(backup_file), "--force"], capsys)
    assert code == 0, err
    assert_identical(filled, engine)
    assert ledger.create_company(engine, {"name": "새 회사"}) == bk.ledger_counts(filled)["company"] + 1


def _bad_revision(revision):
    return lambda header, rows: header.update(schema_revision=revision)


def _first_row(table, column, value):
    def change(header, rows):
        row = next(values for t, values in rows if t == table)
        row[header["columns"][table].index(column)] = value
    return change


def _duplicate_company_name(header, rows):
    companies = [values for t, values in rows if t == "company"]
    index = header["columns"]["company"].index("name")
    companies[1][index] = companies[0][index]


def _drop_last_row(header, rows):
    rows.pop()


BAD_FILES = {
    "not gzip": (lambda good, path: path.write_text("company,name\n1,크라우드웍스\n", encoding="utf-8"),
                 "라벨장부 백업 파일이 아닙니다 (gzip으로 압축된 파일이 아님). 아무것도 복원하지 않았습니다."),
    "empty": (lambda good, path: path.write_bytes(b""), "라벨장부 백업 파일이 아닙니다 (머리말을 읽을 수 없음). 아무것도 복원하지 않았습니다."),
    "gzip, not JSON": (lambda good, path: path.write_bytes(gzip.compress("아무 글\n".encode())),
                       "라벨장부 백업 파일이 아닙니다 (머리말을 읽을 수 없음). 아무것도 복원하지 않았습니다."),
    "another format": (lambda good, path: path.write_bytes(gzip.compress(b'{"format": "other", "format_version": 1}\n')),
                       "라벨장부 백업 파일이 아닙니다 (형식 표시가 없음). 아무것도 복원하지 않았습니다."),
    "truncated": (lambda good, path: path.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3]),
                  "백업 파일이 중간에 잘렸습니다. 아무것도 복원하지 않았습니다."),
    "a damaged byte": (lambda good, path: path.write_bytes(_flip(good.read_bytes())),
                       None),  # zlib or CRC error, or a damaged line: any Korean refusal
    "newer format": (lambda good, path: rewrite(good, path, lambda h, r: h.update(format_version=2)),
                     "이 백업은 더 새로운 라벨장부가 만든 형식(버전 2)입니다. 이 라벨장부는 버전 1까지 읽습니다: "
                     "라벨장부를 업데이트한 뒤 복원하세요. 아무것도 복원하지 않았습니다."),
    "unknown schema": (lambda good, path: rewrite(good, path, _bad_revision("9999")),
                       f"이 백업은 이 라벨장부가 모르는 스키마(9999)로 만들어졌습니다(더 새로운 라벨장부가 만든 것일 수 "
                       f"있습니다; 지금 스키마는 {head_revision()}). 라벨장부를 업데이트한 뒤 복원하세요. 아무것도 복원하지 않았습니다."),
    "older schema": (lambda good, path: rewrite(good, path, _bad_revision("0003")),
                     f"이 백업은 예전 라벨장부(스키마 0003)가 만들었고, 지금 라벨장부의 스키마는 {head_revision()}입니다. "
                     "스키마가 다른 백업은 복원하지 않습니다: 백업을 만든 버전의 라벨장부로 빈 장부에 복원한 뒤 이 버전으로 "
                     "열면 스키마가 저절로 최신이 됩니다. 아무것도 복원하지 않았습니다."),
    "duplicate name": (lambda good, path: rewrite(good, path, _duplicate_company_name),
                       "백업의 회사 행이 장부의 규칙에 맞지 않습니다(같은 값이 두 번 있음). 아무것도 복원하지 않았습니다."),
    "dangling project": (lambda good, path: rewrite(good, path, _first_row("project", "company_id", 999)),
                         "백업의 프로젝트 행이 장부의 규칙에 맞지 않습니다(없는 행을 가리킴). 아무것도 복원하지 않았습니다."),
    "text in a number": (lambda good, path: rewrite(good, path, _first_row("worklog", "minutes", "90분")),
                         "백업의 작업 기록 행(6번째 줄)의 minutes 값이 올바르지 않습니다: '90분'. "
                         "아무것도 복원하지 않았습니다."),
    "a bad date": (lambda good, path: rewrite(good, path, _first_row("payment", "work_month", "2026-13-01")),
                   "백업의 지급 행(5번째 줄)의 work_month 값이 올바르지 않습니다: '2026-13-01'. 아무것도 복원하지 않았습니다."),
    "unknown enum": (lambda good, path: rewrite(good, path, _first_row("company", "kind", "alien")),
                     "백업의 회사 행(2번째 줄)의 kind 값이 올바르지 않습니다: 'alien'. 아무것도 복원하지 않았습니다."),
    "a missing row": (lambda good, path: rewrite(good, path, _drop_last_row),
                      "백업 파일이 손상되었습니다: 행 수가 머리말과 다릅니다. 아무것도 복원하지 않았습니다."),
}


def _flip(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


@pytest.fixture
def small_backup(tmp_path, db_url_factory) -> Path:
    """A backup of a few rows: two companies (lines 2–3), a project (4), a payment (5), a work entry (6)."""
    engine = connect(db_url_factory("small"))
    company = ledger.create_company(engine, {"name": "크라우드웍스"})
    ledger.create_company(engine, {"name": "에이모"})
    project = ledger.create_project(engine, {"company_id": company, "name": "간판 OCR", "unit_price": 50})
    ledger.create_worklog(engine, {"project_id": project, "work_date": date(2026, 11, 2), "minutes": 90})
    ledger.create_payment(engine, {"company_id": company, "work_month": date(2026, 11, 1), "gross": 1000,
                                   "income_tax": 30, "local_tax": 3, "net": 967})
    path = bk.backup(engine, tmp_path / "small.json.gz").path
    engine.dispose()
    return path


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_restores_nothing(case, small_backup, occupied, tmp_path, capsys):
    make, message = BAD_FILES[case]
    bad = tmp_path / "bad.json.gz"
    make(small_backup, bad)
    url, engine = occupied
    before = raw(engine)
    code, out, err = run(["--db", url, "restore", str(bad), "--force"], capsys)  # force: even the delete is undone
    assert code == 1 and out == ""
    assert "Traceback" not in err
    (shown,) = lines(err)
    if message is None:
        assert shown.startswith(("백업", "라벨장부 백업")) and shown.endswith("."), shown
    else:
        assert shown == message
    assert raw(engine) == before


def test_the_good_file_of_those_cases_restores(small_backup, occupied, capsys):
    url, engine = occupied
    assert run(["--db", url, "restore", str(small_backup), "--force"], capsys)[0] == 0
    assert bk.ledger_counts(engine)["company"] == 2


def test_a_missing_file_is_explained(db_url, tmp_path, capsys):
    code, out, err = run(["--db", db_url, "restore", str(tmp_path / "없는 파일.json.gz")], capsys)
    assert code == 1
    assert lines(err) == [f"백업 파일이 없습니다: {tmp_path / '없는 파일.json.gz'}"]


def test_inspect_reads_only_the_header(backup_file, filled, db_url_factory):
    summary = bk.inspect_backup(backup_file)
    assert summary.counts == bk.ledger_counts(filled)
    assert summary.schema_revision == head_revision()
    assert summary.rows == sum(summary.counts.values())


# ---------------------------------------------------------------- consistency while others write


def test_backup_is_one_snapshot_while_another_connection_writes(filled, db_url, db_url_factory, tmp_path):
    """A work entry committed by another connection in the middle of the backup is not in it."""
    expected = snapshot(filled)
    other = connect(db_url)
    wrote: list[int] = []

    def write_once(_conn, _cursor, statement, *_):
        if not wrote and "FROM company ORDER BY" in statement:
            wrote.append(ledger.create_worklog(other, {"project_id": 1, "work_date": date(2026, 11, 21),
                                                       "minutes": 30, "items_submitted": 3}))

    sa.event.listen(filled, "before_cursor_execute", write_once)
    try:
        path = bk.backup(filled, tmp_path / "during.json.gz").path
    finally:
        sa.event.remove(filled, "before_cursor_execute", write_once)
    assert wrote, "the concurrent write happened"
    assert bk.ledger_counts(filled)["worklog"] == len(expected["worklog"]) + 1
    copy = connect(db_url_factory("copy"))
    bk.restore(copy, path)
    assert snapshot(copy) == expected
    copy.dispose()
    other.dispose()


def test_a_failed_backup_leaves_no_file(filled, tmp_path, monkeypatch):
    import tracker.backup.dump as dump

    target = tmp_path / "half.json.gz"
    real, calls = dump.dumps, []

    def failing(value):
        calls.append(1)
        if len(calls) == 50:
            assert not target.exists()
            assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")], "written aside first"
            raise OSError(28, "No space left on device")
        return real(value)

    monkeypatch.setattr(dump, "dumps", failing)
    with pytest.raises(bk.BackupError) as info:
        bk.backup(filled, target)
    assert info.value.message == f"백업 파일을 쓰지 못했습니다: {target} (No space left on device)"
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".part", ".gz"))]


# ---------------------------------------------------------------- SQLite: WAL


@pytest.fixture
def wal_ledger(tmp_path):
    """A SQLite ledger whose rows are all still in the -wal file: the schema is checkpointed into the
    main file, then the demo is written by a connection that never checkpoints and stays open."""
    path = tmp_path / "tracker.db"
    url = f"sqlite:///{path}"
    setup = connect(url)
    with setup.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    setup.dispose()
    writer = make_engine(url)
    sa.event.listen(writer, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA wal_autocheckpoint=0"))
    fill(writer)
    assert path.with_name("tracker.db-wal").stat().st_size > 0
    yield path, url, writer
    writer.dispose()


def _rows_in(file: Path) -> int:
    con = sqlite3.connect(file)
    try:
        total = 0
        for table in TABLES:
            try:
                total += con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            except sqlite3.OperationalError:  # the table itself is not in the copy
                pass
        return total
    finally:
        con.close()


@pytest.mark.sqlite_only
def test_backup_has_the_rows_still_in_the_wal_file(wal_ledger, tmp_path, db_url_factory):
    path, url, writer = wal_ledger
    total = sum(bk.ledger_counts(writer).values())
    assert total > 0
    plain = tmp_path / "plain-copy.db"
    shutil.copyfile(path, plain)
    assert _rows_in(plain) == 0, "a plain copy of the file misses every row still in the -wal file"

    reader = connect(url)
    file = bk.backup(reader, tmp_path / "wal.json.gz").path
    assert bk.inspect_backup(file).rows == total
    copy = connect(db_url_factory("copy"))
    bk.restore(copy, file)
    assert_identical(writer, copy)
    for engine in (reader, copy):
        engine.dispose()


# ---------------------------------------------------------------- SQLite: the copy before an upgrade


@pytest.mark.sqlite_only
def test_copy_before_upgrade_holds_the_rows_in_the_wal_file(wal_ledger):
    path, url, writer = wal_ledger
    total = sum(bk.ledger_counts(writer).values())
    copy = bk.copy_before_upgrade(writer)
    assert copy is not None and copy.parent == path.parent / "backups"
    assert copy.name.startswith(f"tracker-before-{head_revision()}-") and copy.suffix == ".db"
    assert _rows_in(copy) == total
    assert not [p for p in copy.parent.iterdir() if p.name.startswith(".")], "no leftover temporary file"
    assert bk.pre_upgrade_copies(writer) == [copy]


@pytest.mark.sqlite_only
def test_copy_before_upgrade_keeps_the_last_ten(engine, company_id):
    made = [bk.copy_before_upgrade(engine) for _ in range(12)]
    kept = bk.pre_upgrade_copies(engine)
    assert len(kept) == bk.KEEP == 10
    assert kept == made[2:]
    assert sorted(p.name for p in made[0].parent.iterdir()) == sorted(p.name for p in kept)


@pytest.mark.sqlite_only
def test_copy_before_upgrade_skips_an_empty_or_memory_database(engine):
    assert bk.copy_before_upgrade(engine) is None
    assert not bk.backup_dir(engine).exists()
    memory = connect("sqlite://")
    assert bk.copy_before_upgrade(memory) is None
    memory.dispose()


@pytest.mark.sqlite_only
def test_a_copy_that_cannot_be_written_is_a_korean_error(engine, company_id):
    folder = bk.backup_dir(engine)
    folder.write_text("a file where the folder should be")
    with pytest.raises(bk.BackupError) as info:
        bk.copy_before_upgrade(engine)
    assert info.value.message.startswith("스키마를 올리기 전에 장부 파일을 복사하지 못해 올리지 않았습니다: ")
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.skipif(not on_postgresql(), reason="needs TRACKER_TEST_DATABASE_URL (PostgreSQL)")
def test_copy_before_upgrade_is_none_on_postgresql(engine, company_id):
    assert bk.copy_before_upgrade(engine) is None


@pytest.mark.sqlite_only
def test_connect_copies_an_old_ledger_before_upgrading_it(tmp_path):
    """Where the lead's connect() calls it: a ledger at 0003 with a company gets a copy, then the upgrade."""
    from tracker import db

    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = make_engine(url)
    upgrade(old, "0003")
    with old.begin() as conn:
        conn.exec_driver_sql("INSERT INTO company (name, kind, website, pay_months_after, pay_day, pay_shift, "
                             "withholding_kind, active, notes, created_at) VALUES ('크라우드웍스', 'platform', '', 1, "
                             "10, 'next', 'business', 1, '', '2026-11-01 00:00:00.000000')")
    old.dispose()
    engine = connect(url)
    copy = db.UPGRADE_COPIES[str(engine.url)]
    assert copy.name.startswith("old-before-0003-")
    assert _rows_in(copy) == 1
    copied = make_engine(f"sqlite:///{copy}")
    assert current_revision(copied) == "0003"
    for e in (engine, copied):
        e.dispose()


# ---------------------------------------------------------------- across backends


@pytest.fixture
def crosses_backends(request):
    """This test opens SQLite on purpose while the backend under test is PostgreSQL."""
    yield
    from tests import conftest

    getattr(conftest, "_sqlite_files", {}).pop(request.node.nodeid, None)


@pytest.mark.skipif(not on_postgresql(), reason="needs TRACKER_TEST_DATABASE_URL (PostgreSQL) to cross backends")
def test_sqlite_to_postgresql_and_back_is_identical(crosses_backends, db_url, tmp_path):
    first = connect(f"sqlite:///{tmp_path / 'first.db'}")
    fill(first)
    to_pg = bk.backup(first, tmp_path / "from-sqlite.json.gz").path
    pg = connect(db_url)
    bk.restore(pg, to_pg)
    assert_identical(first, pg)
    assert ledger.create_company(pg, {"name": "새 회사"}) == bk.ledger_counts(first)["company"] + 1
    with pg.begin() as conn:
        conn.exec_driver_sql("DELETE FROM company WHERE name = '새 회사'")
    back = bk.backup(pg, tmp_path / "from-pg.json.gz").path
    second = connect(f"sqlite:///{tmp_path / 'second.db'}")
    bk.restore(second, back)
    assert raw(first) == raw(second)
    for engine in (first, pg, second):
        engine.dispose()


# ---------------------------------------------------------------- size


def test_ten_thousand_work_entries_back_up_and_restore(engine, project_id, db_url_factory, tmp_path):
    created = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with engine.begin() as conn:
        conn.execute(WorkLog.__table__.insert(), [
            {"project_id": project_id, "work_date": date(2026, 1, 1 + i % 28), "minutes": 1, "items_submitted": 2,
             "items_rejected": 0, "note": "", "rate": 50, "pay_scheme": "per_item", "created_at": created, "version": 1}
            for i in range(10_000)])
    path = bk.backup(engine, tmp_path / "big.json.gz").path
    copy = connect(db_url_factory("big"))
    bk.restore(copy, path)
    assert bk.ledger_counts(copy)["worklog"] == 10_000
    copy.dispose()
