"""Saving postings without duplicates, and remembering each source's health."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from tracker.models import Posting, SourceState


def save_postings(session: Session, rows: list[dict], now: datetime) -> int:
    """Insert the postings not seen before (by canonical URL or by title + organisation); the
    ones seen before only get `last_seen`. Returns how many were new."""
    if not rows:
        return 0
    urls = {r["url"] for r in rows}
    keys = {r["dedupe_key"] for r in rows}
    existing = session.exec(
        select(Posting).where(Posting.url.in_(urls) | Posting.dedupe_key.in_(keys))
    ).all()
    seen_urls = {p.url: p for p in existing}
    seen_keys = {p.dedupe_key: p for p in existing}
    new = 0
    for row in rows:
        old = seen_urls.get(row["url"]) or seen_keys.get(row["dedupe_key"])
        if old is not None:
            old.last_seen = now
            continue
        posting = Posting(**row, first_seen=now, last_seen=now)
        session.add(posting)
        seen_urls[posting.url] = posting
        seen_keys[posting.dedupe_key] = posting
        new += 1
    return new


def load_states(session: Session) -> dict[str, SourceState]:
    return {s.name: s for s in session.exec(select(SourceState)).all()}
