"""Project: one piece of work at one company, from the first look to the end."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from pydantic import model_validator
from sqlmodel import Field, SQLModel

from tracker.models.base import created_at_field, money_field, refuse, version_field
from tracker.models.enums import (
    Certificate,
    PayScheme,
    ProjectStatus,
    Role,
    TaskType,
    enum_type,
)


class ProjectBase(SQLModel):
    company_id: int = Field(foreign_key="company.id", ondelete="RESTRICT", index=True)
    name: str = Field(min_length=1, max_length=200)
    task_type: TaskType = Field(default=TaskType.BOUNDING_BOX, sa_type=enum_type(TaskType))
    role: Role = Field(default=Role.WORKER, sa_type=enum_type(Role))
    pay_scheme: PayScheme = Field(default=PayScheme.PER_ITEM, sa_type=enum_type(PayScheme))
    # KRW per accepted item, per hour, or for the whole project, by pay_scheme.
    unit_price: int = money_field()
    status: ProjectStatus = Field(default=ProjectStatus.INTERESTED, sa_type=enum_type(ProjectStatus))
    start_date: date | None = None
    end_date: date | None = None
    deadline: date | None = None
    remote: bool = True
    certificate: Certificate = Field(default=Certificate.NONE, sa_type=enum_type(Certificate))
    notes: str = Field(default="", max_length=2000)
    # The recruitment posting it came from; the posting table arrives with the radar.
    posting_id: int | None = Field(default=None, foreign_key="posting.id", ondelete="SET NULL", index=True)


class ProjectCreate(ProjectBase):
    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise refuse("end_date", "종료일은 시작일보다 빠를 수 없습니다.")
        return self


class ProjectUpdate(SQLModel):
    company_id: int | None = None
    name: str | None = None
    task_type: TaskType | None = None
    role: Role | None = None
    pay_scheme: PayScheme | None = None
    unit_price: int | None = None
    status: ProjectStatus | None = None
    start_date: date | None = None
    end_date: date | None = None
    deadline: date | None = None
    remote: bool | None = None
    certificate: Certificate | None = None
    notes: str | None = None
    posting_id: int | None = None


class Project(ProjectBase, table=True):
    __tablename__ = "project"
    __table_args__ = (sa.UniqueConstraint("company_id", "name", name="uq_project_company_name"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
    version: int = version_field()
