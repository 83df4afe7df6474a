"""The radar as a careful guest: size caps, deadlines, the address guard, clean storage, masked keys,
Markdown-safe pages. Everything against 127.0.0.1; no internet."""
from __future__ import annotations

import gzip
import ipaddress
import logging
import os
import re
import subprocess
import sys
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.localserver import LocalServer, Reply
from tracker.models import Posting, SourceState
from tracker.scrapers import runner
from tracker.scrapers.base import RawPosting, Request, SourceConfig
from tracker.scrapers.config import load_sources
from tracker.scrapers.registry import KINDS
from tracker.scrapers.fetch import (
    BadEncoding,
    DeadlineExceeded,
    Fetcher,
    HttpStatusError,
    Limits,
    ResponseTooLarge,
    SourceDeadlineExceeded,
    TooManyRedirects,
)
from tracker.scrapers.guard import ALLOW_PRIVATE_ENV, AddressGuard, BlockedAddress, BlockedUrl, blocked_kind
from tracker.scrapers.normalize import normalize
from tracker.scrapers.redact import is_secret_name, mask
from tracker.scrapers.store import clean_row, save_postings
from tracker.timeutil import now_kst

ROOT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024
HINT = " 이 컴퓨터나 내부망의 주소를 일부러 읽으려면 환경 변수 TRACKER_ALLOW_PRIVATE_URLS=1을 설정하세요."
TOO_LARGE = "응답이 너무 큽니다 (5 MB 초과): 거기서 읽기를 멈췄고 아무것도 저장하지 않았습니다."


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(round(seconds, 3))


@pytest.fixture
def server():
    """A local server the radar may read (TRACKER_ALLOW_PRIVATE_URLS=1 while it runs)."""
    with LocalServer() as s:
        yield s


@pytest.fixture
def guarded(monkeypatch):
    """A local server with the guard fully on: TRACKER_ALLOW_PRIVATE_URLS unset."""
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    with LocalServer(allow_private_urls=False) as s:
        yield s


def fetcher(**kw) -> Fetcher:
    kw.setdefault("host_delay", 0)
    kw.setdefault("backoff", 0.01)
    kw.setdefault("sleep", Sleeps())
    return Fetcher(**kw)


def rss(*titles: str) -> bytes:
    items = "".join(f"<item><title>{t}</title><link>https://example.com/{i}</link></item>" for i, t in enumerate(titles))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def stored(engine) -> list[Posting]:
    with Session(engine) as s:
        return s.exec(select(Posting).order_by(Posting.id)).all()


def state(engine, name: str) -> SourceState | None:
    with Session(engine) as s:
        return s.get(SourceState, name)


def run_one(engine, config: SourceConfig, f: Fetcher | None = None, env=None):
    (result,) = runner.run_sources(engine, [config], fetcher=f or fetcher(), env=env or {})
    return result


# ── 1. size cap after decompression ──────────────────────────────────────────────────────────

def gzip_bomb(inflated: int) -> bytes:
    return gzip.compress(bytes(inflated), compresslevel=9)


def test_a_gzip_bomb_fails_with_its_own_sentence_and_stores_nothing(engine, server):
    bomb = gzip_bomb(50 * MiB)
    assert len(bomb) < 100_000  # 50 MB of zeros, ~50 KB on the wire
    url = server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip",
                                                          "Content-Type": "application/rss+xml"}))
    result = run_one(engine, SourceConfig(name="폭탄", kind="rss", url=url))
    assert (result.ok, result.error) == (False, TOO_LARGE)
    assert stored(engine) == []
    health = state(engine, "폭탄")
    assert (health.last_error, health.consecutive_failures, health.last_success) == (TOO_LARGE, 1, None)
    assert len(server.hits("/bomb")) == 1  # not retried


def test_the_bomb_is_never_inflated_past_the_cap(server):
    url = server.route("/bomb", Reply(body=gzip_bomb(50 * MiB), headers={"Content-Encoding": "gzip"}))
    with fetcher(limits=Limits(max_bytes=1 * MiB)) as f:
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLarge) as info:
                f.get(Request(url))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert str(info.value) == "응답이 너무 큽니다 (1 MB 초과): 거기서 읽기를 멈췄고 아무것도 저장하지 않았습니다."
    assert peak < 3 * MiB, peak  # reading it whole (httpx .content) peaks at ~127 MB


