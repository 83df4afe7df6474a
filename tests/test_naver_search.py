"""naver_search: the Naver Search API's café and blog answers (constructed fixtures in the documented
shape, tests/fixtures/naver/), the request with both key headers, and the source run end to end
against a local server with the keys masked."""
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.localserver import LocalServer, Reply
from tracker.models import Posting
from tracker.models.enums import Certificate, PayUnit
from tracker.scrapers.base import ParseError, SourceConfig
from tracker.scrapers.fetch import Fetcher
from tracker.scrapers.naver_search import NaverSearchSource, target_of
from tracker.scrapers.normalize import normalize
from tracker.scrapers.runner import run_sources
from tracker.timeutil import KST

ROOT = Path(__file__).resolve().parent.parent
NAVER = ROOT / "tests" / "fixtures" / "naver"
CAFE_URL = "https://openapi.naver.com/v1/search/cafearticle.json"
BLOG_URL = "https://openapi.naver.com/v1/search/blog.json"
KEYS = {"NAVER_CLIENT_ID": "cid-AbCd1234", "NAVER_CLIENT_SECRET": "sec-ZyXw9876"}


def naver(url: str = "", env=None, **options) -> NaverSearchSource:
    return NaverSearchSource(SourceConfig(name="카페", kind="naver_search", url=url, options=options),
                             KEYS if env is None else env)


def test_cafe_articles_titles_cleaned_cafe_is_the_organisation():
    postings = naver().parse((NAVER / "cafearticle.json").read_bytes(), CAFE_URL)
    assert [p.title for p in postings] == [
        "[모집] 데이터 라벨링 음성 전사 작업자 모집 (재택, 시급 11,000원)",  # <b> removed
        "크라우드웍스 OCR 검수 프로젝트 같이 하실 분 ~12/3",
        "<급구> 바운딩박스 작업자 10명 (건당 80원)",  # &lt;급구&gt; decoded, as text
    ]  # the item without a title is skipped
    assert [p.organization for p in postings] == [
        "라벨러 허브 - 데이터 라벨링 부업 모임", "AI 데이터 알바", "라벨러 허브 - 데이터 라벨링 부업 모임"]
    assert [p.url for p in postings] == ["https://cafe.naver.com/labelerhub/48211",
                                         "http://cafe.naver.com/aidatajob/10233",
                                         "https://cafe.naver.com/labelerhub/48190"]
    assert postings[0].summary == ('안녕하세요. 한국어 대화 음성 전사 프로젝트 작업자를 모집합니다. '
                                   '마감일: 2026.12.11(금) "초보 가능" & 교육 제공')
    assert all(p.published is None for p in postings)  # café answers carry no date


def test_blog_posts_postdate_is_published():
    postings = naver(target="blog").parse((NAVER / "blog.json").read_bytes(), BLOG_URL)
    assert [(p.title, p.organization, p.published) for p in postings] == [
        ("에이모 라벨링 신규 프로젝트 후기 + 모집 정보", "라벨링 일기", datetime(2026, 11, 28, tzinfo=KST)),
        ("셀렉트스타 캐시미션 녹음 알바 정리", "부업하는 김대리", datetime(2026, 11, 25, tzinfo=KST)),
    ]


def test_fields_from_cafe_and_blog_text():
    config = SourceConfig(name="카페", kind="naver_search")
    cafe = [normalize(p, config, date(2026, 11, 30))
            for p in naver().parse((NAVER / "cafearticle.json").read_bytes(), CAFE_URL)]
    assert [(r["pay_amount"], r["pay_unit"], r["deadline"]) for r in cafe] == [
        (11_000, PayUnit.HOUR, date(2026, 12, 11)),
        (None, PayUnit.ITEM, date(2026, 12, 3)),  # "건당 30~50원": a range, no flat price
        (80, PayUnit.ITEM, date(2026, 12, 5)),  # "접수마감일: 2026-12-05"
    ]
    assert cafe[1]["certificate"] == Certificate.AIDE_2 and cafe[1]["task_types"] == "ocr,inspection"
    blog = [normalize(p, config, date(2026, 11, 30))
            for p in naver(target="blog").parse((NAVER / "blog.json").read_bytes(), BLOG_URL)]
    assert [(r["pay_text"], r["pay_amount"], r["deadline"], r["remote"]) for r in blog] == [
        ("건당 최대 120원", None, date(2026, 12, 7), False),  # "마감일자 12월 7일(월) 18:00까지"
        ("문장당 100원", 100, date(2026, 12, 9), True),  # "지원 기간: 11월 20일 ~ 12월 9일"
    ]


