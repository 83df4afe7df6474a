"""Work timers: start one per project, stop it for the minutes worked.

The start is a row in the `timer` table (tracker/models/timer.py), so a rerun, a closed tab, a restart
or a second device sees the same running timer. Stopping removes the row and returns the minutes
(rounded to the nearest minute); it writes no work log — the minutes go into the dashboard's quick
entry, where the user adds the counts and saves. A timer that ran longer than a day (forgotten
overnight) gives at most 1,440 minutes, the most one work log holds, and says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import select

from tracker.db import session_scope
from tracker.errors import LedgerError
from tracker.inputs import show_minutes
from tracker.ledger import STALE, quoted
from tracker.models import Company, Project, Timer
from tracker.models.base import ID_MAX, MINUTES_PER_DAY
from tracker.timeutil import KST


@dataclass(frozen=True)
class Running:
    project_id: int
    project: str  # "회사 · 프로젝트"
    started_at: datetime  # UTC
    version: int
    minutes: int  # so far, at the time it was read

    @property
    def started_kst(self) -> datetime:
        return self.started_at.astimezone(KST)


@dataclass(frozen=True)
class Stopped:
    project_id: int
    project: str
    started_at: datetime  # UTC
    stopped_at: datetime  # UTC
    minutes: int  # rounded, at most 1,440
    elapsed_minutes: int  # rounded, as it ran
    work_date: date  # the day it started, in Korea

    @property
    def clipped(self) -> bool:
        return self.elapsed_minutes > self.minutes

    @property
    def sentence(self) -> str:
        start = self.started_at.astimezone(KST)
        said = (f"{self.project} 타이머를 멈췄습니다: {start:%m-%d %H:%M}부터 {show_minutes(self.elapsed_minutes)}"
                f" ({self.elapsed_minutes:,}분).")
        if self.clipped:
            said += (f" 하루 넘게 돌아 작업 시간은 하루 최대 {MINUTES_PER_DAY:,}분으로 줄여 채웠습니다."
                     " 실제로 일한 시간으로 고쳐 저장하세요.")
        elif self.minutes == 0:
            said += " 1분이 안 되어 0분입니다."
        return said + " 제출·반려 건수를 적고 저장하세요."


def _now(now: datetime | None) -> datetime:
    moment = now or datetime.now(UTC)
    if moment.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return moment.astimezone(UTC)


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back what was stored in UTC without an offset only through raw SQL; the model's
    # type (UTCDateTime) already gives aware datetimes.
    return moment.replace(tzinfo=UTC) if moment.utcoffset() is None else moment.astimezone(UTC)


def _minutes(start: datetime, stop: datetime) -> int:
    seconds = max(0.0, (stop - start).total_seconds())
    return int(seconds // 60 + (1 if seconds % 60 >= 30 else 0))


def _project_label(session, project_id: int) -> tuple[Project, str]:
    valid = isinstance(project_id, int) and not isinstance(project_id, bool) and 1 <= project_id <= ID_MAX
    project = session.get(Project, project_id) if valid else None
    if project is None:
        raise LedgerError(f"프로젝트를 찾을 수 없습니다 (id {project_id}).", field="project_id")
    company = session.get(Company, project.company_id)
    return project, f"{company.name} · {project.name}" if company else project.name


def start(engine: sa.Engine, project_id: int, *, now: datetime | None = None) -> datetime:
    """Start the project's timer; returns its start (UTC). A project whose timer runs already is refused."""
    moment = _now(now)
    with session_scope(engine) as session:
        _, name = _project_label(session, project_id)
        running = session.get(Timer, project_id)
        if running is not None:
            since = _as_utc(running.started_at).astimezone(KST)
            raise LedgerError(f"{quoted(name)}의 타이머가 이미 {since:%m-%d %H:%M}부터 돌고 있습니다. "
                              "멈춘 뒤 다시 시작하세요.", field="project_id")
        session.add(Timer(project_id=project_id, started_at=moment))
    return moment


def stop(engine: sa.Engine, project_id: int, *, now: datetime | None = None, version: int | None = None) -> Stopped:
    """Stop the project's timer: the row goes, the minutes come back (rounded, at most a day's 1,440).
    `version` is the timer the page showed: a timer restarted elsewhere in between is refused."""
    moment = _now(now)
    with session_scope(engine) as session:
        _, name = _project_label(session, project_id)
        row = session.get(Timer, project_id, with_for_update=True)
        if row is None:
            raise LedgerError(f"{quoted(name)}의 타이머가 돌고 있지 않습니다 (다른 화면에서 이미 멈췄을 수 있습니다).",
                              field="project_id")
        if version is not None and int(version) != row.version:
            raise LedgerError(STALE, field="version")
        began = _as_utc(row.started_at)
        session.delete(row)
    elapsed = _minutes(began, moment)
    return Stopped(project_id=project_id, project=name, started_at=began, stopped_at=moment,
                   minutes=min(elapsed, MINUTES_PER_DAY), elapsed_minutes=elapsed,
                   work_date=began.astimezone(KST).date())


def cancel(engine: sa.Engine, project_id: int) -> None:
    """Throw a timer away (started by mistake): nothing is recorded."""
    with session_scope(engine) as session:
        _, name = _project_label(session, project_id)
        row = session.get(Timer, project_id, with_for_update=True)
        if row is None:
            raise LedgerError(f"{quoted(name)}의 타이머가 돌고 있지 않습니다.", field="project_id")
        session.delete(row)


def running(engine: sa.Engine, *, now: datetime | None = None) -> list[Running]:
    """The running timers, oldest first, with their minutes so far."""
    moment = _now(now)
    query = (
        select(Timer.project_id, Timer.started_at, Timer.version, Company.name, Project.name)
        .join(Project, Project.id == Timer.project_id)
        .join(Company, Company.id == Project.company_id)
        .order_by(Timer.started_at, Timer.project_id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    found = []
    for project_id, started_at, version, company, project in rows:
        began = _as_utc(started_at)
        found.append(Running(project_id=project_id, project=f"{company} · {project}", started_at=began,
                             version=version, minutes=_minutes(began, moment)))
    return found


__all__ = ["Running", "Stopped", "cancel", "running", "start", "stop"]
