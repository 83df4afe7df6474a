"""DataVersion: one change counter per table, bumped by database triggers on every write.

Cached reads are keyed on these counters, so a write from anywhere (another tab, the CLI, the cron
radar, a restore) shows on the next rerun, and a write invalidates only the reads of its tables.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class DataVersion(SQLModel, table=True):
    __tablename__ = "data_version"

    name: str = Field(primary_key=True, max_length=50)  # a table name
    version: int = Field(default=0, sa_type=sa.BigInteger)
