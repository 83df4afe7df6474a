"""Naver blog RSS: `https://rss.blog.naver.com/{blogId}.xml` (generator "Naver Blog").

Item links end in `?fromRss=true&trackingCode=rss`; they are removed so the same post keeps one URL.
The feed holds only the latest posts.
"""
from __future__ import annotations

from typing import ClassVar

from tracker.scrapers.rss import RssSource

FEED_URL = "https://rss.blog.naver.com/{blog_id}.xml"
_BLOG_ID = r"[A-Za-z0-9_-]+"


class NaverBlogSource(RssSource):
    """Options: `blog_id` (used when `url` is not given; one of the two is required)."""

    kind: ClassVar[str] = "naver_blog"
    required: ClassVar[tuple[str, ...]] = ("blog_id",)  # or a url, which always wins

    def _entry_organization(self, entry, channel_title: str) -> str:
        """Naver's <author> is the blog id; the blog's title says more."""
        return channel_title or super()._entry_organization(entry, channel_title)

    def built_url(self) -> str:
        blog_id = self.option(
            "blog_id", missing="네이버 블로그 소스에는 url 또는 blog_id(블로그 아이디)가 필요합니다.",
            pattern=_BLOG_ID, wrong="네이버 블로그 아이디가 올바르지 않습니다: '{value}' "
                                    "(blog.naver.com/ 뒤의 영문·숫자·_·- 부분만 적어 주세요).",
        )
        return FEED_URL.format(blog_id=blog_id)
