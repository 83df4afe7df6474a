"""Naver Search API, kind "naver_search": café posts (the only way to see them) and blog posts.
Needs NAVER_CLIENT_ID and NAVER_CLIENT_SECRET (an application registered at developers.naver.com).

    GET https://openapi.naver.com/v1/search/cafearticle.json?query=…&display=100&start=1&sort=date
    GET https://openapi.naver.com/v1/search/blog.json?query=…&display=100&start=1&sort=date
    headers X-Naver-Client-Id, X-Naver-Client-Secret

Answer: {"lastBuildDate", "total", "start", "display", "items": [...]}. A café item has title, link,
description, cafename, cafeurl; a blog item has title, link, description, bloggername, bloggerlink
and postdate (YYYYMMDD, no time). Titles and descriptions mark the query words with <b>…</b> and
carry HTML entities (&quot; &amp; &lt;): both are removed. Errors come as {"errorMessage",
"errorCode"} (with HTTP 400/401/403/429, which the fetcher reports; the JSON is read when it
arrives with 200).

Options: `query` (required unless `url` is given), `target` = "cafearticle" (default) or "blog",
`display` (1–100, default 100), `sort` = "date" (default) or "sim".
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from tracker.scrapers.base import ParseError, RawPosting, Request, Source, SourceDisabled
from tracker.scrapers.text import canonical_url, kst_midnight, plain_text, safe_date

API_URL = "https://openapi.naver.com/v1/search/{target}.json"
TARGETS = {"cafearticle": "네이버 카페", "blog": "네이버 블로그"}
SUMMARY_LIMIT = 500


def _text(value: Any) -> str:
    """Naver's marked-up text as plain text: <b> gone, entities decoded (twice-escaped ones too)."""
    text = plain_text(str(value or ""))
    return plain_text(text) if "&" in text or "<" in text else text


def _postdate(value: Any):
    value = str(value or "").strip()
    if len(value) != 8 or not value.isdigit():
        return None
    return kst_midnight(safe_date(int(value[:4]), int(value[4:6]), int(value[6:])))


def target_of(url: str) -> str:
    """"blog" for …/search/blog.json, else "cafearticle"."""
    path = urlsplit(url or "").path.rsplit("/", 1)[-1].lower()
    return "blog" if path.startswith("blog") else "cafearticle"


class NaverSearchSource(Source):
    kind = "naver_search"
    required = ("query",)
    env_keys = ("NAVER_CLIENT_ID", "NAVER_CLIENT_SECRET")

    def _target(self) -> str:
        target = str(self.config.options.get("target") or "").strip()
        if not target:
            return target_of(self.config.url) if self.config.url else "cafearticle"
        if target not in TARGETS:
            raise SourceDisabled(f"네이버 검색 소스의 target은 cafearticle 또는 blog여야 합니다: '{target}'")
        return target

    def disabled_reason(self) -> str | None:
        reason = super().disabled_reason()
        if reason:
            return reason
        try:
            self._target()
        except SourceDisabled as exc:
            return str(exc)
        return None

    def request(self) -> Request:
        options = self.config.options
        params: dict[str, str] = {}
        if not self.config.url:
            params["query"] = self.option("query", missing="네이버 검색 소스에는 검색어(query) 또는 url이 필요합니다.")
            try:
                display = min(100, max(1, int(options.get("display", 100))))
            except (TypeError, ValueError):
                raise SourceDisabled("네이버 검색 소스의 display는 1~100 사이의 숫자여야 합니다.") from None
            params.update(display=str(display), start="1", sort=str(options.get("sort") or "date"))
        return Request(
            self.config.url or API_URL.format(target=self._target()),
            params=params,
            headers={
                "X-Naver-Client-Id": self.env.get("NAVER_CLIENT_ID", ""),
                "X-Naver-Client-Secret": self.env.get("NAVER_CLIENT_SECRET", ""),
                "Accept": "application/json",
            },
        )

    def parse(self, content: bytes, url: str) -> list[RawPosting]:
        if not content or not content.strip():
            raise ParseError("네이버 검색 응답이 비어 있습니다.")
        try:
            data = json.loads(content)
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"네이버 검색 응답을 JSON으로 읽지 못했습니다({error}): 잘렸거나 JSON이 아닙니다.") from None
        if not isinstance(data, dict):
            raise ParseError("네이버 검색 응답 형식을 알 수 없습니다: 최상위가 객체가 아닙니다.")
        if "items" not in data:
            message = plain_text(str(data.get("errorMessage") or ""))
            code = plain_text(str(data.get("errorCode") or ""))
            if message or code:
                detail = f"{message} (코드 {code})" if message and code else message or f"코드 {code}"
                raise ParseError(f"네이버 검색 API 오류: {detail}")
            raise ParseError("네이버 검색 응답에 검색 결과(items)가 없습니다: 응답 형식이 바뀌었을 수 있습니다.")
        items = data.get("items") or []
        if not isinstance(items, list):
            raise ParseError("네이버 검색 응답의 items가 목록이 아닙니다.")

        postings: list[RawPosting] = []
        for item in items:
            if not isinstance(item, dict):
                continue
            title = _text(item.get("title"))
            link = canonical_url(str(item.get("link") or ""))
            if not title or not link:
                continue
            blog = "bloggername" in item or "postdate" in item
            organization = _text(item.get("bloggername") if blog else item.get("cafename"))
            summary = _text(item.get("description"))
            if len(summary) > SUMMARY_LIMIT:
                summary = summary[: SUMMARY_LIMIT - 1].rstrip() + "…"
            postings.append(RawPosting(
                title=title,
                url=link,
                published=_postdate(item.get("postdate")) if blog else None,
                organization=organization,
                summary=summary,
                external_id=link,
            ))
        return postings
