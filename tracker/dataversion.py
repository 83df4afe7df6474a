"""Per-table data versions: database triggers count the writes, readers key their caches on them.

Triggers (not Python hooks) do the counting, so every writer is seen: the app, the CLI, the cron
radar, a restore, or someone's own SQL. The counter changes in the writing transaction, so it
becomes visible exactly when the rows do (a reader never caches old rows under a new version).
"""
from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

# Every table whose rows the pages read. A migration that adds a table adds it here and installs its
# triggers itself, naming its own tables (a migration must not depend on this list growing later);
# on SQLite a batch migration that recreates a table must reinstall that table's triggers too.
TRACKED = ("company", "project", "worklog", "payment", "deposit", "posting", "source_state", "income_profile", "timer",
           "refresh_run",
           "app_setting", "digest_log")

# Once per table and transaction: psycopg sends an executemany as one statement per row, and
# updating the same counter row 100,000 times in one transaction grows slower with every update.
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION tracker_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    marker text := 'tracker.data_version_' || TG_TABLE_NAME;
BEGIN
    IF current_setting(marker, true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE data_version SET version = version + 1 WHERE name = TG_TABLE_NAME;
        PERFORM set_config(marker, txid_current()::text, true);
    END IF;
    RETURN NULL;
END
$$
"""


def trigger_statements(dialect: str, tables: tuple[str, ...]) -> list[str]:
    """DDL that (re)creates the counting triggers of `tables` and seeds their counters."""
    statements = [
        f"INSERT INTO data_version (name, version) SELECT '{t}', 0 WHERE NOT EXISTS "
        f"(SELECT 1 FROM data_version WHERE name = '{t}')"
        for t in tables
    ]
    if dialect == "postgresql":
        statements.append(_PG_FUNCTION)
        for t in tables:
            statements.append(f"DROP TRIGGER IF EXISTS data_version_{t} ON {t}")
            # One bump per statement, not per row: a bulk insert of 100,000 rows costs one UPDATE.
            statements.append(
                f"CREATE TRIGGER data_version_{t} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t} "
                "FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version()"
            )
        return statements
    for t in tables:  # SQLite has row triggers only
        for event in ("insert", "update", "delete"):
            statements.append(f"DROP TRIGGER IF EXISTS data_version_{t}_{event}")
            statements.append(
                f"CREATE TRIGGER data_version_{t}_{event} AFTER {event.upper()} ON {t} BEGIN "
                f"UPDATE data_version SET version = version + 1 WHERE name = '{t}'; END"
            )
    return statements


PG_DROP_FUNCTION = "DROP FUNCTION IF EXISTS tracker_bump_data_version()"  # once no trigger uses it


def drop_statements(dialect: str, tables: tuple[str, ...]) -> list[str]:
    """DDL that removes the counting triggers of `tables` (PostgreSQL's shared function stays)."""
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS data_version_{t} ON {t}" for t in tables]
    return [f"DROP TRIGGER IF EXISTS data_version_{t}_{e}" for t in tables for e in ("insert", "update", "delete")]


def install_triggers(connection: sa.Connection, tables: tuple[str, ...]) -> None:
    for statement in trigger_statements(connection.dialect.name, tables):
        connection.exec_driver_sql(statement)


# The counters read once per engine inside `pinned` (one page run), per thread: Streamlit runs each
# session's reruns in its own thread, so one session's pins are never another's.
_PINNED: contextvars.ContextVar[dict | None] = contextvars.ContextVar("tracker_pinned_versions", default=None)


@contextmanager
def pinned() -> Iterator[None]:
    """Inside the block, `versions` reads the counters once per engine and gives that reading again,
    until this thread commits a write (then it reads them again). One page run asks a dozen times after
    a write (each cached read checks its tables); pinned, it asks once. A write from another session or
    process during the run shows on the next run, as it would if it had landed just after this one."""
    token = _PINNED.set({})
    try:
        yield
    finally:
        _PINNED.reset(token)


@sa.event.listens_for(sa.Engine, "commit")
def _forget(_connection) -> None:
    pins = _PINNED.get()
    if pins:
        pins.clear()


def versions(engine: sa.Engine) -> dict[str, int]:
    """Every table's counter in one cheap query (a few rows); inside `pinned`, once. Treat the dict as
    read-only."""
    pins = _PINNED.get()
    found = pins.get(engine) if pins is not None else None
    if found is None:
        with engine.connect() as conn:  # asked several times a rerun: the plain driver call, nothing to compile
            found = {name: int(v) for name, v in conn.exec_driver_sql("SELECT name, version FROM data_version")}
        if pins is not None:
            pins[engine] = found
    return found
