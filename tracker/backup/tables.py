"""What a backup holds: the ledger's tables in foreign-key order, their Korean names, row counts,
and the one-transaction helper that backup and restore share."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlmodel import SQLModel

from tracker import models  # noqa: F401  (registers the tables on the metadata)
from tracker.errors import LedgerError

# Not ledger rows: Alembic's own bookkeeping, the per-table change counter kept by triggers
# (restoring rows bumps it by itself), and the work sums per project-month the triggers keep (restoring
# the work entries rebuilds them), and the row stamps' counters (restored rows get new stamps; the
# counters only grow, so they stay).
EXCLUDED = frozenset({"alembic_version", "data_version", "worklog_month", "row_stamp"})

# Korean name and counter word of each table, for messages ("회사 9곳", "작업 기록 1,234건").
LABELS: dict[str, tuple[str, str]] = {
    "company": ("회사", "곳"),
    "project": ("프로젝트", "개"),
    "worklog": ("작업 기록", "건"),
    "payment": ("지급", "건"),
    "deposit": ("입금", "건"),
    "posting": ("모집 공고", "건"),
    "source_state": ("공고 소스 상태", "개"),
    "income_profile": ("소득 프로필", "개"),
    "timer": ("작업 타이머", "개"),
    "refresh_run": ("공고 새로 가져오기 기록", "번"),
    "app_setting": ("설정", "개"),
    "digest_log": ("보낸 알림", "건"),
}


class BackupError(LedgerError):
    """A backup or restore that did nothing; the message is a Korean sentence for the user. A
    LedgerError, so whatever shows refused input (the CLI, the pages) shows this too."""


class LedgerNotEmpty(BackupError):
    """Restoring would mix the backup with rows already in the ledger (use force to replace them)."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts
        super().__init__(f"장부에 이미 기록이 있어 복원하지 않았습니다: {describe(counts, nonzero=True)}.")


def ledger_tables() -> list[sa.Table]:
    """Every table of the ledger, parents before children (the order to insert in)."""
    return [table for table in SQLModel.metadata.sorted_tables if table.name not in EXCLUDED]


def backed_up(table: sa.Table) -> list[sa.Column]:
    """The columns a backup holds: all but the row stamps the triggers give (tracker/rowstamps.py),
    which a restore gives again."""
    from tracker.rowstamps import TABLES as STAMPED

    return [c for c in table.columns if not (table.name in STAMPED and c.name == "stamp")]


def label(table: str) -> str:
    return LABELS.get(table, (table, ""))[0]


def count_text(table: str, count: int) -> str:
    name, unit = LABELS.get(table, (table, "행"))
    return f"{name} {count:,}{unit}"


def ordered(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Counts in the order people think of the ledger: 회사, 프로젝트, 작업 기록, 지급, 입금, …"""
    rank = {name: i for i, name in enumerate(LABELS)}
    return sorted(counts.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))


def describe(counts: dict[str, int], *, nonzero: bool = False) -> str:
    """'회사 9곳, 프로젝트 24개, …'."""
    return ", ".join(count_text(t, n) for t, n in ordered(counts) if n or not nonzero)


def count_rows(conn: sa.Connection, tables: Iterable[sa.Table]) -> dict[str, int]:
    return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in tables}


def ledger_counts(engine: sa.Engine) -> dict[str, int]:
    """Rows in each ledger table (one read transaction)."""
    with transaction(engine, write=False) as conn:
        return count_rows(conn, ledger_tables())


@contextmanager
def transaction(engine: sa.Engine, *, write: bool) -> Iterator[sa.Connection]:
    """One real database transaction; commits on success, rolls back on any error.

    Reads see one snapshot: REPEATABLE READ on PostgreSQL; on SQLite one BEGIN … COMMIT (engines from
    tracker.db begin it themselves; for others the sqlite3 driver would run each SELECT on its own),
    which in WAL mode keeps one view of the database, -wal file included, while others write.
    A write takes the ledger's write lock first: BEGIN IMMEDIATE on SQLite; on PostgreSQL the app's
    advisory lock and a lock on the ledger's tables against any other writer.
    """
    from tracker.db import SQLITE_BUSY_TIMEOUT_MS as LOCK_TIMEOUT_MS, WRITE_LOCK_KEY, writer

    with (writer(engine) if write else engine).connect() as conn:
        backend = conn.dialect.name
        if backend == "postgresql" and not write:
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if backend == "sqlite" and not conn.connection.driver_connection.in_transaction:
                conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
            if backend == "postgresql" and write:
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'")
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
                names = ", ".join(conn.dialect.identifier_preparer.quote(t.name) for t in ledger_tables())
                conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
            yield conn
