"""The radar end to end against a local server: several sources, failures, re-runs, duplicates."""

import pytest
from sqlmodel import Session, select

from tests.localserver import FIXTURES, LocalServer, Reply
from tracker.models import Posting, SourceState
from tracker.scrapers.base import SourceConfig
from tracker.scrapers.fetch import Fetcher
from tracker.scrapers.runner import run_sources


class NoSleep:
    def __call__(self, seconds: float) -> None:
        pass


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


def fast_fetcher(**kw) -> Fetcher:
    return Fetcher(sleep=NoSleep(), host_delay=0, backoff=0.01, timeout=kw.pop("timeout", 2), **kw)


def feed(name: str) -> Reply:
    return Reply.file(f"feeds/{name}")


def source(name: str, kind: str, url: str, **kw) -> SourceConfig:
    return SourceConfig(name=name, kind=kind, url=url, **kw)


def stored(engine) -> list[Posting]:
    with Session(engine) as s:
        return s.exec(select(Posting).order_by(Posting.id)).all()


def state(engine, name: str) -> SourceState:
    with Session(engine) as s:
        return s.get(SourceState, name)


def by_name(results):
    return {r.name: r for r in results}


def test_one_failing_source_never_stops_the_others(engine, server):
    configs = [
        source("뉴스", "google_news", server.route("/news", feed("google_news.xml"))),
        source("블로그", "naver_blog", server.route("/blog", feed("naver_blog.xml"))),
        source("고장", "rss", server.route("/broken", Reply(500))),
        source("느림", "rss", server.route("/slow", Reply(body=b"<rss/>", delay=1.0))),
        source("쓰레기", "rss", server.route("/garbage", Reply.file("feeds/not_a_feed.html", "text/html"))),
        source("없음", "rss", server.base + "/missing"),
    ]
    results = by_name(run_sources(engine, configs, fetcher=fast_fetcher(timeout=0.3, retries=1), env={}))
    assert (results["뉴스"].ok, results["뉴스"].items, results["뉴스"].new) == (True, 7, 7)
    assert (results["블로그"].ok, results["블로그"].new) == (True, 5)  # one item has no link
    assert results["고장"].error == "서버 오류가 났습니다 (500). 2번 시도했습니다."
    assert results["느림"].error == "0.3초 안에 응답이 없었습니다 (2번 시도)."
    assert results["쓰레기"].error.startswith("RSS/Atom 피드가 아닙니다")
    assert results["없음"].error == "페이지가 없습니다 (404): 주소가 바뀌었을 수 있습니다."
    assert len(stored(engine)) == 12
    broken = state(engine, "고장")
    assert (broken.consecutive_failures, broken.last_success, broken.last_error) == (
        1, None, "서버 오류가 났습니다 (500). 2번 시도했습니다.")
    assert len(server.hits("/broken")) == 2  # retried once


def test_running_again_adds_nothing_and_failures_count_up_then_clear(engine, server):
    url = server.route("/news", feed("google_news.xml"), Reply(503), feed("google_news.xml"))
    configs = [source("뉴스", "google_news", url)]
    fetcher = fast_fetcher(retries=0)
    assert run_sources(engine, configs, fetcher=fetcher, env={})[0].new == 7
    assert run_sources(engine, configs, fetcher=fetcher, env={})[0].ok is False
    assert state(engine, "뉴스").consecutive_failures == 1
    again = run_sources(engine, configs, fetcher=fetcher, env={})[0]
    assert (again.ok, again.items, again.new) == (True, 7, 0)
    assert (state(engine, "뉴스").consecutive_failures, state(engine, "뉴스").last_error) == (0, "")
    assert len(stored(engine)) == 7


def test_conditional_get_remembers_the_etag(engine, server):
    url = server.route("/news", Reply.file("feeds/google_news.xml", headers={"ETag": '"abc"'}), Reply(304))
    configs = [source("뉴스", "google_news", url)]
    run_sources(engine, configs, fetcher=fast_fetcher(), env={})
    second = run_sources(engine, configs, fetcher=fast_fetcher(), env={})[0]
    assert (second.ok, second.not_modified, second.new) == (True, True, 0)
    assert server.hits("/news")[1].headers["If-None-Match"] == '"abc"'
    assert state(engine, "뉴스").item_count == 7 and not state(engine, "뉴스").layout_warning


def test_a_source_that_suddenly_returns_nothing_is_flagged(engine, server):
    url = server.route("/blog", feed("naver_blog.xml"), feed("empty_channel.xml"))
    configs = [source("블로그", "naver_blog", url)]
    run_sources(engine, configs, fetcher=fast_fetcher(), env={})
    second = run_sources(engine, configs, fetcher=fast_fetcher(), env={})[0]
    assert second.ok and second.items == 0
    assert second.layout_warning == "지난번엔 5건이었는데 이번엔 0건입니다: 페이지 구조가 바뀌었을 수 있습니다."
    assert state(engine, "블로그").layout_warning is True


def test_a_changed_guid_or_tracking_parameters_do_not_resurface_a_post(engine, server, tmp_path):
    original = (FIXTURES / "feeds/naver_blog.xml").read_text(encoding="utf-8")
    changed = original.replace("<guid>", "<guid>changed-").replace("trackingCode=rss", "trackingCode=rss2")
    url = server.route("/blog", feed("naver_blog.xml"), Reply(body=changed.encode("utf-8")))
    configs = [source("블로그", "naver_blog", url)]
    assert run_sources(engine, configs, fetcher=fast_fetcher(), env={})[0].new == 5
    assert run_sources(engine, configs, fetcher=fast_fetcher(), env={})[0].new == 0
    assert [p.url for p in stored(engine)][0] == "https://blog.naver.com/label_jiyoon/224081234567"


