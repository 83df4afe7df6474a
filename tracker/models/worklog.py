"""WorkLog: a day's work on one project. The rate is frozen when the entry is recorded."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from pydantic import model_validator
from sqlmodel import Field, SQLModel

from tracker.models.base import (
    MINUTES_PER_DAY,
    Count,
    Minutes,
    Rate,
    RowId,
    WorkDay,
    created_at_field,
    money_field,
    refuse,
    text_type,
    version_field,
)
from tracker.models.enums import PayScheme, enum_type

Note = text_type(1000)


class WorkLogBase(SQLModel):
    project_id: RowId = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    work_date: WorkDay = Field(index=True)  # up to tomorrow in Korea
    minutes: Minutes = 0
    items_submitted: Count = 0
    items_rejected: Count = 0
    note: Note = ""


class WorkLogCreate(WorkLogBase):
    # Left empty, the project's current unit price and pay scheme are copied in.
    rate: Rate | None = None
    pay_scheme: PayScheme | None = None

    @model_validator(mode="after")
    def _rejected_within_submitted(self):
        if self.items_rejected > self.items_submitted:
            raise refuse(
                "items_rejected",
                f"반려 건수({self.items_rejected:,})는 제출 건수({self.items_submitted:,})보다 많을 수 없습니다.",
            )
        return self


class WorkLogUpdate(SQLModel):
    """The fields to change, with the same bounds (None: leave as is)."""

    project_id: RowId | None = None
    work_date: WorkDay | None = None
    minutes: Minutes | None = None
    items_submitted: Count | None = None
    items_rejected: Count | None = None
    rate: Rate | None = None
    note: Note | None = None


class WorkLog(WorkLogBase, table=True):
    __tablename__ = "worklog"
    # Migration 0010: the per project-month sums read only this index (it carries every column they
    # add up), and a project's entries of a month are one range of it.
    __table_args__ = (
        sa.Index("ix_worklog_project_id_work_date", "project_id", "work_date", "pay_scheme", "minutes",
                 "items_submitted", "items_rejected", "rate"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rate: Rate = money_field()
    pay_scheme: PayScheme = Field(default=PayScheme.PER_ITEM, sa_type=enum_type(PayScheme))
    created_at: datetime = created_at_field()
    version: int = version_field()
    # Set by the spreadsheet import (tracker.sheets): the row's stable key, so a file imported twice adds nothing.
    import_key: str | None = Field(default=None, max_length=64, index=True, unique=True)


def earnings(pay_scheme: str, rate: int, minutes: int, submitted: int, rejected: int) -> int:
    """KRW earned by one entry: accepted items × rate, or hours × rate (floored to the won).

    Fixed-price projects earn their price as a whole, not per entry, so an entry earns 0.
    """
    if pay_scheme == PayScheme.PER_ITEM:
        return (submitted - rejected) * rate
    if pay_scheme == PayScheme.PER_HOUR:
        return minutes * rate // 60
    return 0


def worklog_earnings(log: WorkLog) -> int:
    return earnings(log.pay_scheme, log.rate, log.minutes, log.items_submitted, log.items_rejected)


__all__ = ["MINUTES_PER_DAY", "WorkLog", "WorkLogCreate", "WorkLogUpdate", "earnings", "worklog_earnings"]