@pytest.mark.parametrize("content_length", [True, False], ids=["declared", "streamed"])
def test_a_plain_oversized_body_is_refused(engine, server, content_length):
    body = b"<rss>" + b" " * (5 * MiB + 10) + b"</rss>"
    url = server.route("/big", Reply(body=body, content_length=content_length))
    result = run_one(engine, SourceConfig(name="큰 피드", kind="rss", url=url))
    assert result.error == TOO_LARGE
    assert stored(engine) == [] and state(engine, "큰 피드").last_error == TOO_LARGE


def test_a_body_just_under_the_cap_and_compressed_answers_are_read(server):
    feed = rss("라벨러 모집")
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate, as some servers send it
    raw_deflate = deflate.compress(feed) + deflate.flush()
    server.route("/gzip", Reply(body=gzip.compress(feed), headers={"Content-Encoding": "gzip"}))
    server.route("/zlib", Reply(body=zlib.compress(feed), headers={"Content-Encoding": "deflate"}))
    server.route("/raw", Reply(body=raw_deflate, headers={"Content-Encoding": "deflate"}))
    server.route("/exact", Reply(body=b"x" * MiB))
    with fetcher(limits=Limits(max_bytes=MiB)) as f:
        assert [f.get(Request(server.base + p)).content for p in ("/gzip", "/zlib", "/raw")] == [feed] * 3
        assert len(f.get(Request(server.base + "/exact")).content) == MiB
    assert server.hits("/gzip")[0].headers["Accept-Encoding"] == "gzip, deflate"


def test_unknown_or_broken_compression_is_a_sentence(server):
    server.route("/br", Reply(body=b"\x8b\x02\x80abc", headers={"Content-Encoding": "br"}))
    server.route("/broken", Reply(body=b"this is not gzip at all", headers={"Content-Encoding": "gzip"}))
    with fetcher() as f:
        with pytest.raises(BadEncoding) as unknown:
            f.get(Request(server.base + "/br"))
        with pytest.raises(BadEncoding) as broken:
            f.get(Request(server.base + "/broken"))
    assert str(unknown.value) == "응답의 압축 방식(br)을 읽을 수 없습니다: gzip·deflate만 받습니다."
    assert str(broken.value) == "압축된 응답을 풀지 못했습니다: 깨졌거나 중간에 끊겼습니다."


def test_a_source_may_lower_its_cap_in_the_configuration(engine, server, tmp_path):
    url = server.route("/feed", Reply(body=rss("라벨러 모집") + b" " * 600_000))
    path = tmp_path / "sources.toml"
    path.write_text(f'[[source]]\nname = "작게"\nkind = "rss"\nurl = "{url}"\nmax_response_mb = 0.5\n\n'
                    f'[[source]]\nname = "잘못"\nkind = "rss"\nurl = "{url}"\nmax_response_mb = "많이"\n\n'
                    f'[[source]]\nname = "느긋"\nkind = "rss"\nurl = "{url}"\nsource_deadline = 0\n',
                    encoding="utf-8")
    configs, problems = load_sources(path)
    assert [(p.name, p.message) for p in problems] == [
        ("잘못", "'잘못': max_response_mb는 0보다 크고 100 이하인 숫자여야 합니다 (예: max_response_mb = 10)."),
        ("느긋", "'느긋': source_deadline는 0보다 크고 900 이하인 숫자여야 합니다 (예: source_deadline = 120)."),
    ]
    result = run_one(engine, configs[0])
    assert result.error == "응답이 너무 큽니다 (512 KB 초과): 거기서 읽기를 멈췄고 아무것도 저장하지 않았습니다."


# ── 2. deadlines ────────────────────────────────────────────────────────────────────────────

def test_a_dripping_body_is_cut_at_the_request_deadline(engine, server):
    body = rss("라벨러 모집")  # ~150 bytes, one every 50 ms: 7 s in all
    url = server.route("/drip", Reply(body=body, drip=0.05))
    config = SourceConfig(name="느린 피드", kind="rss", url=url, options={"request_deadline": 1})
    started = time.monotonic()
    result = run_one(engine, config, fetcher(timeout=5))  # each byte comes long before the read timeout
    took = time.monotonic() - started
    assert result.error == "응답을 1초 안에 다 받지 못해 끊었습니다: 서버가 너무 느리게 보냅니다."
    assert 0.9 <= took < 4.0, took  # the whole body would take 7 s
    assert len(server.hits("/drip")) == 1  # a dripping server is not asked again
    assert stored(engine) == [] and state(engine, "느린 피드").consecutive_failures == 1


