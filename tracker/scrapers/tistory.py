"""Tistory RSS: `https://{blog}.tistory.com/rss` (generator "TISTORY"; pubDate with +0900)."""
from __future__ import annotations

from typing import ClassVar

from tracker.scrapers.rss import RssSource

FEED_URL = "https://{blog}.tistory.com/rss"
_BLOG = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"


class TistorySource(RssSource):
    """Options: `blog`, the subdomain of `{blog}.tistory.com` (used when `url` is not given)."""

    kind: ClassVar[str] = "tistory"
    required: ClassVar[tuple[str, ...]] = ("blog",)  # or a url, which always wins

    def built_url(self) -> str:
        blog = self.option(
            "blog", missing="티스토리 소스에는 url 또는 blog(블로그 주소의 앞부분)가 필요합니다.",
            pattern=_BLOG, wrong="티스토리 블로그 이름이 올바르지 않습니다: '{value}' "
                                 "(https://이름.tistory.com 의 '이름' 부분만 적어 주세요).",
        )
        return FEED_URL.format(blog=blog.lower())
