"""사람인 채용공고 검색 Open API, kind "saramin_api". Needs SARAMIN_ACCESS_KEY.

    GET https://oapi.saramin.co.kr/job-search?access-key=…&keywords=…&count=…
    (Accept: application/json, otherwise the answer is XML)

Answer: {"jobs": {"count", "start", "total", "job": [ {url, active, company: {detail: {href, name}},
position: {title, location: {code, name: "서울 &gt; 강남구"}, …}, salary: {code, name}, id,
"posting-timestamp", "expiration-timestamp" (Unix seconds, as strings), "close-type": {code, name}} ]}}.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from tracker.scrapers.base import ParseError, RawPosting, Request, Source
from tracker.scrapers.text import plain_text
from tracker.timeutil import KST

API_URL = "https://oapi.saramin.co.kr/job-search"


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _name(value: Any) -> str:
    """A field that is either a string or {"code", "name"}."""
    if isinstance(value, dict):
        value = value.get("name")
    return plain_text(str(value)) if value not in (None, "") else ""


def _moment(value: Any) -> datetime | None:
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, KST)
    except (OverflowError, OSError, ValueError):
        return None


def _kst_date(value: Any) -> date | None:
    moment = _moment(value)
    return moment.date() if moment else None


class SaraminApiSource(Source):
    kind = "saramin_api"
    required = ()
    env_keys = ("SARAMIN_ACCESS_KEY",)

    def request(self) -> Request:
        options = self.config.options
        return Request(
            self.config.url or API_URL,
            params={
                "access-key": self.env.get("SARAMIN_ACCESS_KEY", ""),
                "keywords": str(options.get("keywords", "데이터 라벨링")),
                "count": str(options.get("count", 100)),
            },
            headers={"Accept": "application/json"},
        )

    def parse(self, content: bytes, url: str) -> list[RawPosting]:
        if not content or not content.strip():
            raise ParseError("사람인 응답이 비어 있습니다.")
        try:
            data = json.loads(content)
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"사람인 응답을 JSON으로 읽지 못했습니다({error}): 잘렸거나 JSON이 아닙니다.") from None
        if not isinstance(data, dict) or not isinstance(data.get("jobs"), dict):
            message = code = ""
            if isinstance(data, dict):
                error = data.get("error") if isinstance(data.get("error"), dict) else data
                message = plain_text(str(error.get("message") or error.get("msg") or ""))
                code = str(error.get("code") if error.get("code") is not None else "").strip()
            if message or code:
                detail = f"{message} (코드 {code})" if message and code else message or f"코드 {code}"
                raise ParseError(f"사람인 API 오류: {detail}")
            raise ParseError("사람인 응답에 채용공고 목록(jobs)이 없습니다: 응답 형식이 바뀌었을 수 있습니다.")

        jobs = data["jobs"].get("job") or []
        if isinstance(jobs, dict):  # a single result may come unwrapped
            jobs = [jobs]
        postings: list[RawPosting] = []
        for job in jobs:
            if not isinstance(job, dict):
                continue
            title = plain_text(str(_dig(job, "position", "title") or ""))
            link = str(job.get("url") or "").strip()
            if not title or not link:
                continue
            organization = _dig(job, "company", "detail", "name") or _dig(job, "company", "name") or ""
            postings.append(RawPosting(
                title=title,
                url=link,
                published=_moment(job.get("posting-timestamp")),
                organization=plain_text(str(organization)),
                deadline=_kst_date(job.get("expiration-timestamp")),
                pay_text=_name(job.get("salary")),
                external_id=str(job.get("id") or "").strip(),
                region=_name(_dig(job, "position", "location")),
            ))
        return postings
