"""Engine, schema upgrades and sessions. Nothing here is SQLite-only; SQLite just gets pragmas."""
from __future__ import annotations

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

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_engine(url: str | None = None) -> sa.Engine:
    """One engine per database URL; SQLite gets foreign keys, WAL and a busy timeout."""
    url = url or database_url()
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def alembic_config(engine: sa.Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (in one transaction where the database allows it)."""
    _migrate(engine, command.upgrade, revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    """Take the schema back to `revision` (for development; the app only upgrades)."""
    _migrate(engine, command.downgrade, revision)


def _migrate(engine: sa.Engine, step, revision: str) -> None:
    """Run an Alembic step on one connection.

    SQLite alters a table by copying it and dropping the original; with foreign keys on, that drop
    would cascade into the child tables. So migrations run with foreign keys off, and the result is
    checked with `PRAGMA foreign_key_check` before it is committed.
    """
    cfg = alembic_config(engine)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                step(cfg, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration left rows pointing nowhere: {broken[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def connect(url: str | None = None) -> sa.Engine:
    """An engine whose schema is at head: what the app and the CLI use."""
    engine = make_engine(url)
    if current_revision(engine) != head_revision():
        upgrade(engine)
    return engine


@contextmanager
def session_scope(engine: sa.Engine) -> Iterator[Session]:
    """One session per action: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
