"""HTTP for every source: timeout, honest User-Agent, retries with back-off, conditional GET, politeness.

Every failure becomes a ScrapeError subclass whose message is a Korean sentence for the source's
health line; nothing here decides what the content means.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from tracker.scrapers.base import Request, ScrapeError

USER_AGENT = "LabelerLedger/0.1 (personal recruitment radar of one data labeler; conditional GET, 1 request per second per host)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
STATUS_SENTENCES = {
    401: "인증이 필요하다고 거절했습니다 (401): API 키를 확인하세요.",
    403: "접근을 거절했습니다 (403): 자동 수집을 막았거나 주소가 바뀌었을 수 있습니다.",
    404: "페이지가 없습니다 (404): 주소가 바뀌었을 수 있습니다.",
    410: "페이지가 사라졌습니다 (410).",
    429: "요청이 너무 잦다고 거절했습니다 (429).",
}


class HttpStatusError(ScrapeError):
    def __init__(self, status: int, url: str, attempts: int = 1):
        self.status = status
        self.url = url
        self.attempts = attempts
        sentence = STATUS_SENTENCES.get(status) or (
            f"서버 오류가 났습니다 ({status})." if status >= 500 else f"요청을 거절했습니다 ({status})."
        )
        if attempts > 1:
            sentence += f" {attempts}번 시도했습니다."
        super().__init__(sentence)


class FetchTimeout(ScrapeError):
    def __init__(self, url: str, seconds: float, attempts: int = 1):
        self.url = url
        super().__init__(f"{seconds:g}초 안에 응답이 없었습니다" + (f" ({attempts}번 시도)." if attempts > 1 else "."))


class ConnectionFailed(ScrapeError):
    def __init__(self, url: str, reason: str):
        self.url = url
        super().__init__(f"서버에 연결하지 못했습니다: {reason}")


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: int  # 200 or 304
    content: bytes = b""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - (now or datetime.now(timezone.utc))).total_seconds())


class Fetcher:
    """One client for a whole run, shared by the worker threads.

    `host_delay` seconds pass between two requests to the same host (politeness). Retries on 429
    and 5xx wait `backoff × 2^attempt` seconds, or what Retry-After asks, capped at `max_wait`.
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        host_delay: float = 1.0,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.host_delay = host_delay
        self.sleep = sleep
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=True, headers={"User-Agent": user_agent},
            transport=transport,
        )
        self._hosts: dict[str, float] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _polite(self, url: str) -> threading.Lock:
        host = urlsplit(url).netloc
        with self._lock:
            lock = self._host_locks.setdefault(host, threading.Lock())
        return lock

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self._hosts.get(host)
        if last is not None and self.host_delay > 0:
            remaining = self.host_delay - (time.monotonic() - last)
            if remaining > 0:
                self.sleep(remaining)
        self._hosts[host] = time.monotonic()

    def get(self, request: Request, *, etag: str = "", last_modified: str = "") -> FetchResult:
        headers: dict[str, str] = dict(request.headers)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = 0
        while True:
            attempts += 1
            with self._polite(request.url):
                self._wait_for_host(request.url)
                try:
                    response = self.client.get(request.url, params=dict(request.params) or None, headers=headers)
                except httpx.TimeoutException:
                    if attempts <= self.retries:
                        wait = self.backoff * 2 ** (attempts - 1)
                    else:
                        raise FetchTimeout(request.url, self.timeout, attempts) from None
                    response = None
                except httpx.HTTPError as exc:
                    raise ConnectionFailed(request.url, type(exc).__name__) from None
            if response is None:
                self.sleep(min(wait, self.max_wait))
                continue
            if response.status_code == 304:
                return FetchResult(str(response.url), 304, b"", etag, last_modified)
            if response.status_code in RETRY_STATUSES and attempts <= self.retries:
                asked = retry_after_seconds(response.headers.get("Retry-After"))
                wait = asked if asked is not None else self.backoff * 2 ** (attempts - 1)
                self.sleep(min(wait, self.max_wait))
                continue
            if response.status_code >= 400:
                raise HttpStatusError(response.status_code, request.url, attempts)
            return FetchResult(
                str(response.url), response.status_code, response.content,
                response.headers.get("ETag", ""), response.headers.get("Last-Modified", ""),
            )


def describe(params: Mapping[str, str] | None, secret_keys: tuple[str, ...] = ()) -> str:
    """Request parameters for a log line, with secrets masked."""
    if not params:
        return ""
    return "&".join(f"{k}={'***' if k in secret_keys else v}" for k, v in params.items())
