"""Google News search RSS: `https://news.google.com/rss/search?q=QUERY&hl=ko&gl=KR&ceid=KR:ko`.

Item titles read "headline - outlet"; `<source url=…>` names the outlet; links are
`news.google.com/rss/articles/…?oc=5` redirects (kept as they are, minus `oc`); pubDate is GMT.

The description is not the article's text: it is the item's own headline as a link followed by the
outlet (`<a href=LINK>headline</a>&nbsp;&nbsp;<font>outlet</font>`), or, for a story cluster, an
`<ol>` of such links, the first the item's own and the others OTHER outlets' headlines. Only the
item's own link text is kept as its summary, so pay, remote and task words of another outlet's
headline never become this item's fields.
"""
from __future__ import annotations

import dataclasses
from typing import Any, ClassVar
from urllib.parse import quote

from bs4 import BeautifulSoup

from tracker.scrapers.base import RawPosting
from tracker.scrapers.rss import RssSource
from tracker.scrapers.text import canonical_url, plain_text

SEARCH_URL = "https://news.google.com/rss/search"
LOCALE = "hl=ko&gl=KR&ceid=KR:ko"
_OUTLET_SEPARATOR = " - "


def search_url(query: str) -> str:
    """The Korean-edition search feed for `query` (URL-encoded, spaces as %20)."""
    return f"{SEARCH_URL}?q={quote(query.strip(), safe='')}&{LOCALE}"


def split_outlet(title: str, source: str) -> tuple[str, str]:
    """("headline", "outlet") from "headline - outlet".

    With a `<source>` name, the outlet is that name and the suffix is removed only when it is that
    name; without one, the title is split on its last " - ".
    """
    head, sep, tail = title.rpartition(_OUTLET_SEPARATOR)
    if source:
        if sep and head.strip() and tail.strip() == source:
            return head.strip(), source
        return title, source
    if sep and head.strip() and tail.strip():
        return head.strip(), tail.strip()
    return title, ""


class GoogleNewsSource(RssSource):
    """Options: `query` (required unless `url` is given; `url` wins when both are set)."""

    kind: ClassVar[str] = "google_news"
    required: ClassVar[tuple[str, ...]] = ("query",)

    def built_url(self) -> str:
        return search_url(self.option("query", missing="구글 뉴스 소스에는 검색어(query) 또는 url이 필요합니다."))

    def _posting(self, entry: Any, channel_title: str, base_url: str) -> RawPosting | None:
        posting = super()._posting(entry, channel_title, base_url)
        if posting is None:
            return None
        source = plain_text((entry.get("source") or {}).get("title"))
        headline, outlet = split_outlet(posting.title, source)
        if not headline:
            return None
        return dataclasses.replace(posting, title=headline, organization=outlet,
                                   summary=own_snippet(entry.get("summary") or "", posting.url))


def own_snippet(markup: str, link: str) -> str:
    """The item's own part of a Google News description: the text of the anchor that links to the
    item itself (else the first anchor), never the other outlets' headlines of a cluster. A
    description without links is the item's own text."""
    if "<" not in markup:
        return plain_text(markup)
    anchors = BeautifulSoup(markup, "html.parser").find_all("a")
    if not anchors:
        return plain_text(markup)
    own = next((a for a in anchors if canonical_url(a.get("href") or "") == link), anchors[0])
    return plain_text(own.decode_contents())
