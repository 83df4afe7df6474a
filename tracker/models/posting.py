"""Recruitment postings found by the radar, and the health of each source."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models.base import created_at_field
from tracker.models.enums import Certificate, PayUnit, PostingStatus, enum_type


class Posting(SQLModel, table=True):
    """One opening, normalised. De-duplicated by canonical URL and by title + organisation."""

    __tablename__ = "posting"
    __table_args__ = (
        sa.UniqueConstraint("url", name="uq_posting_url"),
        sa.UniqueConstraint("dedupe_key", name="uq_posting_dedupe_key"),
        # the 모집 공고 page reads one page at a time, newest first (migration 0009)
        sa.Index("ix_posting_first_seen_id", "first_seen", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=100, index=True)  # the configured source name
    source_kind: str = Field(max_length=30)
    external_id: str = Field(default="", max_length=300)
    url: str = Field(max_length=2000)  # canonical: tracking parameters removed
    title: str = Field(max_length=500)
    organization: str = Field(default="", max_length=300)
    dedupe_key: str = Field(max_length=900)
    published: datetime | None = Field(default=None, index=True)
    deadline: date | None = Field(default=None, index=True)
    pay_text: str = Field(default="", max_length=300)
    pay_amount: int | None = Field(default=None, sa_type=sa.BigInteger)  # KRW, when stated
    pay_unit: PayUnit | None = Field(default=None, sa_type=enum_type(PayUnit))
    task_types: str = Field(default="", max_length=300)  # comma-separated TaskType codes
    remote: bool = False
    certificate: Certificate = Field(default=Certificate.NONE, sa_type=enum_type(Certificate))
    region: str = Field(default="", max_length=200)
    summary: str = Field(default="", max_length=2000)
    status: PostingStatus = Field(default=PostingStatus.NEW, sa_type=enum_type(PostingStatus), index=True)
    first_seen: datetime = created_at_field()
    last_seen: datetime = created_at_field()


class SourceState(SQLModel, table=True):
    """What the radar remembers of a source between runs."""

    __tablename__ = "source_state"

    name: str = Field(primary_key=True, max_length=100)
    kind: str = Field(max_length=30)
    last_run: datetime | None = None
    last_success: datetime | None = None
    last_error: str = Field(default="", max_length=1000)  # a readable sentence, empty after a success
    consecutive_failures: int = 0
    item_count: int = 0  # items in the last successful answer (before keyword filters)
    new_count: int = 0  # postings that were new in the last run
    layout_warning: bool = False  # used to return items, now returns none
    etag: str = Field(default="", max_length=300)
    last_modified: str = Field(default="", max_length=100)
