"""The fetcher against a local server: retries, Retry-After, conditional GET, timeouts, politeness."""
from datetime import datetime, timezone

import pytest

from tests.localserver import LocalServer, Reply
from tracker.scrapers.base import Request
from tracker.scrapers.fetch import USER_AGENT, Fetcher, FetchTimeout, HttpStatusError, Limits, retry_after_seconds


class Sleeps(list):
    """Records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(round(seconds, 3))


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


def fetcher(sleeps=None, **kw) -> Fetcher:
    kw.setdefault("host_delay", 0)
    kw.setdefault("backoff", 0.5)
    return Fetcher(sleep=sleeps if sleeps is not None else Sleeps(), **kw)


def test_ok_sends_an_honest_user_agent(server):
    url = server.route("/feed", Reply(body=b"<rss/>", headers={"ETag": '"v1"'}))
    with fetcher() as f:
        result = f.get(Request(url))
    assert (result.status, result.content, result.etag) == (200, b"<rss/>", '"v1"')
    assert server.hits("/feed")[0].headers["User-Agent"] == USER_AGENT


def test_429_with_retry_after_is_retried_after_the_asked_wait(server):
    url = server.route("/feed", Reply(429, headers={"Retry-After": "7"}), Reply(body=b"ok"))
    sleeps = Sleeps()
    with fetcher(sleeps) as f:
        assert f.get(Request(url)).content == b"ok"
    assert sleeps == [7.0]
    assert len(server.hits("/feed")) == 2


def test_5xx_backs_off_exponentially_then_gives_up(server):
    url = server.route("/feed", Reply(500))
    sleeps = Sleeps()
    with fetcher(sleeps, retries=3) as f, pytest.raises(HttpStatusError) as info:
        f.get(Request(url))
    assert sleeps == [0.5, 1.0, 2.0]
    assert len(server.hits("/feed")) == 4
    assert (info.value.status, str(info.value)) == (500, "서버 오류가 났습니다 (500). 4번 시도했습니다.")


def test_retry_after_is_capped(server):
    url = server.route("/feed", Reply(503, headers={"Retry-After": "3600"}), Reply(body=b"ok"))
    sleeps = Sleeps()
    with fetcher(sleeps, max_wait=30, limits=Limits(source_deadline=120)) as f:  # 30 s fits in this source's time
        f.get(Request(url))
    assert sleeps == [30]


def test_403_is_not_retried(server):
    url = server.route("/feed", Reply(403))
    with fetcher() as f, pytest.raises(HttpStatusError) as info:
        f.get(Request(url))
    assert len(server.hits("/feed")) == 1
    assert str(info.value) == "접근을 거절했습니다 (403): 자동 수집을 막았거나 주소가 바뀌었을 수 있습니다."


def test_conditional_get_and_304(server):
    url = server.route("/feed", Reply(304))
    with fetcher() as f:
        result = f.get(Request(url), etag='"v1"', last_modified="Fri, 20 Nov 2026 09:30:00 GMT")
    assert result.not_modified and result.content == b""
    (hit,) = server.hits("/feed")
    assert hit.headers["If-None-Match"] == '"v1"'
    assert hit.headers["If-Modified-Since"] == "Fri, 20 Nov 2026 09:30:00 GMT"


def test_a_slow_server_times_out(server):
    url = server.route("/slow", Reply(body=b"late", delay=1.5))
    with fetcher(timeout=0.3, retries=1) as f, pytest.raises(FetchTimeout) as info:
        f.get(Request(url))
    assert str(info.value) == "0.3초 안에 응답이 없었습니다 (2번 시도)."


def test_polite_delay_between_requests_to_one_host(server):
    url = server.route("/feed", Reply(body=b"ok"))
    sleeps = Sleeps()
    with fetcher(sleeps, host_delay=5) as f:
        f.get(Request(url))
        f.get(Request(url))
    assert len(sleeps) == 1 and 4.5 < sleeps[0] <= 5


def test_retry_after_http_date():
    now = datetime(2026, 11, 22, 3, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Sun, 22 Nov 2026 03:00:30 GMT", now) == 30
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("soon") is None
