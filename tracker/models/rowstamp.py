"""RowStamp: per table, the last stamp its triggers gave a row and a count of its deletes (tracker/rowstamps.py). Bookkeeping,
not ledger rows: backups leave it out, and it only ever grows."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class RowStamp(SQLModel, table=True):
    __tablename__ = "row_stamp"

    name: str = Field(primary_key=True, max_length=50)  # a table name
    stamp: int = Field(default=0, sa_type=sa.BigInteger)  # the last stamp given to a row
    deleted: int = Field(default=0, sa_type=sa.BigInteger)  # deletes counted (statements, or rows on SQLite)