def test_the_same_post_from_two_sources_is_kept_once(engine, server):
    configs = [
        source("뉴스 1", "google_news", server.route("/a", feed("google_news.xml"))),
        source("뉴스 2", "google_news", server.route("/b", feed("google_news.xml"))),
    ]
    results = run_sources(engine, configs, fetcher=fast_fetcher(), env={}, max_workers=1)
    assert sorted(r.new for r in results) == [0, 7]
    assert len(stored(engine)) == 7


def test_include_and_exclude_keywords(engine, server):
    url = server.route("/news", feed("google_news.xml"))
    configs = [source("뉴스", "google_news", url, include=("모집",), exclude=("검수",))]
    (result,) = run_sources(engine, configs, fetcher=fast_fetcher(), env={})
    titles = [p.title for p in stored(engine)]
    assert result.kept == len(titles) < result.items
    assert all("모집" in t and "검수" not in t for t in titles)


def test_keyed_sources_without_a_key_are_disabled_not_failed(engine, server):
    configs = [
        SourceConfig(name="고용24", kind="work24", options={"keyword": "데이터 라벨링"}),
        SourceConfig(name="꺼둠", kind="rss", url=server.base + "/x", enabled=False),
    ]
    results = by_name(run_sources(engine, configs, fetcher=fast_fetcher(), env={}))
    assert results["고용24"].disabled == "API 키가 없습니다: 환경 변수 WORK24_API_KEY를 설정하면 켜집니다."
    assert results["꺼둠"].disabled == "설정에서 꺼 두었습니다 (enabled = false)."
    assert server.requests == []
    assert state(engine, "고용24") is None


def test_html_board_and_keyed_api_through_the_runner(engine, server):
    configs = [
        source("NIA", "nia", server.route("/nia/List.do", Reply.file("boards/nia_notice.html", "text/html"))),
        SourceConfig(name="고용24", kind="work24", url=server.route("/work24", Reply.file("boards/work24.xml")),
                     options={"keyword": "데이터 라벨링"}),
    ]
    results = by_name(run_sources(engine, configs, fetcher=fast_fetcher(), env={"WORK24_API_KEY": "secret-key"}))
    assert results["NIA"].ok and results["NIA"].new == results["NIA"].items > 0
    assert results["고용24"].ok and results["고용24"].new > 0
    (hit,) = server.hits("/work24")
    assert "authKey=secret-key" in hit.path and "returnType=XML" in hit.path
    nia = [p for p in stored(engine) if p.source == "NIA"]
    assert all(p.url.startswith(server.base + "/nia/View.do?cbIdx=") and "&bcIdx=" in p.url for p in nia)


def test_links_that_are_not_http_are_dropped(engine, server):
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title>ok</title><link>https://example.com/a</link></item>"
            b"<item><title>bad</title><link>javascript:alert(1)</link></item></channel></rss>")
    url = server.route("/feed", Reply(body=body))
    (result,) = run_sources(engine, [source("피드", "rss", url)], fetcher=fast_fetcher(), env={})
    assert [p.url for p in stored(engine)] == ["https://example.com/a"]
    assert result.new == 1


def test_listed_times_are_korean_time(engine, server):
    from datetime import datetime

    from tracker.scrapers.postings import list_postings, source_health
    from tracker.timeutil import KST

    url = server.route("/news", feed("google_news.xml"))
    run_sources(engine, [source("뉴스", "google_news", url)], fetcher=fast_fetcher(), env={})
    frame = list_postings(engine)
    first = frame[frame["title"].str.startswith("크라우드웍스, 데이터 라벨러")].iloc[0]
    assert first["published"] == datetime(2026, 11, 20, 18, 30, tzinfo=KST)  # 09:30 GMT
    assert first["published"].utcoffset().total_seconds() == 9 * 3600
    assert source_health(engine).iloc[0]["last_success"].utcoffset().total_seconds() == 9 * 3600


def test_applying_refuses_a_missing_posting_an_unknown_company_and_a_second_time(engine):
    from sqlmodel import Session

    from tracker.errors import LedgerError
    from tracker.models import Posting, Project
    from tracker.scrapers.postings import apply_to_posting

    with Session(engine) as session:
        session.add(Posting(source="뉴스", source_kind="rss", url="https://e.com/1", title="OCR 검수자 모집 ",
                            organization="에이모", dedupe_key="k"))
        session.commit()
    with pytest.raises(LedgerError) as missing:
        apply_to_posting(engine, 999)
    assert (missing.value.field, missing.value.message) == ("posting_id", "모집 공고를 찾을 수 없습니다 (id 999).")
    with pytest.raises(LedgerError) as unknown:
        apply_to_posting(engine, 1, company_id=77)
    assert (unknown.value.field, unknown.value.message) == ("company_id", "회사를 찾을 수 없습니다 (id 77).")
    project_id = apply_to_posting(engine, 1)
    with pytest.raises(LedgerError) as again:
        apply_to_posting(engine, 1)
    assert (again.value.field, again.value.message) == ("name", "이 회사에 같은 이름의 프로젝트가 이미 있습니다: OCR 검수자 모집")
    with Session(engine) as session:
        assert [(p.id, p.name, p.status, p.posting_id) for p in session.exec(select(Project)).all()] == [
            (project_id, "OCR 검수자 모집", "applied", 1)]
