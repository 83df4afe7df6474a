"""The triggers that keep worklog_month (tracker.models.worklogmonth) equal to the work entries summed
per project and month, on SQLite and PostgreSQL.

Each entry contributes one to `entries` and its own minutes, earnings (the rule of
tracker.queries.WORK_EARNINGS: accepted items × rate, or minutes × rate // 60 per entry; fixed-price
entries 0), counts and rejection cost. An insert adds its share, a delete takes it away, an update does
both. SQLite runs row triggers; PostgreSQL runs one statement trigger per statement over its
transition tables, so a bulk insert of 100,000 entries is one grouped upsert.

Every row a write touches gets the next `stamp` (the largest stamp + 1), so a reader that kept the sums
at stamp S reads only the rows with a larger stamp to catch up (tracker.queries.work_months). A row
whose last entry goes stays, with zero entries and its new stamp, so the reader learns it went; readers
of the whole table skip such rows. Stamps grow in commit order: SQLite has one writer at a time, and on
PostgreSQL a transaction's first write to worklog locks its data_version row until it commits
(tracker.dataversion; that trigger, data_version_worklog, fires before these, which PostgreSQL runs in
name order) before any stamp is taken.
"""
from __future__ import annotations

TABLE = "worklog_month"
SUMS = ("entries", "minutes", "earned", "submitted", "rejected", "rejection_cost")


def _share(row: str) -> str:
    """The summed columns of one entry, `row` being NEW/OLD (SQLite) or a transition table alias."""
    return (f"1, {row}.minutes, "
            f"CASE WHEN {row}.pay_scheme = 'per_item' THEN ({row}.items_submitted - {row}.items_rejected) * {row}.rate "
            f"WHEN {row}.pay_scheme = 'per_hour' THEN ({row}.minutes * {row}.rate) / 60 ELSE 0 END, "
            f"{row}.items_submitted, {row}.items_rejected, "
            f"CASE WHEN {row}.pay_scheme = 'per_item' THEN {row}.items_rejected * {row}.rate ELSE 0 END")


def _columns(stamped: bool) -> str:
    return "project_id, month, " + ", ".join(SUMS) + (", stamp" if stamped else "")


def _add(stamped: bool) -> str:
    return ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c in SUMS) + (", stamp = excluded.stamp" if stamped else "")


_NEXT = f"(SELECT COALESCE(MAX(stamp), 0) + 1 FROM {TABLE})"


def _sqlite(stamped: bool) -> list[str]:
    month = "date({}.work_date, 'start of month')"
    stamp = f", {_NEXT}" if stamped else ""
    add = (f"INSERT INTO {TABLE} ({_columns(stamped)}) VALUES (NEW.project_id, {month.format('NEW')}, "
           f"{_share('NEW')}{stamp}) ON CONFLICT (project_id, month) DO UPDATE SET {_add(stamped)};")
    old = dict(zip(SUMS, _split(_share("OLD"))))
    where = f" WHERE project_id = OLD.project_id AND month = {month.format('OLD')}"
    take = f"UPDATE {TABLE} SET " + ", ".join(f"{c} = {c} - ({old[c]})" for c in SUMS)
    if stamped:  # the emptied row stays, stamped: readers catching up learn it went
        take += f", stamp = {_NEXT}{where};"
    else:
        take += f"{where}; DELETE FROM {TABLE}{where} AND entries <= 0;"
    statements = []
    for event, body in (("insert", add), ("delete", take), ("update", take + " " + add)):
        statements.append(f"DROP TRIGGER IF EXISTS {TABLE}_{event}")
        statements.append(f"CREATE TRIGGER {TABLE}_{event} AFTER {event.upper()} ON worklog BEGIN {body} END")
    return statements


def _split(share: str) -> list[str]:
    """The six comma-separated expressions of `_share` (commas inside CASE … END are not separators)."""
    parts, depth, current = [], 0, ""
    for token in share.split(", "):
        current = f"{current}, {token}" if current else token
        depth += token.count("CASE") - token.count("END")
        if depth == 0:
            parts.append(current)
            current = ""
    return parts


def _pg_function(stamped: bool) -> str:
    gone = (", stamp = next_stamp" if stamped else "") + "\n        FROM gone WHERE t.project_id = gone.project_id AND t.month = gone.month;"
    if not stamped:
        gone += f"\n        DELETE FROM {TABLE} WHERE entries <= 0;"
    return f"""
CREATE OR REPLACE FUNCTION tracker_worklog_month() RETURNS trigger LANGUAGE plpgsql AS $$
{f"DECLARE{chr(10)}    next_stamp bigint := {_NEXT};" if stamped else ""}
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        WITH gone AS (
            SELECT o.project_id, CAST(date_trunc('month', o.work_date) AS DATE) AS month,
                   {", ".join(f"SUM({e}) AS {c}" for c, e in zip(SUMS, _split(_share("o"))))}
            FROM old_rows o GROUP BY 1, 2)
        UPDATE {TABLE} t SET {", ".join(f"{c} = t.{c} - gone.{c}" for c in SUMS)}{gone}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO {TABLE} ({_columns(stamped)})
        SELECT n.project_id, CAST(date_trunc('month', n.work_date) AS DATE),
               {", ".join(f"SUM({e})" for e in _split(_share("n")))}{", next_stamp" if stamped else ""}
        FROM new_rows n GROUP BY 1, 2
        ON CONFLICT (project_id, month) DO UPDATE SET {_add(stamped)};
    END IF;
    RETURN NULL;
END
$$
"""


def _postgresql(stamped: bool) -> list[str]:
    statements = [_pg_function(stamped)]
    for event, tables in (("insert", "NEW TABLE AS new_rows"), ("delete", "OLD TABLE AS old_rows"),
                          ("update", "OLD TABLE AS old_rows NEW TABLE AS new_rows")):
        statements.append(f"DROP TRIGGER IF EXISTS {TABLE}_{event} ON worklog")
        statements.append(f"CREATE TRIGGER {TABLE}_{event} AFTER {event.upper()} ON worklog "
                          f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION tracker_worklog_month()")
    return statements


def trigger_statements(dialect: str, *, stamped: bool = True) -> list[str]:
    """DDL that (re)creates the triggers keeping worklog_month. `stamped=False`: migration 0011's
    triggers, from before the stamp column (0012), which removed a row when its last entry went."""
    return _postgresql(stamped) if dialect == "postgresql" else _sqlite(stamped)


def drop_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {TABLE}_{e} ON worklog" for e in ("insert", "delete", "update")] + [
            "DROP FUNCTION IF EXISTS tracker_worklog_month()"]
    return [f"DROP TRIGGER IF EXISTS {TABLE}_{e}" for e in ("insert", "delete", "update")]


def rebuild_statement(dialect: str, *, stamped: bool = True) -> str:
    """Fill worklog_month from the entries as they are (a migration's first fill), all at stamp 1."""
    month = ("CAST(date_trunc('month', w.work_date) AS DATE)" if dialect == "postgresql"
             else "date(w.work_date, 'start of month')")
    return (f"INSERT INTO {TABLE} ({_columns(stamped)}) SELECT w.project_id, {month}, "
            + ", ".join(f"SUM({e})" for e in _split(_share("w"))) + (", 1" if stamped else "")
            + " FROM worklog w GROUP BY 1, 2")
