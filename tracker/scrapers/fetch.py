"""HTTP for every source: a careful guest.

- an honest User-Agent, conditional GET (ETag, Last-Modified), request STARTS spaced one second
  apart per host (a slot is booked, then the request runs without holding anything, so sources on
  one host overlap and a hanging one does not hold the others up);
- retries on 429 and 5xx with back-off (Retry-After honoured, capped);
- a size cap on every answer AFTER decompression, enforced while streaming (a gzip bomb is never
  inflated past the cap: reading stops there);
- a wall-clock deadline per request (redirects included; a server that drips a byte at a time is
  cut off, headers included) and one per source run (retries and their waits included);
- redirects followed here, at most MAX_REDIRECTS, each hop checked by the address guard
  (tracker.scrapers.guard): no loopback, private, link-local … addresses unless
  TRACKER_ALLOW_PRIVATE_URLS=1.

Every failure becomes a ScrapeError subclass whose message is a Korean sentence for the source's
health line; nothing here decides what the content means.
"""
from __future__ import annotations

import logging
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from tracker.scrapers.base import Request, ScrapeError
from tracker.scrapers.guard import DEADLINE, AddressGuard, guarded_transport
from tracker.scrapers.redact import install_log_masking, is_secret_name, mask_url, remember, secret_values

log = logging.getLogger(__name__)
install_log_masking()  # httpx logs full request URLs, keys included

USER_AGENT = "LabelerLedger/0.1 (personal recruitment radar of one data labeler; conditional GET, 1 request per second per host)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
STATUS_SENTENCES = {
    401: "인증이 필요하다고 거절했습니다 (401): API 키를 확인하세요.",
    403: "접근을 거절했습니다 (403): 자동 수집을 막았거나 주소가 바뀌었을 수 있습니다.",
    404: "페이지가 없습니다 (404): 주소가 바뀌었을 수 있습니다.",
    410: "페이지가 사라졌습니다 (410).",
    429: "요청이 너무 잦다고 거절했습니다 (429).",
}

#: the most a source's answer may be, after decompression (data/sources.toml: `max_response_mb`)
MAX_RESPONSE_BYTES = 5 * 1024 * 1024
#: seconds one request may take from connecting to the last byte, redirects included (`request_deadline`)
REQUEST_DEADLINE = 20.0
#: seconds one source's fetch may take, retries and their waits included (`source_deadline`):
#: a hanging source gives up after this, whatever its retries would have cost (3 × 10 s before)
SOURCE_DEADLINE = 20.0
MAX_REDIRECTS = 5
#: only what `_Inflater` can decode with bounded memory
ACCEPT_ENCODING = "gzip, deflate"
_INFLATE_STEP = 64 * 1024  # at most this much inflated output per zlib call


def size_text(limit: int) -> str:
    """5242880 → '5 MB', 1572864 → '1.5 MB', 65536 → '64 KB'."""
    if limit >= 1024 * 1024:
        return f"{round(limit / (1024 * 1024), 1):g} MB"
    return f"{max(1, round(limit / 1024)):g} KB"


class HttpStatusError(ScrapeError):
    def __init__(self, status: int, url: str, attempts: int = 1, note: str = ""):
        self.status = status
        self.url = url
        self.attempts = attempts
        sentence = STATUS_SENTENCES.get(status) or (
            f"서버 오류가 났습니다 ({status})." if status >= 500
            else f"다른 주소로 보낸다고 했지만 그 주소가 없습니다 ({status})." if 300 <= status < 400
            else f"요청을 거절했습니다 ({status})."
        )
        if attempts > 1:
            sentence += f" {attempts}번 시도했습니다."
        super().__init__(sentence + (f" {note}" if note else ""))


class FetchTimeout(ScrapeError):
    def __init__(self, url: str, seconds: float, attempts: int = 1):
        self.url = url
        super().__init__(f"{seconds:g}초 안에 응답이 없었습니다" + (f" ({attempts}번 시도)." if attempts > 1 else "."))


class DeadlineExceeded(ScrapeError):
    """One request went on past its wall-clock deadline (a server that drips its answer)."""

    def __init__(self, url: str, seconds: float):
        self.url = url
        super().__init__(f"응답을 {seconds:g}초 안에 다 받지 못해 끊었습니다: 서버가 너무 느리게 보냅니다.")


class SourceDeadlineExceeded(ScrapeError):
    """The source's whole fetch (retries and waits included) went past its deadline."""

    def __init__(self, url: str, seconds: float):
        self.url = url
        super().__init__(f"이 소스에 주어진 {seconds:g}초를 다 써서 그만두었습니다 (다시 시도한 시간 포함).")


class ResponseTooLarge(ScrapeError):
    def __init__(self, url: str, limit: int):
        self.url, self.limit = url, limit
        super().__init__(f"응답이 너무 큽니다 ({size_text(limit)} 초과): 거기서 읽기를 멈췄고 아무것도 저장하지 않았습니다.")


