"""Helpers shared by the model modules."""
from __future__ import annotations


import sqlalchemy as sa
from pydantic_core import PydanticCustomError
from sqlmodel import Field, SQLModel

from tracker.timeutil import now_kst

# Named constraints, so migrations can alter them the same way on SQLite (batch) and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def refuse(field: str, message: str) -> PydanticCustomError:
    """An error for a model validator: the Korean sentence is shown as is and names `field`."""
    return PydanticCustomError("korean", "{message}", {"message": message, "field": field})


def money_field(default: int | None = 0, **kw):
    """Integer KRW, never negative, stored as BIGINT."""
    return Field(default=default, ge=0, sa_type=sa.BigInteger, **kw)


def created_at_field():
    return Field(default_factory=now_kst, nullable=False)


def version_field():
    """The row's edit version: 1 when created, +1 on every update (optimistic concurrency)."""
    return Field(default=1, ge=1, nullable=False, sa_column_kwargs={"server_default": "1"})

