"""Timer: a running work timer, at most one per project. Its start is stored, so a rerun, a closed tab
or another device loses nothing; stopping it (tracker/timer.py) removes the row and gives the minutes."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from tracker.models.base import created_at_field, version_field


class Timer(SQLModel, table=True):
    __tablename__ = "timer"

    # One timer per project: the project is the key. Deleting the project deletes its timer.
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", primary_key=True,
                            sa_column_kwargs={"autoincrement": False})
    started_at: datetime = created_at_field()  # an aware datetime, stored and read back in UTC
    version: int = version_field()


__all__ = ["Timer"]