class BadEncoding(ScrapeError):
    """The answer's Content-Encoding is not one we asked for, or the compressed body is broken."""


class TooManyRedirects(ScrapeError):
    def __init__(self, url: str):
        self.url = url
        super().__init__(f"다른 주소로 너무 여러 번 보냈습니다 (리디렉션 {MAX_REDIRECTS}번 초과).")


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


@dataclass(frozen=True)
class Limits:
    """What one source may cost: bytes after decompression, seconds per request, seconds in all."""

    max_bytes: int = MAX_RESPONSE_BYTES
    request_deadline: float = REQUEST_DEADLINE
    source_deadline: float = SOURCE_DEADLINE


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


class _Inflater:
    """Content-Encoding gzip/deflate undone with bounded output per step (zlib's max_length)."""

    def __init__(self, encoding: str, url: str):
        self.encoding, self.url = encoding, url
        if encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()  # zlib-wrapped; raw deflate is tried on the first error
        else:
            raise BadEncoding(f"응답의 압축 방식({encoding[:40]})을 읽을 수 없습니다: gzip·deflate만 받습니다.")
        self._started = False

    def _broken(self) -> BadEncoding:
        return BadEncoding("압축된 응답을 풀지 못했습니다: 깨졌거나 중간에 끊겼습니다.")

    def feed(self, data: bytes):
        """Yield the inflated output of `data`, at most _INFLATE_STEP bytes at a time."""
        while True:
            try:
                piece = self._z.decompress(data, _INFLATE_STEP)
            except zlib.error:
                if self.encoding == "deflate" and not self._started:
                    self._z, self._started = zlib.decompressobj(-zlib.MAX_WBITS), True
                    continue
                raise self._broken() from None
            self._started = True
            if piece:
                yield piece
            data = self._z.unconsumed_tail
            if not data and len(piece) < _INFLATE_STEP:
                return

    def flush(self) -> bytes:
        try:
            return self._z.flush()
        except zlib.error:
            raise self._broken() from None


def read_capped(response: httpx.Response, limit: int, deadline: float | None = None) -> bytes:
    """The body of a streamed response, decompressed, refusing (ResponseTooLarge) as soon as it
    passes `limit` bytes; the compressed bytes count against the limit too. Checks `deadline`
    (time.monotonic()) between chunks."""
    url = str(response.url)
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        inflater = None
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise ResponseTooLarge(url, limit)  # not a byte read
    else:
        inflater = _Inflater(encoding, url)
    body = bytearray()
    received = 0

    def take(piece: bytes) -> None:
        body.extend(piece)
        if len(body) > limit:
            raise ResponseTooLarge(url, limit)

    for raw in response.iter_raw():
        received += len(raw)
        if received > limit:
            raise ResponseTooLarge(url, limit)
        if inflater is None:
            take(raw)
        else:
            for piece in inflater.feed(raw):
                take(piece)
        if deadline is not None and time.monotonic() >= deadline:
            raise httpx.ReadTimeout("the request's deadline has passed")
    if inflater is not None:
        take(inflater.flush())
    return bytes(body)


@dataclass
class _Answer:
    status: int
    url: str
    content: bytes
    headers: httpx.Headers


