"""Project: one piece of work at one company, from the first look to the end."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from pydantic import model_validator
from sqlmodel import Field, SQLModel

from tracker.models.base import (
    Day,
    Rate,
    RowId,
    created_at_field,
    money_field,
    name_type,
    refuse,
    text_type,
    version_field,
)
from tracker.models.enums import (
    Certificate,
    PayScheme,
    ProjectStatus,
    Role,
    TaskType,
    enum_type,
)

ProjectName = name_type(200)
Notes = text_type(2000)


class ProjectBase(SQLModel):
    company_id: RowId = Field(foreign_key="company.id", ondelete="RESTRICT", index=True)
    name: ProjectName
    task_type: TaskType = Field(default=TaskType.BOUNDING_BOX, sa_type=enum_type(TaskType))
    role: Role = Field(default=Role.WORKER, sa_type=enum_type(Role))
    pay_scheme: PayScheme = Field(default=PayScheme.PER_ITEM, sa_type=enum_type(PayScheme))
    # KRW per accepted item, per hour, or for the whole project, by pay_scheme (0: not known yet).
    unit_price: Rate = money_field()
    status: ProjectStatus = Field(default=ProjectStatus.INTERESTED, sa_type=enum_type(ProjectStatus))
    start_date: Day | None = None
    end_date: Day | None = None
    deadline: Day | None = None
    remote: bool = True
    certificate: Certificate = Field(default=Certificate.NONE, sa_type=enum_type(Certificate))
    notes: Notes = ""
    # The recruitment posting it came from; the posting table arrives with the radar.
    posting_id: RowId | None = Field(default=None, foreign_key="posting.id", ondelete="SET NULL", index=True)


class ProjectCreate(ProjectBase):
    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise refuse("end_date", "종료일은 시작일보다 빠를 수 없습니다.")
        return self


class ProjectUpdate(SQLModel):
    """The fields to change, with the same bounds (None: leave as is)."""

    company_id: RowId | None = None
    name: ProjectName | None = None
    task_type: TaskType | None = None
    role: Role | None = None
    pay_scheme: PayScheme | None = None
    unit_price: Rate | None = None
    status: ProjectStatus | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    deadline: Day | None = None
    remote: bool | None = None
    certificate: Certificate | None = None
    notes: Notes | None = None
    posting_id: RowId | None = None


class Project(ProjectBase, table=True):
    __tablename__ = "project"
    __table_args__ = (sa.UniqueConstraint("company_id", "name", name="uq_project_company_name"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
    version: int = version_field()
