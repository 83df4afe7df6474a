"""The dashboard's quick entry: today's work on one project, typed as people type it, saved once.

`save` reads the time as people write it ("1:30", "90", "1시간 30분": tracker.inputs.parse_minutes) and
the counts ("1,200"), validates with the work log's own model, and refuses a second identical entry
(same project, day, minutes and counts) saved less than DUPLICATE_SECONDS ago — a double click, Enter
pressed twice, or the same form sent from two tabs. The check reads the database inside the write
transaction (which holds the ledger's write lock), so two submits can never both pass it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from tracker import ledger
from tracker.db import session_scope
from tracker.errors import LedgerError
from tracker.inputs import parse_amount, parse_minutes, show_minutes
from tracker.models import Company, Project, WorkLog, WorkLogCreate, worklog_earnings
from tracker.models.base import MINUTES_PER_DAY

DUPLICATE_SECONDS = 10
NOTHING = "작업 시간이나 제출 건수를 입력하세요."


@dataclass(frozen=True)
class Saved:
    worklog_id: int
    project: str  # "회사 · 프로젝트"
    work_date: date
    minutes: int
    items_submitted: int
    items_rejected: int
    earnings: int

    @property
    def sentence(self) -> str:
        return (f"작업 기록을 저장했습니다: {self.project}, {self.work_date:%Y-%m-%d}, "
                f"{describe(self.minutes, self.items_submitted, self.items_rejected)} → ₩{self.earnings:,}")


def describe(minutes: int, submitted: int, rejected: int) -> str:
    """ "1:30 (90분), 제출 120건, 반려 3건"."""
    return f"{show_minutes(minutes)} ({minutes:,}분), 제출 {submitted:,}건, 반려 {rejected:,}건"


def read(data: dict[str, Any]) -> dict[str, Any]:
    """The typed form as the work log's fields: time and counts read, empty counts 0, empty time 0.
    Unreadable text is passed on unchanged, so the model refuses it by field."""
    minutes = parse_minutes(data.get("minutes"))
    submitted = parse_amount(data.get("items_submitted"))
    rejected = parse_amount(data.get("items_rejected"))
    if minutes is None and submitted is None:
        raise LedgerError(NOTHING, field="minutes")
    return {
        "project_id": data.get("project_id"),
        "work_date": data.get("work_date"),
        "minutes": 0 if minutes is None else minutes,
        "items_submitted": 0 if submitted is None else submitted,
        "items_rejected": 0 if rejected is None else rejected,
        "note": data.get("note") or "",
    }


def _label(session, project: Project) -> str:
    company = session.get(Company, project.company_id)
    return f"{company.name} · {project.name}" if company else project.name


def save(engine: sa.Engine, data: dict[str, Any], *, now: datetime | None = None) -> Saved:
    """Record one day's work on a project, once. Raises LedgerError (Korean, by field) when refused:
    bad input, the day past 24 hours, or the same entry saved moments ago."""
    valid = ledger.validate(WorkLogCreate, read(data))
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with session_scope(engine) as session:
        project = session.get(Project, valid.project_id)
        name = _label(session, project) if project is not None else str(valid.project_id)
        same = session.exec(
            select(WorkLog.id)
            .where(WorkLog.project_id == valid.project_id, WorkLog.work_date == valid.work_date,
                   WorkLog.minutes == valid.minutes, WorkLog.items_submitted == valid.items_submitted,
                   WorkLog.items_rejected == valid.items_rejected,
                   WorkLog.created_at > moment - timedelta(seconds=DUPLICATE_SECONDS))
            .limit(1)
        ).first()
        if same is not None:
            raise LedgerError(
                f"방금 같은 작업 기록을 저장했습니다 ({name}, {valid.work_date:%Y-%m-%d}, "
                f"{describe(valid.minutes, valid.items_submitted, valid.items_rejected)}). 두 번 저장하지 않았습니다. "
                f"하나 더 적으려면 {DUPLICATE_SECONDS}초 뒤에 다시 저장하세요.",
                field="minutes",
            )
        row = ledger.add_worklog(session, valid)
        return Saved(worklog_id=row.id, project=name, work_date=row.work_date, minutes=row.minutes,
                     items_submitted=row.items_submitted, items_rejected=row.items_rejected,
                     earnings=worklog_earnings(row))


# ---------------------------------------------------------------- a week at once

WEEK_FIELDS = ("work_date", "project_id", "minutes", "items_submitted", "items_rejected", "note")


@dataclass
class WeekResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    errors: list[str] | None = None  # "3번째 줄: …"; with errors from the check, nothing was saved

    @property
    def sentence(self) -> str:
        done = [f"{what} {n}건" for what, n in (("추가", self.created), ("수정", self.updated), ("삭제", self.deleted))
                if n]
        return f"이번 주 작업 기록을 저장했습니다: {', '.join(done)}." if done else "바뀐 줄이 없습니다."


def week_bounds(today: date) -> tuple[date, date]:
    """Monday and Sunday of today's week."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def _day(value: Any) -> Any:
    """A date as the editor hands it back: a date, a Timestamp, or ISO text (maybe with a time)."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


def _count(value: Any) -> Any:
    if value is None or value == "":
        return 0
    if isinstance(value, float) and value != value:  # NaN: an empty cell
        return 0
    return parse_amount(value) if isinstance(value, str) else value


def _row_fields(row: dict[str, Any]) -> dict[str, Any]:
    minutes = parse_minutes(row.get("minutes"))
    return {
        "work_date": _day(row.get("work_date")),
        "project_id": row.get("project_id"),
        "minutes": 0 if minutes is None else minutes,
        "items_submitted": _count(row.get("items_submitted")),
        "items_rejected": _count(row.get("items_rejected")),
        "note": row.get("note") or "",
    }


def save_week(engine: sa.Engine, shown: list[dict[str, Any]], edited: dict[int, dict[str, Any]],
              added: list[dict[str, Any]], deleted: list[int]) -> WeekResult:
    """Apply what `st.data_editor` reports for the week's rows, each through tracker.ledger.

    `shown` are the rows the editor was given, in order (with `id` and `version`); `edited` maps a row's
    position to its changed cells, `added` are new rows, `deleted` positions. Lines are numbered as the
    editor shows them ("3번째 줄"), added lines after the shown ones.

    Every line is checked first — the model's rules, and each day's total against 24 hours with the
    other work logs of that day — and if any line is refused nothing is saved and every refusal is
    listed. Only then are the lines written (deletions, edits, additions), each with the version the
    editor showed; a line another tab changed in between is refused on its own, the others are saved.
    """
    errors: list[str] = []
    plans: list[tuple[str, int, int | None, dict[str, Any], int | None]] = []  # kind, line, id, fields, version
    for position in sorted(deleted):
        row = shown[position]
        plans.append(("delete", position + 1, int(row["id"]), {}, int(row["version"])))
    deleted_set = set(deleted)
    for position, cells in sorted(edited.items()):
        position = int(position)
        if position in deleted_set or not cells:
            continue
        row = shown[position]
        merged = _row_fields(row | dict(cells))
        before = _row_fields(row)
        changes = {k: v for k, v in merged.items() if v != before[k]}
        if not changes:
            continue
        plans.append(("update", position + 1, int(row["id"]), merged | {"_changes": changes}, int(row["version"])))
    for index, cells in enumerate(added):
        fields = _row_fields(dict(cells))
        if not any(fields[k] for k in ("minutes", "items_submitted", "items_rejected", "note")):
            errors.append(f"{len(shown) + index + 1}번째 줄: {NOTHING}")
            continue
        plans.append(("create", len(shown) + index + 1, None, fields, None))

    # The model's rules, line by line.
    valid_rows: dict[int, WorkLogCreate] = {}
    for kind, line, _, fields, _ in plans:
        if kind == "delete":
            continue
        try:
            valid_rows[line] = ledger.validate(WorkLogCreate, {k: v for k, v in fields.items() if k != "_changes"})
        except LedgerError as exc:
            errors.append(f"{line}번째 줄: {exc.message}")
    # Each day's total once everything is applied, with the work logs the editor does not show.
    if not errors:
        errors += _day_totals(engine, plans, valid_rows)
    if errors:
        return WeekResult(errors=sorted(errors, key=lambda e: int(e.split("번째", 1)[0])))

    result = WeekResult(errors=[])
    for kind, line, row_id, fields, version in plans:
        try:
            if kind == "delete":
                ledger.delete_worklog(engine, row_id, version=version)
                result.deleted += 1
            elif kind == "update":
                valid = valid_rows[line]
                changes = {k: getattr(valid, k) for k in fields["_changes"]}
                ledger.update_worklog(engine, row_id, changes | {"version": version})
                result.updated += 1
            else:
                ledger.create_worklog(engine, valid_rows[line])
                result.created += 1
        except LedgerError as exc:
            result.errors.append(f"{line}번째 줄: {exc.message} (이 줄은 저장하지 않았습니다)")
    return result


def _day_totals(engine: sa.Engine, plans, valid_rows: dict[int, WorkLogCreate]) -> list[str]:
    touched_ids = [row_id for kind, _, row_id, _, _ in plans if row_id is not None]
    days = {v.work_date for v in valid_rows.values()}
    with engine.connect() as conn:
        old = dict(conn.execute(select(WorkLog.id, WorkLog.minutes).where(WorkLog.id.in_(touched_ids))).all()) \
            if touched_ids else {}
        old_days = dict(conn.execute(select(WorkLog.id, WorkLog.work_date).where(WorkLog.id.in_(touched_ids))).all()) \
            if touched_ids else {}
        days |= set(old_days.values())
        totals = dict(conn.execute(
            select(WorkLog.work_date, sa.func.sum(WorkLog.minutes)).where(WorkLog.work_date.in_(days))
            .group_by(WorkLog.work_date)).all()) if days else {}
    totals = {d: int(m or 0) for d, m in totals.items()}
    lines: dict[date, list[int]] = {}
    for kind, line, row_id, _, _ in plans:
        if row_id is not None and row_id in old:  # its old minutes leave its old day
            totals[old_days[row_id]] = totals.get(old_days[row_id], 0) - old[row_id]
        if kind != "delete":
            valid = valid_rows[line]
            totals[valid.work_date] = totals.get(valid.work_date, 0) + valid.minutes
            lines.setdefault(valid.work_date, []).append(line)
    errors = []
    for day, total in sorted(totals.items()):
        if total > MINUTES_PER_DAY and day in lines:
            for line in lines[day]:
                errors.append(f"{line}번째 줄: {day:%Y-%m-%d}의 작업 시간 합계가 {total:,}분으로 하루 최대 "
                              f"{MINUTES_PER_DAY:,}분을 넘습니다.")
    return errors


__all__ = ["DUPLICATE_SECONDS", "NOTHING", "Saved", "WeekResult", "describe", "read", "save", "save_week",
           "week_bounds"]
