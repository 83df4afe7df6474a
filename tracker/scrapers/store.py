"""Saving postings without duplicates, and remembering each source's health.

Everything scraped is cleaned on the way in: no NUL or other control characters (PostgreSQL
refuses a NUL in text, so one would fail the whole INSERT), and no text longer than its column.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session, select

from tracker.models import Posting, SourceState
from tracker.scrapers.text import bounded_text, clean_text

log = logging.getLogger(__name__)


def _lengths(model) -> dict[str, int]:
    return {c.name: c.type.length for c in model.__table__.columns if getattr(c.type, "length", None)}


POSTING_LENGTHS = _lengths(Posting)
STATE_LENGTHS = _lengths(SourceState)


def clean_row(row: dict) -> dict:
    """A posting's fields fit to store: text cleaned (clean_text) and cut to its column's length."""
    out = {}
    for key, value in row.items():
        if type(value) is str:  # enum members (PayUnit …) are left as they are
            limit = POSTING_LENGTHS.get(key)
            value = clean_text(value)[:limit] if limit else clean_text(value)
        out[key] = value
    return out


def header_value(value: str | None, column: str) -> str:
    """An ETag or Last-Modified as stored: cleaned, or dropped ('') when longer than its column
    (a cut validator would never match, so it is not worth keeping)."""
    value = clean_text(value).strip()
    if len(value) > STATE_LENGTHS[column]:
        header = {"etag": "ETag", "last_modified": "Last-Modified"}.get(column, column)
        log.info("%s 헤더가 %d자라 저장하지 않습니다 (최대 %d자).", header, len(value), STATE_LENGTHS[column])
        return ""
    return value


def error_text(value: str | None) -> str:
    """A source's last error as stored: cleaned, cut to the column."""
    return bounded_text(value, STATE_LENGTHS["last_error"])


def url_key(url: str) -> str:
    """A canonical URL without its scheme: http:// and https:// links to one page are one posting
    (사람인's API answers with http:// links that the site serves over https://)."""
    head, sep, rest = url.partition("://")
    return rest if sep and head.lower() in ("http", "https") else url


def _both_schemes(url: str) -> tuple[str, ...]:
    rest = url_key(url)
    return (f"http://{rest}", f"https://{rest}") if rest != url else (url,)


def save_postings(session: Session, rows: list[dict], now: datetime) -> int:
    """Insert the postings not seen before (by canonical URL, http and https alike, or by title +
    organisation); the ones seen before only get `last_seen`. Returns how many were new."""
    if not rows:
        return 0
    rows = [clean_row(r) for r in rows]
    urls = {variant for r in rows for variant in _both_schemes(r["url"])}
    keys = {r["dedupe_key"] for r in rows}
    existing = session.exec(
        select(Posting).where(Posting.url.in_(urls) | Posting.dedupe_key.in_(keys))
    ).all()
    seen_urls = {url_key(p.url): p for p in existing}
    seen_keys = {p.dedupe_key: p for p in existing}
    new = 0
    for row in rows:
        old = seen_urls.get(url_key(row["url"])) or seen_keys.get(row["dedupe_key"])
        if old is not None:
            old.last_seen = now
            continue
        posting = Posting(**row, first_seen=now, last_seen=now)
        session.add(posting)
        seen_urls[url_key(posting.url)] = posting
        seen_keys[posting.dedupe_key] = posting
        new += 1
    return new


def load_states(session: Session) -> dict[str, SourceState]:
    return {s.name: s for s in session.exec(select(SourceState)).all()}
