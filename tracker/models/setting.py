"""AppSetting (설정) and DigestLog (보낸 알림): the app's own settings, and what the digest has sent.

AppSetting: one row per setting (`key` = the field name of tracker.preferences.Preferences), its
value as JSON text, and an edit version like the ledger's rows, so a settings form opened before
another tab saved is refused instead of reverting it. Keys the code no longer knows are ignored.

DigestLog: one row per digest sent on one channel ("email" or "webhook"): when, which items (their
stable keys, as a JSON list, and a hash of them), the subject and the text. An item whose key is
already in a channel's log is not sent on that channel again.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models.base import created_at_field, version_field
from tracker.timeutil import now_kst


class AppSetting(SQLModel, table=True):
    __tablename__ = "app_setting"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_type=sa.Text)  # JSON
    updated_at: datetime = created_at_field()
    version: int = version_field()


class DigestLog(SQLModel, table=True):
    __tablename__ = "digest_log"

    id: int | None = Field(default=None, primary_key=True)
    sent_at: datetime = Field(default_factory=now_kst, nullable=False, index=True)
    channel: str = Field(max_length=20, index=True)  # "email" | "webhook"
    item_keys: str = Field(default="[]", sa_type=sa.Text)  # JSON list of the items' keys
    items_hash: str = Field(default="", max_length=64)  # sha256 of the sorted keys
    subject: str = Field(default="", max_length=300)
    text: str = Field(default="", sa_type=sa.Text)


__all__ = ["AppSetting", "DigestLog"]
