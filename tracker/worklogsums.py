"""The triggers that keep worklog_month (tracker.models.worklogmonth) equal to the work entries summed
per project and month, on SQLite and PostgreSQL.

Each entry contributes one to `entries` and its own minutes, earnings (the rule of
tracker.queries.WORK_EARNINGS: accepted items × rate, or minutes × rate // 60 per entry; fixed-price
entries 0), counts and rejection cost. An insert adds its share, a delete takes it away (a row that
reaches zero entries is removed), an update does both. SQLite runs row triggers; PostgreSQL runs one
statement trigger per statement over its transition tables, so a bulk insert of 100,000 entries is
one grouped upsert.
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


_COLUMNS = "project_id, month, " + ", ".join(SUMS)
_ADD = ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c in SUMS)


def _sqlite() -> list[str]:
    month = "date({}.work_date, 'start of month')"
    add = (f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES (NEW.project_id, {month.format('NEW')}, {_share('NEW')}) "
           f"ON CONFLICT (project_id, month) DO UPDATE SET {_ADD};")
    old = dict(zip(SUMS, _split(_share("OLD"))))
    take = (f"UPDATE {TABLE} SET " + ", ".join(f"{c} = {c} - ({old[c]})" for c in SUMS)
            + f" WHERE project_id = OLD.project_id AND month = {month.format('OLD')}; "
            f"DELETE FROM {TABLE} WHERE project_id = OLD.project_id AND month = {month.format('OLD')} "
            "AND entries <= 0;")
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


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION tracker_worklog_month() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        WITH gone AS (
            SELECT o.project_id, CAST(date_trunc('month', o.work_date) AS DATE) AS month,
                   {", ".join(f"SUM({e}) AS {c}" for c, e in zip(SUMS, _split(_share("o"))))}
            FROM old_rows o GROUP BY 1, 2)
        UPDATE {TABLE} t SET {", ".join(f"{c} = t.{c} - gone.{c}" for c in SUMS)}
        FROM gone WHERE t.project_id = gone.project_id AND t.month = gone.month;
        DELETE FROM {TABLE} WHERE entries <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO {TABLE} ({_COLUMNS})
        SELECT n.project_id, CAST(date_trunc('month', n.work_date) AS DATE),
               {", ".join(f"SUM({e})" for e in _split(_share("n")))}
        FROM new_rows n GROUP BY 1, 2
        ON CONFLICT (project_id, month) DO UPDATE SET {_ADD};
    END IF;
    RETURN NULL;
END
$$
"""


def _postgresql() -> list[str]:
    statements = [_PG_FUNCTION]
    for event, tables in (("insert", "NEW TABLE AS new_rows"), ("delete", "OLD TABLE AS old_rows"),
                          ("update", "OLD TABLE AS old_rows NEW TABLE AS new_rows")):
        statements.append(f"DROP TRIGGER IF EXISTS {TABLE}_{event} ON worklog")
        statements.append(f"CREATE TRIGGER {TABLE}_{event} AFTER {event.upper()} ON worklog "
                          f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION tracker_worklog_month()")
    return statements


def trigger_statements(dialect: str) -> list[str]:
    """DDL that (re)creates the triggers keeping worklog_month."""
    return _postgresql() if dialect == "postgresql" else _sqlite()


def drop_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {TABLE}_{e} ON worklog" for e in ("insert", "delete", "update")] + [
            "DROP FUNCTION IF EXISTS tracker_worklog_month()"]
    return [f"DROP TRIGGER IF EXISTS {TABLE}_{e}" for e in ("insert", "delete", "update")]


def rebuild_statement(dialect: str) -> str:
    """Fill worklog_month from the entries as they are (the migration's first fill)."""
    month = ("CAST(date_trunc('month', w.work_date) AS DATE)" if dialect == "postgresql"
             else "date(w.work_date, 'start of month')")
    return (f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT w.project_id, {month}, "
            + ", ".join(f"SUM({e})" for e in _split(_share("w"))) + " FROM worklog w GROUP BY 1, 2")