def test_dripping_headers_are_cut_at_the_deadline_too(server):
    url = server.route("/drip", Reply(body=rss("a"), headers={"Content-Type": "application/rss+xml"},
                                      drip=0.05, drip_headers=True))
    started = time.monotonic()
    with fetcher(timeout=5, limits=Limits(request_deadline=1)) as f, pytest.raises(DeadlineExceeded) as info:
        f.get(Request(url))
    assert 0.9 <= time.monotonic() - started < 4.0  # the whole answer would take 7 s and more
    assert str(info.value) == "응답을 1초 안에 다 받지 못해 끊었습니다: 서버가 너무 느리게 보냅니다."


def test_the_source_deadline_covers_its_retries(server):
    url = server.route("/slow", Reply(body=b"late", delay=3))
    started = time.monotonic()
    with fetcher(timeout=0.4, retries=5, backoff=0, sleep=time.sleep,
                 limits=Limits(source_deadline=1.0)) as f, pytest.raises(SourceDeadlineExceeded) as info:
        f.get(Request(url))
    assert 0.9 <= time.monotonic() - started < 2.4  # six tries of 0.4 s would take 2.4 s
    assert str(info.value) == "이 소스에 주어진 1초를 다 써서 그만두었습니다 (다시 시도한 시간 포함)."
    assert 2 <= len(server.hits("/slow")) <= 3  # 0.4 s + 0.4 s + what is left, not 6 tries


def test_a_retry_after_beyond_the_source_deadline_is_not_waited_for(server):
    url = server.route("/busy", Reply(503, headers={"Retry-After": "30"}))
    sleeps = Sleeps()
    with fetcher(sleep=sleeps, limits=Limits(source_deadline=10)) as f, pytest.raises(HttpStatusError) as info:
        f.get(Request(url))
    assert str(info.value) == ("서버 오류가 났습니다 (503). 다시 시도하려면 30초를 기다려야 하는데, "
                               "이 소스에 주어진 10초를 넘겨 그만두었습니다.")
    assert sleeps == [] and len(server.hits("/busy")) == 1


# ── 3. the address guard ────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "루프백 주소: 이 컴퓨터 자신"),
    ("127.8.9.10", "루프백 주소: 이 컴퓨터 자신"),
    ("10.1.2.3", "사설망 주소"),
    ("172.16.0.1", "사설망 주소"),
    ("192.168.0.1", "사설망 주소"),
    ("169.254.169.254", "링크 로컬 주소: 클라우드 메타데이터 주소 등"),
    ("0.0.0.0", "지정되지 않은 주소"),
    ("224.0.0.1", "멀티캐스트 주소"),
    ("240.0.0.1", "사설망 주소"),  # Python counts 240/4 as private too; reserved either way
    ("100.64.0.1", "공용 인터넷 주소가 아님"),  # carrier-grade NAT
    ("::1", "루프백 주소: 이 컴퓨터 자신"),
    ("::", "지정되지 않은 주소"),
    ("fc00::1", "사설망 주소"),
    ("fd12:3456::1", "사설망 주소"),
    ("fe80::1", "링크 로컬 주소: 클라우드 메타데이터 주소 등"),
    ("ff02::1", "멀티캐스트 주소"),
    ("::ffff:127.0.0.1", "루프백 주소: 이 컴퓨터 자신"),
    ("::ffff:169.254.169.254", "링크 로컬 주소: 클라우드 메타데이터 주소 등"),
    ("64:ff9b::a9fe:a9fe", "링크 로컬 주소: 클라우드 메타데이터 주소 등"),  # NAT64 spelling of 169.254.169.254
    ("2002:c0a8:1::", "사설망 주소"),  # 6to4 spelling of 192.168.0.1
    ("8.8.8.8", None),
    ("2606:4700::1111", None),
    ("::ffff:8.8.8.8", None),
    ("64:ff9b::808:808", None),
])
def test_which_addresses_are_refused(address, kind):
    assert blocked_kind(ipaddress.ip_address(address)) == kind


