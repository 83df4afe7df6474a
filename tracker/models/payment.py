"""Payment: money a company owes or paid for one work month. Its status comes from the dates."""
from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator, model_validator
from sqlmodel import Field, SQLModel

from tracker.models.base import created_at_field, money_field, refuse, version_field
from tracker.models.enums import PaymentStatus


class PaymentBase(SQLModel):
    company_id: int = Field(foreign_key="company.id", ondelete="RESTRICT", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", ondelete="SET NULL", index=True)
    work_month: date = Field(index=True)  # always the 1st of the month
    gross: int = money_field()
    income_tax: int = money_field()  # 소득세 actually withheld, as the user entered it
    local_tax: int = money_field()  # 지방소득세 actually withheld
    net: int = money_field()  # what lands (or landed) in the bank
    expected_date: date | None = Field(default=None, index=True)
    received_date: date | None = None
    note: str = Field(default="", max_length=1000)


class PaymentCreate(PaymentBase):
    @field_validator("work_month")
    @classmethod
    def _first_of_month(cls, v: date) -> date:
        return v.replace(day=1)

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
    company_id: int | None = None
    project_id: int | None = None
    work_month: date | None = None
    gross: int | None = None
    income_tax: int | None = None
    local_tax: int | None = None
    net: int | None = None
    expected_date: date | None = None
    received_date: date | None = None
    note: str | None = None


class Payment(PaymentBase, table=True):
    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
    version: int = version_field()


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