def test_request_headers_and_options():
    request = naver(query="데이터 라벨링 모집").request()
    assert request.url == CAFE_URL
    assert dict(request.params) == {"query": "데이터 라벨링 모집", "display": "100", "start": "1", "sort": "date"}
    assert request.headers["X-Naver-Client-Id"] == "cid-AbCd1234"
    assert request.headers["X-Naver-Client-Secret"] == "sec-ZyXw9876"
    blog = naver(query="라벨링", target="blog", display=30, sort="sim").request()
    assert blog.url == BLOG_URL and blog.params["display"] == "30" and blog.params["sort"] == "sim"
    assert target_of(BLOG_URL) == "blog" and target_of(CAFE_URL) == "cafearticle"


def test_off_without_keys_or_with_a_wrong_target():
    assert naver(env={}, query="x").disabled_reason() == (
        "API 키가 없습니다: 환경 변수 NAVER_CLIENT_ID, NAVER_CLIENT_SECRET를 설정하면 켜집니다.")
    assert naver(env={"NAVER_CLIENT_ID": "a1b2c3"}, query="x").disabled_reason() == (
        "API 키가 없습니다: 환경 변수 NAVER_CLIENT_SECRET를 설정하면 켜집니다.")
    assert naver(query="x", target="news").disabled_reason() == (
        "네이버 검색 소스의 target은 cafearticle 또는 blog여야 합니다: 'news'")


@pytest.mark.parametrize(("body", "message"), [
    ((NAVER / "error.json").read_bytes(),
     "네이버 검색 API 오류: Scope Status Invalid : Authentication failed. (인증에 실패했습니다.) (코드 024)"),
    (b'{"items": [', "네이버 검색 응답을 JSON으로 읽지 못했습니다"),
    (b"", "네이버 검색 응답이 비어 있습니다."),
    (b'{"total": 0}', "네이버 검색 응답에 검색 결과(items)가 없습니다"),
])
def test_errors_are_korean_sentences(body, message):
    with pytest.raises(ParseError) as caught:
        naver().parse(body, CAFE_URL)
    assert str(caught.value).startswith(message)


def test_parse_command_offline():
    done = subprocess.run([sys.executable, "-m", "tracker.scrapers", "parse", "naver_search",
                           str(NAVER / "cafearticle.json"), "--url", CAFE_URL],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["organization"] for r in rows][:2] == ["라벨러 허브 - 데이터 라벨링 부업 모임", "AI 데이터 알바"]
    assert rows[0]["pay_amount"] == 11000 and rows[0]["deadline"] == "2026-12-11"


def test_run_end_to_end_with_keys_masked(engine):
    fetcher = Fetcher(sleep=lambda s: None, host_delay=0, backoff=0.01, timeout=2, retries=1)
    with LocalServer() as server:
        ok = server.route("/v1/search/cafearticle.json", Reply.file("naver/cafearticle.json", "application/json"))
        echo = server.route("/v1/search/blog.json", Reply(
            401, b'{"errorMessage":"Not Exist Client ID : Authentication failed. (cid-AbCd1234)","errorCode":"024"}'))
        configs = [SourceConfig(name="카페", kind="naver_search", url=ok),
                   SourceConfig(name="블로그", kind="naver_search", url=echo)]
        results = {r.name: r for r in run_sources(engine, configs, fetcher=fetcher, env=KEYS)}
        seen = server.requests
    assert results["카페"].ok and results["카페"].new == 3
    assert not results["블로그"].ok and "cid-AbCd1234" not in results["블로그"].error
    assert {s.headers.get("X-Naver-Client-Secret") for s in seen} == {"sec-ZyXw9876"}
    with Session(engine) as session:
        assert sorted(p.organization for p in session.exec(select(Posting))) == [
            "AI 데이터 알바", "라벨러 허브 - 데이터 라벨링 부업 모임", "라벨러 허브 - 데이터 라벨링 부업 모임"]
