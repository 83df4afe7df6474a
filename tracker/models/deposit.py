"""Deposit: money that landed in the bank for a payment. Several deposits may settle one payment."""
from __future__ import annotations

from datetime import date, datetime

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from tracker.models.base import created_at_field, money_field, refuse, version_field


class DepositBase(SQLModel):
    payment_id: int = Field(foreign_key="payment.id", ondelete="CASCADE", index=True)
    received_on: date
    net: int = money_field()  # what the bank statement shows
    gross: int = money_field()  # 세전 금액 this deposit pays
    income_tax: int = money_field()  # 소득세 actually withheld from it
    local_tax: int = money_field()  # 지방소득세 actually withheld from it
    note: str = Field(default="", max_length=1000)


class DepositCreate(DepositBase):
    @model_validator(mode="after")
    def _amounts_add_up(self):
        if self.net != self.gross - self.income_tax - self.local_tax:
            raise refuse(
                "net",
                f"입금액은 세전 금액 − 소득세 − 지방소득세 = {self.gross - self.income_tax - self.local_tax:,}원이어야"
                f" 합니다 (입력: {self.net:,}원).",
            )
        return self


class Deposit(DepositBase, table=True):
    __tablename__ = "deposit"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
    version: int = version_field()