class Fetcher:
    """One client for a whole run, shared by the worker threads.

    `host_delay` seconds pass between the starts of two requests to the same host (politeness; the
    requests themselves may overlap). Retries on 429
    and 5xx wait `backoff × 2^attempt` seconds, or what Retry-After asks, capped at `max_wait`,
    and never past the source's deadline. `timeout` bounds each connect and read; `limits` the
    size and the wall-clock time of each request and source (see Limits). `guard` decides which
    addresses may be contacted (default: public ones, unless TRACKER_ALLOW_PRIVATE_URLS=1).
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
        limits: Limits | None = None,
        guard: AddressGuard | None = None,
    ):
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.host_delay = host_delay
        self.sleep = sleep
        self.limits = limits or Limits()
        self.guard = guard or AddressGuard()
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=False,
            headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            transport=transport or guarded_transport(self.guard),
        )
        self._hosts: dict[str, float] = {}  # host → the start time booked last (time.monotonic())
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _wait_for_host(self, url: str) -> None:
        """Book this request's start slot on its host (`host_delay` after the last booked one) under
        a short lock, then wait for it without the lock: starts are spaced, requests overlap."""
        host = urlsplit(url).netloc
        with self._lock:
            now = time.monotonic()
            last = self._hosts.get(host)
            start = now if last is None or self.host_delay <= 0 else max(now, last + self.host_delay)
            self._hosts[host] = start
        if start > now:
            self.sleep(start - now)

    def _timeout(self, end: float) -> dict:
        left = max(0.001, end - time.monotonic())
        return httpx.Timeout(min(self.timeout, left)).as_dict()

    def _attempt(self, request: Request, headers: Mapping[str, str], end: float, limit: int) -> _Answer:
        """One request and its redirects, each hop checked, all of it by `end` (time.monotonic())."""
        params = dict(request.params) or None
        self.guard.check_url(request.url)  # as written: httpx would read "file:///x" as the path "/x"
        outgoing = self.client.build_request("GET", request.url, params=params, headers=dict(headers))
        token = DEADLINE.set(end)
        try:
            for hop in range(MAX_REDIRECTS + 1):
                if hop:  # the first hop was checked above
                    self.guard.check_url(outgoing.url, redirect=True)
                outgoing.extensions = {**outgoing.extensions, "timeout": self._timeout(end)}
                log.debug("GET %s", mask_url(str(outgoing.url)))
                response = self.client.send(outgoing, stream=True, follow_redirects=False)
                try:
                    if response.next_request is not None:
                        log.debug("%s → %s (%d)", mask_url(str(outgoing.url)),
                                 mask_url(str(response.next_request.url)), response.status_code)
                        outgoing = response.next_request
                        continue
                    content = b""
                    if response.status_code < 300:
                        content = read_capped(response, limit, end)
                    return _Answer(response.status_code, str(response.url), content, response.headers)
                finally:
                    response.close()
            raise TooManyRedirects(request.url)
        finally:
            DEADLINE.reset(token)

    def get(self, request: Request, *, etag: str = "", last_modified: str = "",
            limits: Limits | None = None) -> FetchResult:
        limits = limits or self.limits
        headers: dict[str, str] = {k: v for k, v in request.headers.items() if k.lower() != "accept-encoding"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        secrets = secret_values(params=request.params, headers=request.headers)
        remember(secrets)
        shown = mask_url(request.url, secrets)
        attempts = 0
        started: float | None = None
        while True:
            attempts += 1
            self._wait_for_host(request.url)
            now = time.monotonic()
            if started is None:  # the source's clock starts with its first request, not in the queue
                started = now
            source_end = started + limits.source_deadline
            if now >= source_end:
                raise SourceDeadlineExceeded(request.url, limits.source_deadline)
            end = min(now + limits.request_deadline, source_end)
            try:
                answer = self._attempt(request, headers, end, limits.max_bytes)
            except httpx.TimeoutException:
                if time.monotonic() >= end - 0.01:  # the wall clock, not one slow read
                    if end >= source_end:
                        raise SourceDeadlineExceeded(request.url, limits.source_deadline) from None
                    raise DeadlineExceeded(request.url, limits.request_deadline) from None
                if attempts > self.retries:
                    raise FetchTimeout(request.url, self.timeout, attempts) from None
                answer, wait = None, self.backoff * 2 ** (attempts - 1)
                log.info("%s: %g초 안에 응답이 없어 %g초 뒤 다시 시도합니다 (%d번째 시도 뒤).", shown,
                         self.timeout, min(wait, self.max_wait), attempts)
            except httpx.HTTPError as exc:
                raise ConnectionFailed(request.url, type(exc).__name__) from None
            if answer is not None:
                if answer.status == 304:
                    return FetchResult(answer.url, 304, b"", etag, last_modified)
                if answer.status in RETRY_STATUSES and attempts <= self.retries:
                    asked = retry_after_seconds(answer.headers.get("Retry-After"))
                    wait = asked if asked is not None else self.backoff * 2 ** (attempts - 1)
                    wait = min(wait, self.max_wait)
                    if time.monotonic() + wait >= source_end:
                        raise HttpStatusError(answer.status, request.url, attempts, note=(
                            f"다시 시도하려면 {wait:g}초를 기다려야 하는데, 이 소스에 주어진 "
                            f"{limits.source_deadline:g}초를 넘겨 그만두었습니다."))
                    log.info("%s: 상태 %d, %g초 뒤 다시 시도합니다 (%d번째 시도 뒤).", shown, answer.status, wait,
                             attempts)
                    self.sleep(wait)
                    continue
                if answer.status >= 300:  # 4xx, 5xx, or a 3xx without a Location to follow
                    raise HttpStatusError(answer.status, request.url, attempts)
                return FetchResult(
                    answer.url, answer.status, answer.content,
                    answer.headers.get("ETag", ""), answer.headers.get("Last-Modified", ""),
                )
            if time.monotonic() + wait >= source_end:
                raise SourceDeadlineExceeded(request.url, limits.source_deadline)
            self.sleep(min(wait, self.max_wait))


def describe(params: Mapping[str, str] | None, secret_keys: tuple[str, ...] = ()) -> str:
    """Request parameters for a log line, with secrets masked (the named ones and any key/secret/token)."""
    if not params:
        return ""
    return "&".join(f"{k}={'***' if k in secret_keys or is_secret_name(k) else v}" for k, v in params.items())
