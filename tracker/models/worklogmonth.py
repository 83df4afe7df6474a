"""WorkLogMonth: the work entries summed per project and month, kept by database triggers.

Never written by the app: every insert, update and delete of a work entry adds or takes away its
share in the same transaction (tracker/worklogsums.py has the triggers), so reading the sums costs
one row per project-month however many entries there are, and a write changes only its own rows
(and stamps them, so a reader catches up on those alone).
Derived data: backups leave it out, and a restore rebuilds it through the same triggers.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class WorkLogMonth(SQLModel, table=True):
    __tablename__ = "worklog_month"

    project_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    month: date = Field(primary_key=True)  # the first day of the work month
    entries: int = Field(default=0, sa_type=sa.BigInteger)
    minutes: int = Field(default=0, sa_type=sa.BigInteger)
    earned: int = Field(default=0, sa_type=sa.BigInteger)  # tracker.queries.WORK_EARNINGS per entry, summed
    submitted: int = Field(default=0, sa_type=sa.BigInteger)
    rejected: int = Field(default=0, sa_type=sa.BigInteger)
    rejection_cost: int = Field(default=0, sa_type=sa.BigInteger)  # per-item rate × rejected
    # The write that last touched the row (migration 0012): readers catch up on rows stamped after theirs.
    # A row whose entries all went stays with entries 0 and its stamp.
    stamp: int = Field(default=0, sa_type=sa.BigInteger, index=True, sa_column_kwargs={"server_default": "0"})