def test_a_loopback_source_is_refused_before_any_connection(engine, guarded):
    url = guarded.route("/feed", Reply(body=rss("라벨러 모집")))
    result = run_one(engine, SourceConfig(name="로컬", kind="rss", url=url))
    expected = f"내부망 주소라 연결하지 않았습니다: 127.0.0.1 (루프백 주소: 이 컴퓨터 자신).{HINT}"
    assert result.error == expected
    assert (guarded.requests, guarded.connections) == ([], 0)
    assert state(engine, "로컬").last_error == expected and stored(engine) == []


def test_the_variable_set_to_1_allows_it(guarded, monkeypatch):
    url = guarded.route("/feed", Reply(body=b"ok"))
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "0")
    with fetcher() as f, pytest.raises(BlockedAddress):
        f.get(Request(url))
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    with fetcher() as f:
        assert f.get(Request(url)).content == b"ok"
    assert len(guarded.requests) == 1


def test_names_are_judged_by_every_address_they_resolve_to(guarded):
    names = {"intranet.example": ["93.184.216.34", "10.0.0.7"], "localhost": ["127.0.0.1", "::1"]}
    guard = AddressGuard(allow_private=False, resolver=lambda host, port: names[host])
    with fetcher(guard=guard) as f:
        with pytest.raises(BlockedAddress) as intranet:
            f.get(Request(f"http://intranet.example:{guarded.port}/feed"))
        with pytest.raises(BlockedAddress) as local:
            f.get(Request(f"http://localhost:{guarded.port}/feed"))
    assert str(intranet.value) == f"내부망 주소라 연결하지 않았습니다: intranet.example → 10.0.0.7 (사설망 주소).{HINT}"
    assert str(local.value) == f"내부망 주소라 연결하지 않았습니다: localhost → 127.0.0.1 (루프백 주소: 이 컴퓨터 자신).{HINT}"
    assert guarded.connections == 0


@pytest.mark.parametrize(("url", "message"), [
    ("file:///etc/passwd", "http·https 주소만 읽습니다: 'file:' 주소는 읽지 않았습니다."),
    ("ftp://example.com/feed.xml", "http·https 주소만 읽습니다: 'ftp:' 주소는 읽지 않았습니다."),
    ("gopher://127.0.0.1:70/", "http·https 주소만 읽습니다: 'gopher:' 주소는 읽지 않았습니다."),
    ("http://[::ffff:169.254.169.254]/latest/meta-data/",
     f"내부망 주소라 연결하지 않았습니다: ::ffff:a9fe:a9fe (링크 로컬 주소: 클라우드 메타데이터 주소 등).{HINT}"),
])
def test_other_schemes_and_disguised_addresses_are_refused(url, message, monkeypatch):
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    with fetcher() as f, pytest.raises(BlockedUrl) as info:
        f.get(Request(url))
    assert str(info.value) == message


@pytest.mark.parametrize(("location", "message"), [
    ("http://169.254.169.254/latest/meta-data/",
     "169.254.169.254 (링크 로컬 주소: 클라우드 메타데이터 주소 등)"),
    ("http://localhost:{port}/secret", "localhost → 127.0.0.1 (루프백 주소: 이 컴퓨터 자신)"),
    ("http://[::1]:{port}/secret", "::1 (루프백 주소: 이 컴퓨터 자신)"),
    ("http://router.example/admin", "router.example → 192.168.0.1 (사설망 주소)"),
])
def test_a_redirect_to_a_private_address_is_refused_at_that_hop(guarded, location, message):
    names = {"localhost": ["127.0.0.1"], "router.example": ["192.168.0.1"]}
    url = guarded.route("/feed", Reply(302, headers={"Location": location.format(port=guarded.port)}))
    guarded.route("/secret", Reply(body=b"internal"))
    # The first hop is this test server (trusted by origin); every later hop is checked.
    guard = AddressGuard(allow_private=False, resolver=lambda host, port: names[host], trusted=[guarded.base])
    with fetcher(guard=guard) as f, pytest.raises(BlockedAddress) as info:
        f.get(Request(url))
    assert str(info.value) == f"다른 주소로 보냈지만(리디렉션) 내부망 주소라 따라가지 않았습니다: {message}.{HINT}"
    assert [r.path for r in guarded.requests] == ["/feed"] and guarded.hits("/secret") == []


