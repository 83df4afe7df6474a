"""Payment: money a company owes or paid for one work month. Its status comes from the dates."""
from __future__ import annotations

from datetime import date, datetime

from typing import Annotated

import sqlalchemy as sa
from pydantic import AfterValidator, model_validator
from sqlmodel import Field, SQLModel

from tracker.models.base import (
    Amount,
    Day,
    RowId,
    Withheld,
    created_at_field,
    money_field,
    refuse,
    text_type,
    version_field,
)
from tracker.models.enums import PaymentStatus

Note = text_type(1000)


def _first_of_month(v: date) -> date:
    return v.replace(day=1)


# A work month is stored as its 1st day, whatever day of the month was given.
WorkMonth = Annotated[Day, AfterValidator(_first_of_month)]


class PaymentBase(SQLModel):
    company_id: RowId = Field(foreign_key="company.id", ondelete="RESTRICT", index=True)
    project_id: RowId | None = Field(default=None, foreign_key="project.id", ondelete="SET NULL", index=True)
    work_month: WorkMonth = Field(index=True)  # always the 1st of the month
    # Amounts in whole won. A payment is at least ₩1 before and after tax: the defaults below
    # only serve the table; the Create model has no default and requires them.
    gross: Amount = money_field()
    income_tax: Withheld = money_field()  # 소득세 actually withheld, as the user entered it
    local_tax: Withheld = money_field()  # 지방소득세 actually withheld
    net: Amount = money_field()  # what lands (or landed) in the bank
    expected_date: Day | None = Field(default=None, index=True)
    received_date: Day | None = None
    note: Note = ""


class PaymentCreate(PaymentBase):
    # The gross and net must be given (the table's default 0 would be a ₩0 payment).
    gross: Amount
    net: Amount
    income_tax: Withheld = 0
    local_tax: Withheld = 0

    @model_validator(mode="after")
    def _amounts_add_up(self):
        withheld = self.income_tax + self.local_tax
        if withheld > self.gross:
            raise refuse(
                "income_tax",
                f"원천징수액 합계({withheld:,}원)가 지급액(세전 {self.gross:,}원)보다 클 수 없습니다.",
            )
        if self.net != self.gross - withheld:
            raise refuse(
                "net",
                f"실수령액은 지급액 − 소득세 − 지방소득세 = {self.gross - withheld:,}원이어야 합니다"
                f" (입력: {self.net:,}원).",
            )
        return self


class PaymentUpdate(SQLModel):
    """The fields to change, with the same bounds (None: leave as is)."""

    company_id: RowId | None = None
    project_id: RowId | None = None
    work_month: WorkMonth | None = None
    gross: Amount | None = None
    income_tax: Withheld | None = None
    local_tax: Withheld | None = None
    net: Amount | None = None
    expected_date: Day | None = None
    received_date: Day | None = None
    note: Note | None = None


class Payment(PaymentBase, table=True):
    __tablename__ = "payment"
    # Migration 0010: a company's payments of a month (the 지급 page's filters, unbilled work's check).
    __table_args__ = (sa.Index("ix_payment_company_id_work_month", "company_id", "work_month"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
    version: int = version_field()
    # Set by the spreadsheet import (tracker.sheets): the row's stable key, so a file imported twice adds nothing.
    import_key: str | None = Field(default=None, max_length=64, index=True, unique=True)
    # The write that last touched the row (migration 0013, tracker/rowstamps.py): readers catch up on rows
    # stamped after theirs.
    stamp: int = Field(default=0, sa_type=sa.BigInteger, index=True, sa_column_kwargs={"server_default": "0"})


def payment_status(expected_date: date | None, received_date: date | None, today: date) -> PaymentStatus:
    """입금 완료 once received; 지연 when the expected date has passed; otherwise 예정."""
    if received_date is not None:
        return PaymentStatus.RECEIVED
    if expected_date is not None and today > expected_date:
        return PaymentStatus.LATE
    return PaymentStatus.SCHEDULED


def days_late(expected_date: date | None, received_date: date | None, today: date) -> int:
    """Days past the expected date: until received, or until today while still unpaid."""
    if expected_date is None:
        return 0
    end = received_date or today
    return max(0, (end - expected_date).days)


__all__ = ["Payment", "PaymentCreate", "PaymentUpdate", "payment_status", "days_late"]
