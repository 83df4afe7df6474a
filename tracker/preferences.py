"""The 설정 page's settings, typed and bounded, stored one row per setting in `app_setting`.

`load(engine)` gives every setting (a stored value, else its default) and the version of each
stored row; `save(engine, changes, versions)` validates the settings as a whole with the change
applied and writes only the changed ones, in one write transaction. With `versions` (what the form
showed; 0 = not stored yet) a setting saved elsewhere since is refused with tracker.ledger.STALE and
nothing is written. A refused value is a LedgerError with a Korean sentence naming the field.

Secrets never live here: the SMTP password and the webhook URL stay in the environment
(tracker.config); this stores only which channels are on and what the digest includes.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator
from sqlmodel import Session, select

from tracker.db import session_scope
from tracker.errors import LedgerError, from_validation_error, label
from tracker.ledger import STALE
from tracker.models.base import clean_line, refuse, whole_number
from tracker.models.enums import TaskType, WithholdingKind
from tracker.models.setting import AppSetting
from tracker.timeutil import now_kst

log = logging.getLogger(__name__)

MAX_WORDS = 30  # per list
MAX_WORD_LENGTH = 50
HOURLY_TARGET_MAX = 1_000_000  # ₩/hour
HourlyTarget = whole_number(1, HOURLY_TARGET_MAX)


def _words(value: Any) -> Any:
    """'재택, 라벨링\\n검수' or a list → clean words, in order, without repeats (case-insensitive)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("\n", ",").replace("，", ",").split(",")
    if not isinstance(value, list | tuple):
        return value
    seen: dict[str, str] = {}
    for item in value:
        word = clean_line(item)
        if isinstance(word, str) and word and word.lower() not in seen:
            seen[word.lower()] = word
    return list(seen.values())


Words = Annotated[list[str], BeforeValidator(_words)]