def test_redirects_are_followed_checked_and_bounded(server):
    server.route("/old", Reply(301, headers={"Location": "/new"}))
    server.route("/new", Reply(body=b"moved"))
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    server.route("/ftp", Reply(302, headers={"Location": "ftp://example.com/x"}))
    with fetcher() as f:
        result = f.get(Request(server.base + "/old"))
        assert (result.url, result.content) == (server.base + "/new", b"moved")
        with pytest.raises(TooManyRedirects) as loop:
            f.get(Request(server.base + "/loop"))
        with pytest.raises(BlockedUrl) as ftp:
            f.get(Request(server.base + "/ftp"))
    assert str(loop.value) == "다른 주소로 너무 여러 번 보냈습니다 (리디렉션 5번 초과)."
    assert len(server.hits("/loop")) == 6
    assert str(ftp.value) == "다른 주소로 보냈지만(리디렉션) http·https가 아닌 'ftp:' 주소라 따라가지 않았습니다."


def test_a_name_that_changes_to_a_private_address_at_connect_time_is_refused(guarded):
    """DNS rebinding: public when checked, loopback when connecting. The connection layer checks again."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    guard = AddressGuard(allow_private=False, resolver=lambda host, port: next(answers))
    guarded.route("/feed", Reply(body=b"internal"))
    with fetcher(guard=guard) as f, pytest.raises(BlockedAddress) as info:
        f.get(Request(f"http://rebind.invalid:{guarded.port}/feed"))
    assert str(info.value) == f"내부망 주소라 연결하지 않았습니다: rebind.invalid → 127.0.0.1 (루프백 주소: 이 컴퓨터 자신).{HINT}"
    assert guarded.connections == 0


# ── 4. clean storage; the health row survives a failed insert ───────────────────────────────

def test_nul_characters_are_never_stored_and_long_validators_are_dropped(engine, server):
    body = rss("AI 라벨러\x00 모집", "검수자&#0; 모집")
    long_etag = '"' + "a" * 4998 + '"'
    url = server.route("/feed", Reply(body=body, headers={"ETag": long_etag,
                                                          "Last-Modified": "Fri, 20 Nov 2026 09:30:00 GMT"}),
                       Reply(304))
    result = run_one(engine, SourceConfig(name="피드", kind="rss", url=url))
    assert result.ok and result.new == 2
    assert [p.title for p in stored(engine)] == ["AI 라벨러 모집", "검수자 모집"]
    health = state(engine, "피드")
    assert (health.etag, health.last_modified, health.last_error, health.consecutive_failures) == (
        "", "Fri, 20 Nov 2026 09:30:00 GMT", "", 0)
    run_one(engine, SourceConfig(name="피드", kind="rss", url=url))
    second = server.hits("/feed")[1].headers
    assert "If-None-Match" not in second and second["If-Modified-Since"] == "Fri, 20 Nov 2026 09:30:00 GMT"


def test_every_text_field_is_cleaned_on_the_way_in(engine):
    config = SourceConfig(name="소스\x00", kind="rss")
    raw = RawPosting(title="제목\x00 하나", url="https://example.com/a\x00", organization="기관\x00명",
                     summary="요약\x00\x07 내용 \ud800", pay_text="건당\x00 50원", external_id="id\x00-1",
                     region="서울\x00")
    row = normalize(raw, config, now_kst().date())
    with Session(engine) as session:
        assert save_postings(session, [row], now_kst()) == 1
        session.commit()
    (posting,) = stored(engine)
    assert (posting.title, posting.organization, posting.summary, posting.pay_text, posting.external_id,
            posting.region, posting.source) == ("제목 하나", "기관명", "요약 내용 \ufffd", "건당 50원", "id-1", "서울", "소스")
    assert "\x00" not in posting.url
    assert clean_row({"title": "x" * 600})["title"] == "x" * 500


def test_the_health_row_is_saved_even_when_the_postings_cannot_be(engine, server, monkeypatch):
    """A failing INSERT (PostgreSQL aborts the whole transaction) must not take the state row with it."""
    real = runner.save_postings

    def failing(session, rows, now):
        count = real(session, rows, now)
        if rows[0]["source"] == "깨짐":  # the database refuses this source's postings
            session.flush()
            session.add(Posting(**{**clean_row(rows[0]), "dedupe_key": "other"}, first_seen=now, last_seen=now))
            session.flush()
        return count

    monkeypatch.setattr(runner, "save_postings", failing)
    configs = [SourceConfig(name="뉴스", kind="google_news",
                            url=server.route("/news", Reply.file("feeds/google_news.xml"))),
               SourceConfig(name="깨짐", kind="rss",
                            url=server.route("/feed", Reply(body=rss("라벨러 모집"), headers={"ETag": '"v1"'})))]
    results = {r.name: r for r in runner.run_sources(engine, configs, fetcher=fetcher(), env={}, max_workers=1)}
    detail = {"sqlite": "UNIQUE constraint failed: posting.url",
              "postgresql": 'duplicate key value violates unique constraint "uq_posting_url"'}[engine.dialect.name]
    expected = f"공고 1건을 저장하지 못했습니다 (IntegrityError: {detail}). 다음 실행에서 다시 받습니다."
    assert (results["깨짐"].ok, results["깨짐"].new, results["깨짐"].error) == (False, 0, expected)
    broken = state(engine, "깨짐")
    assert (broken.last_error, broken.consecutive_failures, broken.last_success, broken.etag) == (expected, 1, None, "")
    assert broken.last_run is not None
    assert results["뉴스"].ok and results["뉴스"].new == 7 and state(engine, "뉴스").last_error == ""
    assert {p.source for p in stored(engine)} == {"뉴스"} and len(stored(engine)) == 7


# ── 5. keys masked in stored errors and in logs ─────────────────────────────────────────────

def test_an_api_error_that_echoes_the_key_is_stored_masked(engine, server, caplog):
    key = "sekrit-KEY-123"
    echo = f"<GO24><error>인증키(authKey={key})가 유효하지 않습니다: {key}</error></GO24>".encode()
    url = server.route("/work24", Reply(body=echo))
    caplog.set_level(logging.DEBUG, logger="tracker")
    caplog.set_level(logging.INFO, logger="httpx")  # httpx logs each request's full URL
    result = run_one(engine, SourceConfig(name="고용24", kind="work24", url=url), env={"WORK24_API_KEY": key})
    expected = "고용24 API 오류: 인증키(authKey=***)가 유효하지 않습니다: ***"
    assert result.error == expected and state(engine, "고용24").last_error == expected
    assert key in server.hits("/work24")[0].path  # the key was sent …
    assert any(r.name == "httpx" and "authKey=***" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if key in r.getMessage()]  # … and never logged
    assert any(r.getMessage() == f"[실패] 고용24: {expected}" for r in caplog.records)


def test_a_key_echoed_url_encoded_or_in_a_url_is_masked(engine, server):
    key = "k3y+with/slash="
    body = ('{"code": 3, "message": "invalid access-key k3y%2Bwith%2Fslash%3D; see '
            'https://oapi.saramin.co.kr/job-search?access-key=another-secret&keywords=x"}').encode()
    url = server.route("/saramin", Reply(body=body, headers={"Content-Type": "application/json"}))
    result = run_one(engine, SourceConfig(name="사람인", kind="saramin_api", url=url),
                     env={"SARAMIN_ACCESS_KEY": key})
    assert result.error == ("사람인 API 오류: invalid access-key ***; see "
                            "https://oapi.saramin.co.kr/job-search?access-key=***&keywords=x (코드 3)")


def test_secret_names_and_masking():
    assert [n for n in ("serviceKey", "access-key", "authKey", "key", "api_key", "X-API-Key", "client_secret",
                        "X-Naver-Client-Secret", "access_token", "Authorization", "keyword", "keywords", "display",
                        "query", "dedupe_key", "count") if is_secret_name(n)] == [
        "serviceKey", "access-key", "authKey", "key", "api_key", "X-API-Key", "client_secret", "X-Naver-Client-Secret",
        "access_token", "Authorization"]
    assert mask('{"serviceKey": "abc/def+="}') == '{"serviceKey": "***"}'
    assert mask("저장했습니다: 에이모 (키워드=라벨링)") == "저장했습니다: 에이모 (키워드=라벨링)"


# ── 8. the command line logs each source with a timestamp ───────────────────────────────────

def test_the_radar_cli_logs_each_source_with_a_timestamp_and_masks_keys(server, tmp_path, db_url):
    key = "sekrit-KEY-123"
    news = server.route("/news", Reply.file("feeds/google_news.xml"))
    with LocalServer() as api:  # another host: no politeness wait between the two
        work24 = api.route("/work24", Reply(body=f"<GO24><error>잘못된 인증키 {key}</error></GO24>".encode()))
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nname = "뉴스"\nkind = "google_news"\nurl = "{news}"\n\n'
                           f'[[source]]\nname = "고용24"\nkind = "work24"\nurl = "{work24}"\n', encoding="utf-8")
        env = {**os.environ, ALLOW_PRIVATE_ENV: "1", "WORK24_API_KEY": key, "TRACKER_LOG_LEVEL": "DEBUG"}
        done = subprocess.run([sys.executable, "-m", "tracker.scrapers", "run", "--sources", str(sources),
                               "--db", db_url], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert key not in done.stdout + done.stderr and "authKey=***" in done.stderr
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}"
    assert re.search(rf"^{stamp} INFO tracker\.scrapers\.runner: \[성공\] 뉴스: 7건 중 7건 해당, 새 공고 7건 \(",
                     done.stderr, re.MULTILINE), done.stderr
    assert re.search(rf"^{stamp} WARNING tracker\.scrapers\.runner: \[실패\] 고용24: 고용24 API 오류: 잘못된 인증키 \*\*\*$",
                     done.stderr, re.MULTILINE), done.stderr
    assert "[실패] 고용24: 고용24 API 오류: 잘못된 인증키 ***" in done.stdout.splitlines()


# ── 6. scraped text never becomes Markdown on the radar page ────────────────────────────────

EVIL_TITLE = "[클릭](javascript:alert(1)) 라벨러 모집"
EVIL_ORG = "![x](http://evil.example/pixel.png)"


@pytest.fixture
def evil_app(db_url, monkeypatch, tmp_path):
    """The radar page on a database holding a hostile posting, with a hostile source configuration."""
    import streamlit as st

    from tracker.db import connect

    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_TODAY", "2026-11-22")
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "[설정](javascript:alert(2))"\nkind = "없는종류"\n\n'
                       '[[source]]\nname = "뉴스"\nkind = "rss"\nurl = "https://example.com/feed"\nenabled = false\n',
                       encoding="utf-8")
    monkeypatch.setenv("TRACKER_SOURCES", str(sources))
    engine = connect(db_url)
    with Session(engine) as session:
        session.add(Posting(source="뉴스", source_kind="rss", url="https://example.com/1", title=EVIL_TITLE,
                            organization=EVIL_ORG, dedupe_key="evil", pay_text="[건당](http://evil.example) 50원"))
        session.add(SourceState(name="뉴스", kind="rss", last_error="![오류](http://evil.example/e.png)",
                                consecutive_failures=1))
        session.commit()
    engine.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db_url
    st.cache_data.clear()
    st.cache_resource.clear()


def _live_links(markdown: str) -> list[str]:
    """Links and images Markdown would render: backslash-escaped brackets are not."""
    unescaped = re.sub(r"\\.", "", markdown)
    return re.findall(r"!?\[[^\]]*\]\([^)]*\)", unescaped)


def test_hostile_titles_render_as_literal_text(evil_app):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("views/radar.py").run()
    assert not at.exception, [e.value for e in at.exception]
    markdown = [e.value for kind in ("markdown", "caption", "error", "warning", "info", "success", "title",
                                     "subheader") for e in getattr(at, kind)]
    assert markdown and [m for m in markdown if _live_links(m)] == []
    assert re.sub(r"\\(.)", r"\1", at.error[0].value) == (
        "소스 설정 오류 — [설정](javascript:alert(2)): '[설정](javascript:alert(2))': 알 수 없는 kind '없는종류'입니다 "
        f"(가능: {', '.join(sorted(KINDS))}).")
    assert at.dataframe[0].value["title"].tolist() == [EVIL_TITLE]  # the table shows it as plain text
    assert [t.value for t in at.text][:2] == [f"{EVIL_TITLE}\n{EVIL_ORG} · RSS 피드 · https://example.com/1",
                                              "단가 표기: [건당](http://evil.example) 50원"]
