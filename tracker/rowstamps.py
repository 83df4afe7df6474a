"""Row stamps: every payment and deposit row a write touches gets the next stamp of its table, so a
reader that kept the rows at stamp S reads only the rows stamped after S (tracker.queries.RowMirror).

The counter lives in `row_stamp` (one row per table), not in the rows: it never goes back, not even
when every row is deleted and a backup is restored (the restored rows get new, larger stamps), so a
reader is never fooled by a stamp it has seen before. Database triggers take the stamps, so every
writer is seen (the app, the CLI, an import, a restore, someone's own SQL). A delete leaves no row
to stamp: it counts in the counter row's `deleted` instead (TRUNCATE too, on PostgreSQL), and a
reader that sees that count change reads the table whole again (deletes are rare).

Stamps grow in commit order. SQLite has one writer at a time. On PostgreSQL a transaction's first
write to the table takes its stamp by updating the table's counter row, which stays locked until the
transaction ends, so a second writer waits there and takes a larger stamp; every row one transaction
writes shares that stamp (one counter update per transaction, not per row: a restore of 10,000 rows
would otherwise update one row 10,000 times).
"""
from __future__ import annotations

TABLES = ("payment", "deposit")
COUNTER = "row_stamp"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION tracker_row_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    marker text := 'tracker.row_stamp_' || TG_TABLE_NAME;
    taken text := current_setting(marker, true);
    next_stamp bigint;
BEGIN
    IF taken IS NOT NULL AND split_part(taken, ':', 1) = txid_current()::text THEN
        NEW.stamp := split_part(taken, ':', 2)::bigint;
    ELSE
        UPDATE {COUNTER} SET stamp = stamp + 1 WHERE name = TG_TABLE_NAME RETURNING stamp INTO next_stamp;
        NEW.stamp := next_stamp;
        PERFORM set_config(marker, txid_current()::text || ':' || next_stamp::text, true);
    END IF;
    RETURN NEW;
END
$$
"""

_PG_DELETED = f"""
CREATE OR REPLACE FUNCTION tracker_row_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {COUNTER} SET deleted = deleted + 1 WHERE name = TG_TABLE_NAME;
    RETURN NULL;
END
$$
"""


def _seed(table: str) -> str:
    return (f"INSERT INTO {COUNTER} (name, stamp, deleted) SELECT '{table}', 0, 0 WHERE NOT EXISTS "
            f"(SELECT 1 FROM {COUNTER} WHERE name = '{table}')")


def trigger_statements(dialect: str, tables: tuple[str, ...] = TABLES) -> list[str]:
    """DDL that (re)creates the stamping triggers of `tables` and seeds their counters."""
    statements = [_seed(t) for t in tables]
    if dialect == "postgresql":
        statements += [_PG_FUNCTION, _PG_DELETED]
        for t in tables:
            statements += [f"DROP TRIGGER IF EXISTS row_stamp_{t} ON {t}",
                           f"CREATE TRIGGER row_stamp_{t} BEFORE INSERT OR UPDATE ON {t} "
                           "FOR EACH ROW EXECUTE FUNCTION tracker_row_stamp()",
                           f"DROP TRIGGER IF EXISTS row_deleted_{t} ON {t}",
                           f"CREATE TRIGGER row_deleted_{t} AFTER DELETE OR TRUNCATE ON {t} "
                           "FOR EACH STATEMENT EXECUTE FUNCTION tracker_row_deleted()"]
        return statements
    for t in tables:  # SQLite: the row is stamped after it is written (a BEFORE trigger cannot set NEW)
        body = (f"UPDATE {COUNTER} SET stamp = stamp + 1 WHERE name = '{t}'; "
                f"UPDATE {t} SET stamp = (SELECT stamp FROM {COUNTER} WHERE name = '{t}') WHERE id = NEW.id;")
        for event, when in (("insert", ""), ("update", " WHEN NEW.stamp IS OLD.stamp")):  # not its own update
            statements.append(f"DROP TRIGGER IF EXISTS row_stamp_{t}_{event}")
            statements.append(f"CREATE TRIGGER row_stamp_{t}_{event} AFTER {event.upper()} ON {t}{when} "
                              f"BEGIN {body} END")
        statements.append(f"DROP TRIGGER IF EXISTS row_stamp_{t}_delete")
        statements.append(f"CREATE TRIGGER row_stamp_{t}_delete AFTER DELETE ON {t} "
                          f"BEGIN UPDATE {COUNTER} SET deleted = deleted + 1 WHERE name = '{t}'; END")
    return statements


def drop_statements(dialect: str, tables: tuple[str, ...] = TABLES) -> list[str]:
    if dialect == "postgresql":
        return [*(f"DROP TRIGGER IF EXISTS {kind}_{t} ON {t}" for t in tables for kind in ("row_stamp", "row_deleted")),
                "DROP FUNCTION IF EXISTS tracker_row_stamp()", "DROP FUNCTION IF EXISTS tracker_row_deleted()"]
    return [f"DROP TRIGGER IF EXISTS row_stamp_{t}_{e}" for t in tables for e in ("insert", "update", "delete")]
