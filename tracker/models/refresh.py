"""RefreshRun: one press of '새로 가져오기' (or one background run), and how far it has got.

The page starts a run in a background thread and polls this row; `active` is True while the run
goes on and NULL once it ends, under a unique constraint, so the database itself refuses a second
run while one is going (two browser tabs, two processes). `progress` holds one line per source as
JSON, written as each source finishes.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models.base import created_at_field


class RefreshRun(SQLModel, table=True):
    __tablename__ = "refresh_run"
    __table_args__ = (sa.UniqueConstraint("active", name="uq_refresh_run_active"),)

    id: int | None = Field(default=None, primary_key=True)
    active: bool | None = Field(default=True, nullable=True)  # True while running; NULL when over
    started: datetime = created_at_field()
    heartbeat: datetime = created_at_field()  # the last sign of life (start, each source); stale runs are taken over
    finished: datetime | None = None
    total: int = 0  # enabled sources
    done: int = 0
    new: int = 0  # new postings so far
    failed: int = 0
    progress: str = Field(default="[]", sa_type=sa.Text)  # JSON: [{"name", "state", "line"}] in finishing order
    error: str = Field(default="", max_length=1000)  # the run itself failed (not one source)
