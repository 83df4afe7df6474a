"""Company (회사·플랫폼): who the labeler works for and how they pay."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models.base import MonthsAfter, PayDay, created_at_field, line_type, name_type, text_type, version_field
from tracker.models.enums import CompanyKind, PayShift, WithholdingKind, enum_type

CompanyName = name_type(100)
Website = line_type(300)
Notes = text_type(2000)


class CompanyBase(SQLModel):
    name: CompanyName
    kind: CompanyKind = Field(default=CompanyKind.PLATFORM, sa_type=enum_type(CompanyKind))
    website: Website = ""
    # Payment terms: paid `pay_months_after` months after the work month, on `pay_day`
    # (31 means the last day of the month). "다음 달 10일" = (1, 10).
    pay_months_after: MonthsAfter = 1
    pay_day: PayDay = 10
    # A pay day on a weekend or holiday moves to the next business day, or the previous one.
    pay_shift: PayShift = Field(default=PayShift.NEXT, sa_type=enum_type(PayShift))
    withholding_kind: WithholdingKind = Field(
        default=WithholdingKind.BUSINESS, sa_type=enum_type(WithholdingKind)
    )
    active: bool = True
    notes: Notes = ""


class CompanyCreate(CompanyBase):
    pass


class CompanyUpdate(SQLModel):
    """The fields to change, with the same bounds (None: leave as is)."""

    name: CompanyName | None = None
    kind: CompanyKind | None = None
    website: Website | None = None
    pay_months_after: MonthsAfter | None = None
    pay_day: PayDay | None = None
    pay_shift: PayShift | None = None
    withholding_kind: WithholdingKind | None = None
    active: bool | None = None
    notes: Notes | None = None


class Company(CompanyBase, table=True):
    __tablename__ = "company"
    __table_args__ = (sa.UniqueConstraint("name", name="uq_company_name"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
    version: int = version_field()
