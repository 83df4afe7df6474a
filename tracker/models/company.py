"""Company (회사·플랫폼): who the labeler works for and how they pay."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models.base import created_at_field, version_field
from tracker.models.enums import CompanyKind, PayShift, WithholdingKind, enum_type


class CompanyBase(SQLModel):
    name: str = Field(min_length=1, max_length=100)
    kind: CompanyKind = Field(default=CompanyKind.PLATFORM, sa_type=enum_type(CompanyKind))
    website: str = Field(default="", max_length=300)
    # Payment terms: paid `pay_months_after` months after the work month, on `pay_day`
    # (31 means the last day of the month). "다음 달 10일" = (1, 10).
    pay_months_after: int = Field(default=1, ge=0, le=12)
    pay_day: int = Field(default=10, ge=1, le=31)
    # A pay day on a weekend or holiday moves to the next business day, or the previous one.
    pay_shift: PayShift = Field(default=PayShift.NEXT, sa_type=enum_type(PayShift))
    withholding_kind: WithholdingKind = Field(
        default=WithholdingKind.BUSINESS, sa_type=enum_type(WithholdingKind)
    )
    active: bool = True
    notes: str = Field(default="", max_length=2000)


class CompanyCreate(CompanyBase):
    pass


class CompanyUpdate(SQLModel):
    name: str | None = None
    kind: CompanyKind | None = None
    website: str | None = None
    pay_months_after: int | None = None
    pay_day: int | None = None
    pay_shift: PayShift | None = None
    withholding_kind: WithholdingKind | None = None
    active: bool | None = None
    notes: str | None = None


class Company(CompanyBase, table=True):
    __tablename__ = "company"
    __table_args__ = (sa.UniqueConstraint("name", name="uq_company_name"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
    version: int = version_field()
