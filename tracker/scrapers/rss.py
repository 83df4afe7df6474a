"""Any RSS 0.9x/1.0/2.0 or Atom feed, read with feedparser.

The feed-specific kinds (google_news, naver_blog, tistory) subclass `RssSource`: they only say
which URL to fetch and, where a feed needs it, override `_posting` or one of the `_entry_*` hooks.
"""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from typing import Any, ClassVar
from urllib.parse import urljoin

import feedparser

from tracker.scrapers.base import ParseError, RawPosting, Request, Source
from tracker.scrapers.text import canonical_url, plain_text, to_kst

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, "
    "text/xml;q=0.8, */*;q=0.5"
)

# feedparser sets `bozo` for these even when the document is a complete, well-formed feed.
_BENIGN_BOZO = (feedparser.CharacterEncodingOverride,)
# Closing tags of items/entries, namespaced or not: on a broken feed, only this many are complete.
_ITEM_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL)
_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _brief(text: str, limit: int = 120) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bozo_message(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    return _brief(str(exc) or type(exc).__name__) if exc is not None else ""


def _not_a_feed_detail(content: bytes, parsed: Any) -> str:
    """Why `content` is not a feed, in Korean, for the source's health line."""
    if not content.strip():
        return "받은 내용이 비어 있습니다"
    head = content[:65536]
    if _HTML_START.match(head):
        match = _HTML_TITLE.search(head)
        title = plain_text(match.group(1).decode("utf-8", "replace")) if match else ""
        detail = "HTML 페이지를 받았습니다" + (f" (제목: {_brief(title, 60)})" if title else "")
    else:
        detail = "channel/feed 요소도 항목도 찾지 못했습니다"
    error = _bozo_message(parsed)
    return f"{detail}; 파서 오류: {error}" if error else detail


def read_feed(content: bytes) -> tuple[Any, list[Any]]:
    """Parse bytes as a feed: (feedparser result, complete entries). Raises ParseError.

    - no feed at all (HTML page, garbage, empty body): ParseError "RSS/Atom 피드가 아닙니다: …";
    - a broken feed (truncated, malformed) keeps only the entries that were closed before the
      break, and raises if none was;
    - a valid feed with zero items returns no entries (not an error).
    """
    content = content or b""
    # A stream, never bytes: given bytes, feedparser first tries them as a local file name.
    parsed = feedparser.parse(io.BytesIO(content))
    entries = list(parsed.get("entries") or [])
    broken = bool(parsed.get("bozo")) and not isinstance(parsed.get("bozo_exception"), _BENIGN_BOZO)
    if not parsed.get("version") and not entries:
        raise ParseError(f"RSS/Atom 피드가 아닙니다: {_not_a_feed_detail(content, parsed)}")
    if broken:
        # feedparser's lenient fallback also returns the item that was cut off; drop it.
        entries = entries[: len(_ITEM_END.findall(content))]
        if not entries:
            raise ParseError(
                f"RSS/Atom 피드가 깨져 있어 완전한 항목을 하나도 읽지 못했습니다 (중간에 끊긴 응답일 수 있습니다): "
                f"{_bozo_message(parsed)}"
            )
    return parsed, entries


def entry_datetime(entry: Any) -> datetime | None:
    """The entry's publication time (or, lacking it, its update time) in Korean time."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        moment = entry.get(key)
        if moment:
            try:
                return to_kst(datetime(*moment[:6], tzinfo=timezone.utc))
            except (TypeError, ValueError):
                continue
    return None


class RssSource(Source):
    """Any RSS or Atom feed at `url`."""

    kind: ClassVar[str] = "rss"
    #: summaries are cut to this many characters
    summary_limit: ClassVar[int] = 500

    def request(self) -> Request:
        return Request(self.feed_url(), headers={"Accept": FEED_ACCEPT})

    def feed_url(self) -> str:
        """The URL to fetch: the configured `url` when given, else what the subclass builds from its options."""
        return self.config.url or self.built_url()

    def built_url(self) -> str:
        """Subclasses without a configured url build one from their options (a plain RSS source needs a url)."""
        return self.config.url

    def parse(self, content: bytes, url: str) -> list[RawPosting]:
        parsed, entries = read_feed(content)
        channel_title = plain_text(parsed.feed.get("title"))
        postings = []
        for entry in entries:
            posting = self._posting(entry, channel_title, url)
            if posting is not None:
                postings.append(posting)
        return postings

    # -- one entry ---------------------------------------------------------------------------

    def _posting(self, entry: Any, channel_title: str, base_url: str) -> RawPosting | None:
        """One entry as a RawPosting, or None when it has no title or no usable link."""
        title = plain_text(entry.get("title"))
        link = self._entry_link(entry, base_url)
        if not title or not link:
            return None
        return RawPosting(
            title=title,
            url=link,
            published=entry_datetime(entry),
            organization=self._entry_organization(entry, channel_title),
            summary=self._entry_summary(entry),
            external_id=self._entry_external_id(entry, link),
        )

    def _entry_link(self, entry: Any, base_url: str) -> str:
        """The entry's absolute http(s) link without tracking parameters, or ''."""
        link = (entry.get("link") or "").strip()
        if not link:
            return ""
        return canonical_url(urljoin(base_url or "", link))  # '' for e.g. feedparser's fallback to a `tag:` id

    def _entry_organization(self, entry: Any, channel_title: str) -> str:
        """The entry's author name, else the feed's title."""
        detail = entry.get("author_detail") or {}
        name = plain_text(detail.get("name"))
        if not name:
            author = plain_text(entry.get("author"))
            name = author if "@" not in author else ""  # a bare e-mail address names nobody
        return name or channel_title

    def _entry_summary(self, entry: Any) -> str:
        markup = entry.get("summary")
        if not markup and entry.get("content"):
            markup = entry["content"][0].get("value")
        text = plain_text(markup)
        if len(text) > self.summary_limit:
            text = text[: self.summary_limit - 1].rstrip() + "…"
        return text

    def _entry_external_id(self, entry: Any, link: str) -> str:
        """The guid/id (a URL one without tracking parameters), else the canonical link."""
        guid = (entry.get("id") or "").strip()
        if guid.lower().startswith(("http://", "https://")):
            guid = canonical_url(guid)
        return guid or link
