"""Refreshing without freezing: one run at a time (in the database), progress per source, request
starts spaced per host instead of one request at a time, a deadline per source."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.localserver import LocalServer, Reply
from tracker.db import session_scope
from tracker.models import RefreshRun
from tracker.scrapers import runner
from tracker.scrapers.base import SourceConfig
from tracker.scrapers.fetch import SOURCE_DEADLINE, Fetcher, Limits
from tracker.scrapers.runner import claim_refresh, refresh_status, run_refresh, run_sources, start_refresh
from tracker.timeutil import now_kst

RSS = (b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
       b'<item><title>%s \xeb\x8d\xb0\xec\x9d\xb4\xed\x84\xb0 \xeb\x9d\xbc\xeb\xb2\xa8\xeb\xa7\x81 \xeb\xaa\xa8\xec\xa7\x91</title>'
       b'<link>https://example.com/%s</link></item></channel></rss>')


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


def feed(n: int, **kw) -> Reply:
    return Reply(body=RSS % (str(n).encode(), str(n).encode()), headers={"Content-Type": "application/rss+xml"}, **kw)


def test_one_run_at_a_time_in_the_database(engine):
    first = claim_refresh(engine, 3)
    assert first is not None
    assert claim_refresh(engine, 3) is None  # a second click, another tab, another process
    with pytest.raises(sa.exc.IntegrityError):  # the unique column refuses it even past the check
        with session_scope(engine) as session:
            session.add(RefreshRun(total=1))
    runner._finish(engine, first)
    second = claim_refresh(engine, 2)
    assert second is not None and second != first
    assert (refresh_status(engine, first).active, refresh_status(engine).id) == (False, second)


def test_a_run_whose_process_died_is_taken_over(engine):
    dead = claim_refresh(engine, 1)
    with session_scope(engine) as session:
        session.get(RefreshRun, dead).heartbeat = now_kst() - runner.STALE_AFTER - timedelta(seconds=1)
    fresh = claim_refresh(engine, 1)
    assert fresh is not None
    old = refresh_status(engine, dead)
    assert (old.active, old.error) == (False, "끝났다는 기록 없이 멈췄습니다 (앱이 다시 시작되었을 수 있습니다).")


def test_progress_is_written_per_source_and_the_run_is_closed(engine, server):
    configs = [SourceConfig("좋은 곳", "rss", server.route("/a", feed(1))),
               SourceConfig("고장", "rss", server.route("/b", Reply(404))),
               SourceConfig("꺼 둔 곳", "rss", server.base + "/c", enabled=False)]
    run = claim_refresh(engine, 2)
    run_refresh(engine, run, configs, fetcher=Fetcher(host_delay=0), env={})
    status = refresh_status(engine, run)
    assert (status.active, status.total, status.done, status.new, status.failed, status.error) == (
        False, 2, 2, 1, 1, "")
    assert (status.lines[0]["name"], status.lines[0]["state"]) == ("꺼 둔 곳", "off")  # reported first
    assert {(line["name"], line["state"]) for line in status.lines[1:]} == {("좋은 곳", "ok"), ("고장", "failed")}
    assert {line["name"]: line["line"] for line in status.lines}["고장"] == (
        "[실패] 고장: 페이지가 없습니다 (404): 주소가 바뀌었을 수 있습니다.")
    assert status.finished is not None


def test_a_run_that_crashes_is_closed_with_its_error(engine, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("디스크가 가득 찼습니다")

    monkeypatch.setattr(runner, "run_sources", broken)
    run = claim_refresh(engine, 1)
    assert run_refresh(engine, run, []) == []
    status = refresh_status(engine, run)
    assert (status.active, status.error) == (False, "새로 가져오기가 중간에 멈췄습니다: RuntimeError: 디스크가 가득 찼습니다")


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_start_refresh_returns_at_once_and_refuses_a_second(engine, server):
    gate = threading.Event()
    configs = [SourceConfig("느림", "rss", server.route("/slow", feed(1, gate=gate)))]
    run = start_refresh(engine, configs, fetcher=Fetcher(host_delay=0), env={})
    assert run is not None and not gate.is_set()  # returned while the source is held unanswered
    assert start_refresh(engine, configs, env={}) is None
    assert refresh_status(engine).active
    gate.set()
    assert wait_until(lambda: not refresh_status(engine).active)
    assert (refresh_status(engine).new, refresh_status(engine).done) == (1, 1)
    assert len(server.hits("/slow")) == 1


def test_sources_on_one_host_overlap_with_their_starts_spaced(engine, server):
    gate = threading.Event()
    configs = [SourceConfig(f"소스 {n}", "rss", server.route(f"/s{n}", feed(n, gate=gate))) for n in range(7)]
    results: list = []
    worker = threading.Thread(target=lambda: results.extend(
        run_sources(engine, configs, fetcher=Fetcher(host_delay=0.25), env={})))
    worker.start()
    try:  # one request at a time would leave six unasked while the first is held
        assert wait_until(lambda: len(server.requests) == 7), f"{len(server.requests)} of 7 asked at once"
    finally:
        gate.set()
        worker.join(timeout=30)
    assert all(r.ok for r in results) and sum(r.new for r in results) == 7
    starts = sorted(hit.at for hit in server.requests)
    assert len(starts) == 7 and starts[-1] - starts[0] >= 6 * 0.25 - 0.05  # 0.25 s between starts (server-side
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.1  # clock, so a little scheduling jitter)


def test_a_hanging_source_stops_at_its_deadline_and_holds_up_nobody(engine, server):
    configs = [SourceConfig("멈춘 곳", "rss", server.route("/hang", Reply(body=b"", delay=30)), options={"source_deadline": 2}),
               *[SourceConfig(f"소스 {n}", "rss", server.route(f"/s{n}", feed(n))) for n in range(3)]]
    finished: dict[str, float] = {}
    started = time.monotonic()
    results = run_sources(engine, configs, fetcher=Fetcher(host_delay=0.1, timeout=1.5), env={},
                          on_result=lambda r: finished.setdefault(r.name, time.monotonic() - started))
    by_name = {r.name: r for r in results}
    assert by_name["멈춘 곳"].error == "이 소스에 주어진 2초를 다 써서 그만두었습니다 (다시 시도한 시간 포함)."
    assert max(finished[f"소스 {n}"] for n in range(3)) < 1.4  # not behind the hanging one (1.5 s and more)
    assert 1.4 <= finished["멈춘 곳"] < 3.5  # 1.5 s timed out; a retry (1.5 s more after 1 s) is not made


def test_the_default_source_deadline_is_twenty_seconds():
    assert SOURCE_DEADLINE == 20.0 == Limits().source_deadline
