"""Deposit: money that landed in the bank for a payment. Several deposits may settle one payment."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from pydantic import model_validator
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

Note = text_type(1000)


class DepositBase(SQLModel):
    payment_id: RowId = Field(foreign_key="payment.id", ondelete="CASCADE", index=True)
    received_on: Day
    net: Amount = money_field()  # what the bank statement shows
    gross: Amount = money_field()  # 세전 금액 this deposit pays
    income_tax: Withheld = money_field()  # 소득세 actually withheld from it
    local_tax: Withheld = money_field()  # 지방소득세 actually withheld from it
    note: Note = ""


class DepositCreate(DepositBase):
    # The amounts must be given (the table's default 0 would be a ₩0 deposit).
    net: Amount
    gross: Amount
    income_tax: Withheld = 0
    local_tax: Withheld = 0

    @model_validator(mode="after")
    def _amounts_add_up(self):
        withheld = self.income_tax + self.local_tax
        if withheld > self.gross:
            raise refuse(
                "income_tax",
                f"원천징수액 합계({withheld:,}원)가 세전 금액({self.gross:,}원)보다 클 수 없습니다.",
            )
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
    # The write that last touched the row (migration 0013, tracker/rowstamps.py): readers catch up on rows
    # stamped after theirs.
    stamp: int = Field(default=0, sa_type=sa.BigInteger, index=True, sa_column_kwargs={"server_default": "0"})
