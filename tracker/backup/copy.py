"""A copy of the SQLite file before a schema upgrade, kept in backups/ (the last 10)."""
from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext

from tracker.backup.paths import backup_dir, sqlite_file, stamp
from tracker.backup.tables import EXCLUDED, BackupError

log = logging.getLogger(__name__)
KEEP = 10


def _pattern(stem: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(stem)}-before-(?P<rev>.+)-(?P<at>\d{{8}}-\d{{6}})(?:-(?P<n>\d+))?\.db$")


def pre_upgrade_copies(engine: sa.Engine) -> list[Path]:
    """The pre-upgrade copies of this SQLite file, oldest first ([] for PostgreSQL)."""
    db = sqlite_file(engine)
    folder = backup_dir(engine)
    if db is None or not folder.is_dir():
        return []
    pattern = _pattern(db.stem)
    found = [(m["at"], int(m["n"] or 1), path) for path in folder.iterdir() if (m := pattern.match(path.name))]
    return [path for *_, path in sorted(found)]


def _next_name(engine: sa.Engine, stem: str, revision: str) -> Path:
    """<stem>-before-<revision>-<time>.db; a second copy in the same second gets -2, -3 … after the
    highest number of that second (never a name pruning just freed, which would sort first)."""
    at = stamp()
    taken = [int(m["n"] or 1) for path in pre_upgrade_copies(engine)
             if (m := _pattern(stem).match(path.name)) and m["at"] == at]
    n = max(taken, default=0) + 1
    return backup_dir(engine) / (f"{stem}-before-{revision}-{at}" + (f"-{n}" if n > 1 else "") + ".db")


def _holds_data(conn: sa.Connection) -> bool:
    preparer = conn.dialect.identifier_preparer
    return any(conn.exec_driver_sql(f"SELECT 1 FROM {preparer.quote(name)} LIMIT 1").first()
               for name in sa.inspect(conn).get_table_names() if name not in EXCLUDED)


def copy_before_upgrade(engine: sa.Engine) -> Path | None:
    """Copy a SQLite file that holds data to backups/<stem>-before-<revision>-<time>.db and return
    the copy's path; None for PostgreSQL, in-memory or empty databases. Copied with SQLite's backup
    API, so rows still in the -wal file are in the copy. Keeps the last 10 copies."""
    db = sqlite_file(engine)
    if db is None or not db.exists():
        return None
    with engine.connect() as conn:
        if not _holds_data(conn):
            return None
        revision = MigrationContext.configure(conn).get_current_revision() or "base"
        target = _next_name(engine, db.stem, re.sub(r"[^0-9A-Za-z_]", "_", revision))
        temp = target.with_name(f".{target.name}.part")
        conn.rollback()  # end the read transaction the checks began; the backup API reads on its own
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            copy = sqlite3.connect(temp)
            try:
                conn.connection.driver_connection.backup(copy)
            finally:
                copy.close()
            os.replace(temp, target)
        except (OSError, sqlite3.Error) as exc:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
            log.error("could not copy %s to %s: %s", db, target, exc)
            raise BackupError(f"스키마를 올리기 전에 장부 파일을 복사하지 못해 올리지 않았습니다: {target} ({exc}). "
                              "디스크 공간과 폴더 권한을 확인하세요.") from None
    for old in pre_upgrade_copies(engine)[:-KEEP]:
        old.unlink(missing_ok=True)
    log.info("copied %s (schema %s) to %s", db, revision, target)
    return target
