"""Engine, schema upgrades and sessions. Nothing here is SQLite-only; SQLite just gets pragmas.

Writes: every `session_scope` is one write transaction that first takes the ledger's write lock
(`BEGIN IMMEDIATE` on SQLite, a transaction-level advisory lock on PostgreSQL), so two writers
never interleave a check and its write. Reads take no lock. Schema upgrades are all-or-nothing on
both backends: on SQLite the driver's own transaction handling is switched off so DDL runs inside
our BEGIN … COMMIT instead of autocommitting.
"""
from __future__ import annotations

import logging
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import Session

from tracker import models  # noqa: F401  (registers the tables on the metadata)
from tracker.config import database_url
from tracker.errors import LedgerError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000
WRITE_LOCK_KEY = 0x4C42_4C47  # PostgreSQL advisory lock: one writer at a time, like SQLite
BUSY_MESSAGE = "다른 작업이 장부에 쓰는 중이라 {seconds:g}초를 기다렸지만 끝나지 않았습니다. 잠시 후 다시 시도하세요."
CONFLICT_MESSAGE = "다른 작업과 동시에 저장하려다 겹쳤습니다. 아무것도 바뀌지 않았으니 다시 시도하세요."


class DatabaseProblem(LedgerError):
    """The ledger database cannot be opened or upgraded: a Korean sentence for the CLI and the app."""


# Where connect() copied a SQLite file before upgrading it, by database URL (the app says where).
UPGRADE_COPIES: dict[str, Path] = {}


def _sqlite_connect(dbapi_connection, _record) -> None:
    # Our own BEGIN from now on (see _sqlite_begin): pysqlite would autocommit DDL otherwise.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    write = connection.get_execution_options().get("tracker_write")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str | None = None) -> sa.Engine:
    """One engine per database URL; SQLite gets foreign keys, WAL and a busy timeout."""
    url = url or database_url()
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


_writers: weakref.WeakKeyDictionary[sa.Engine, sa.Engine] = weakref.WeakKeyDictionary()


def writer(engine: sa.Engine) -> sa.Engine:
    """The same engine, whose transactions take the write lock (SQLite: BEGIN IMMEDIATE)."""
    found = _writers.get(engine)
    if found is None:
        found = _writers[engine] = engine.execution_options(tracker_write=True)
    return found


def alembic_config(engine: sa.Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`, all or nothing."""
    _migrate(engine, command.upgrade, revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    """Take the schema back to `revision` (for development; the app only upgrades)."""
    _migrate(engine, command.downgrade, revision)


def _migrate(engine: sa.Engine, step, revision: str) -> None:
    """Run an Alembic step in one transaction on one connection.

    SQLite alters a table by copying it and dropping the original; with foreign keys on, that drop
    would cascade into the child tables. So migrations run with foreign keys off (a pragma that only
    takes effect outside a transaction), and the result is checked with `PRAGMA foreign_key_check`
    before it is committed.
    """
    cfg = alembic_config(engine)
    with writer(engine).connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                if not sqlite:
                    _take_write_lock(connection)
                cfg.attributes["connection"] = connection
                step(cfg, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration left rows pointing nowhere: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    return script_directory().get_current_head()


def _where(engine: sa.Engine) -> str:
    if engine.dialect.name == "sqlite":
        return engine.url.database or ":memory:"
    return engine.url.render_as_string(hide_password=True)


def check_readable(engine: sa.Engine) -> str | None:
    """The schema revision, after checking that the database opens and (SQLite) is not damaged.
    Raises DatabaseProblem with a Korean sentence otherwise."""
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                verdict = connection.exec_driver_sql("PRAGMA quick_check(1)").scalar()
                if verdict != "ok":
                    raise sa.exc.DatabaseError("PRAGMA quick_check", None, Exception(str(verdict)))
            revision = MigrationContext.configure(connection).get_current_revision()
    except sa.exc.DBAPIError as exc:
        log.error("cannot open the ledger %s: %s", _where(engine), exc)
        if engine.dialect.name == "sqlite":
            raise DatabaseProblem(
                f"장부 파일을 열 수 없습니다: {_where(engine)}. 파일이 손상되었거나 장부 데이터베이스가 아닙니다. "
                "새 장부를 만들지 않았습니다. backups/ 폴더의 복사본이나 백업 파일로 복원하세요 "
                "(python -m tracker restore 파일)."
            ) from None
        raise DatabaseProblem(
            f"데이터베이스에 연결할 수 없습니다: {_where(engine)}. 서버가 켜져 있는지, 주소와 비밀번호가 맞는지 "
            "확인하세요 (TRACKER_DATABASE_URL)."
        ) from None
    if revision is not None:
        try:
            script_directory().get_revision(revision)
        except Exception:
            raise DatabaseProblem(
                f"이 장부는 더 새로운 라벨장부(스키마 {revision})로 만들어졌습니다. 이 프로그램이 아는 스키마는 "
                f"{head_revision()}까지입니다. 라벨장부를 최신으로 올린 뒤 여세요. 장부는 그대로 두었습니다."
            ) from None
    return revision


def connect(url: str | None = None) -> sa.Engine:
    """An engine whose schema is at head: what the app and the CLI use.

    Before a SQLite file that holds data is upgraded, a copy goes into `backups/` beside it
    (UPGRADE_COPIES says where). A failed upgrade leaves the old revision and raises DatabaseProblem.
    """
    engine = make_engine(url)
    current = check_readable(engine)
    head = head_revision()
    if current != head:
        from tracker.backup import copy_before_upgrade

        copy = copy_before_upgrade(engine)
        if copy is not None:
            UPGRADE_COPIES[str(engine.url)] = copy
            log.info("copied %s to %s before upgrading its schema", _where(engine), copy)
        try:
            upgrade(engine)
        except Exception as exc:
            log.exception("schema upgrade %s -> %s failed", current, head)
            raise DatabaseProblem(
                f"장부 스키마를 {current or '없음'}에서 {head}(으)로 올리지 못해 원래 상태로 두었습니다: {exc}"
            ) from None
        log.info("schema of %s upgraded %s -> %s", _where(engine), current, head)
    return engine


def _take_write_lock(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{SQLITE_BUSY_TIMEOUT_MS}ms'")
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def _busy(exc: sa.exc.DBAPIError) -> LedgerError | None:
    """The Korean error for a write that waited too long or collided, else None."""
    text = str(exc.orig).lower()
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if "database is locked" in text or "database table is locked" in text or code == "55P03":
        return LedgerError(BUSY_MESSAGE.format(seconds=SQLITE_BUSY_TIMEOUT_MS / 1000))
    if code in ("40001", "40P01"):
        return LedgerError(CONFLICT_MESSAGE)
    return None


@contextmanager
def session_scope(engine: sa.Engine) -> Iterator[Session]:
    """One write action: the write lock first, commit on success, roll back on any error.

    A write that waits past the busy timeout becomes a Korean LedgerError."""
    try:
        with Session(writer(engine), expire_on_commit=False) as session:
            try:
                _take_write_lock(session.connection())
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
    except sa.exc.DBAPIError as exc:
        mapped = _busy(exc)
        if mapped is None:
            log.exception("ledger write failed")
            raise
        log.warning("ledger write gave up: %s", exc.orig)
        raise mapped from None
    except LedgerError as exc:
        log.info("refused: %s", exc.message)
        raise
