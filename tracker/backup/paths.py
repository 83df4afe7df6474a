"""Where backups go: `backups/` beside a SQLite file, or in the current directory otherwise."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from tracker.timeutil import now_kst

FOLDER = "backups"


def sqlite_file(engine: sa.Engine) -> Path | None:
    """The SQLite database file, or None for PostgreSQL and in-memory databases."""
    url = engine.url
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return Path(database).resolve()


def backup_dir(engine: sa.Engine) -> Path:
    db = sqlite_file(engine)
    return (db.parent if db is not None else Path.cwd()) / FOLDER


def stamp() -> str:
    """Korean time for file names: 20261122-153000."""
    return now_kst().strftime("%Y%m%d-%H%M%S")


def unique(folder: Path, stem: str, suffix: str) -> Path:
    """folder/stem+suffix, or stem-2, stem-3 … when that name is taken (two in the same second)."""
    path = folder / f"{stem}{suffix}"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path