def _codes(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return list(dict.fromkeys(str(getattr(v, "value", v)) for v in value))
    return value


class Preferences(BaseModel):
    """Every setting with its default. Field names are the keys in `app_setting`."""

    model_config = ConfigDict(extra="ignore", validate_default=True)

    default_withholding_kind: WithholdingKind = WithholdingKind.BUSINESS
    min_hourly_target: HourlyTarget | None = None  # None: the year's 최저시급 (data/minimum_wage.toml)
    radar_include: Words = []
    radar_exclude: Words = []
    radar_task_types: Annotated[list[TaskType], BeforeValidator(_codes)] = []
    radar_remote_only: bool = False
    digest_email: bool = True
    digest_webhook: bool = True
    digest_postings: bool = True
    digest_overdue: bool = True
    digest_pay_dates: bool = True
    digest_tax: bool = True

    @field_validator("radar_include", "radar_exclude")
    @classmethod
    def _bounded_words(cls, words: list[str], info) -> list[str]:
        name = label(info.field_name)
        if len(words) > MAX_WORDS:
            raise refuse(info.field_name, f"{name}은 {MAX_WORDS}개까지 넣을 수 있습니다 (지금 {len(words)}개).")
        for word in words:
            if len(word) > MAX_WORD_LENGTH:
                raise refuse(info.field_name, f"{name}은 하나에 {MAX_WORD_LENGTH}자까지입니다: '{word[:20]}…'")
        return words

    # ---------------------------------------------------------------- what the settings mean

    def hourly_target(self, year: int) -> int:
        """The minimum KRW/hour the user aims at: the saved target, else the year's 최저시급."""
        if self.min_hourly_target is not None:
            return self.min_hourly_target
        from tracker.tax import minimum_wage

        return minimum_wage(year)

    def matches(self, text: str, task_types: list[str] | str = (), remote: bool = False) -> bool:
        """Whether a posting passes the radar filters: one include word (when any) appears in its
        text, no exclude word does (case-insensitive), it has one of the chosen task types (when
        any), and it is remote when only remote postings are wanted."""
        folded = (text or "").lower()
        if self.radar_include and not any(w.lower() in folded for w in self.radar_include):
            return False
        if any(w.lower() in folded for w in self.radar_exclude):
            return False
        if self.radar_task_types:
            kinds = set(task_types.split(",") if isinstance(task_types, str) else task_types)
            if not kinds & {str(t) for t in self.radar_task_types}:
                return False
        return bool(remote) or not self.radar_remote_only


FIELDS = list(Preferences.model_fields)
DEFAULTS = Preferences()


@dataclass(frozen=True)
class Settings:
    values: Preferences
    versions: dict[str, int] = field(default_factory=dict)  # key → version of the stored row (absent: default)

    def version(self, key: str) -> int:
        return self.versions.get(key, 0)

    def plain(self) -> dict[str, Any]:
        """The settings as JSON-ready values (enum codes as str)."""
        return self.values.model_dump(mode="json")


def _stored(session: Session, *, lock: bool = False) -> dict[str, AppSetting]:
    query = select(AppSetting).where(AppSetting.key.in_(FIELDS))
    if lock:
        query = query.with_for_update()
    return {row.key: row for row in session.exec(query).all()}


def _values(rows: dict[str, AppSetting]) -> Preferences:
    """The stored values over the defaults; a stored value that no longer validates (edited by hand,
    or from an older version) is left out with a log line, so the page still opens."""
    data: dict[str, Any] = {}
    for key, row in rows.items():
        try:
            value = json.loads(row.value)
            Preferences.model_validate({key: value})
        except (ValueError, ValidationError):
            log.warning("setting %s has an unreadable value; using the default", key)
            continue
        data[key] = value
    return Preferences.model_validate(data)


def load(engine: sa.Engine) -> Settings:
    """Every setting: the stored value, else the default."""
    with Session(engine) as session:
        rows = _stored(session)
        return Settings(_values(rows), {k: int(r.version) for k, r in rows.items()})


def validate(changes: dict[str, Any], base: Preferences = DEFAULTS) -> Preferences:
    """`base` with `changes` applied, validated as a whole; a refusal is one Korean LedgerError."""
    data = base.model_dump() | {k: v for k, v in changes.items() if k in Preferences.model_fields}
    try:
        return Preferences.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc) from None


def save(engine: sa.Engine, changes: dict[str, Any], versions: dict[str, int] | None = None) -> Settings:
    """Write the settings in `changes` (unknown keys ignored). Returns the settings as saved."""
    changes = {k: v for k, v in changes.items() if k in Preferences.model_fields}
    with session_scope(engine) as session:
        rows = _stored(session, lock=True)
        if versions is not None:
            for key in changes:
                shown = versions.get(key, 0)
                try:
                    shown = int(shown)
                except (TypeError, ValueError):
                    shown = None
                if shown != (rows[key].version if key in rows else 0):
                    raise LedgerError(STALE, field="version")
        current = _values(rows)
        valid = validate(changes, current)
        plain = valid.model_dump(mode="json")
        for key in changes:
            text = json.dumps(plain[key], ensure_ascii=False)
            row = rows.get(key)
            if row is None:
                row = rows[key] = AppSetting(key=key, value=text)
                session.add(row)
            elif row.value != text:
                row.value, row.updated_at, row.version = text, now_kst(), row.version + 1
        session.flush()
        return Settings(valid, {k: int(r.version) for k, r in rows.items()})


def hourly_target(engine: sa.Engine, on: date) -> int:
    """The minimum KRW/hour target in force (for other pages)."""
    return load(engine).values.hourly_target(on.year)


__all__ = ["DEFAULTS", "FIELDS", "HOURLY_TARGET_MAX", "MAX_WORDS", "MAX_WORD_LENGTH", "STALE", "Preferences",
           "Settings", "hourly_target", "load", "save", "validate"]
