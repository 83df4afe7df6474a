"""Feed parsers (rss, google_news, naver_blog, tistory) on saved feeds in tests/fixtures/feeds/.

No network: every fixture is a file written in the format the real service serves.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tracker.scrapers.base import ParseError, RawPosting, SourceConfig, SourceDisabled
from tracker.scrapers.google_news import GoogleNewsSource, split_outlet
from tracker.scrapers.naver_blog import NaverBlogSource
from tracker.scrapers.rss import RssSource
from tracker.scrapers.tistory import TistorySource
from tracker.timeutil import KST

FEEDS = Path(__file__).parent / "fixtures" / "feeds"

GOOGLE_URL = (  # "데이터 라벨러 모집"
    "https://news.google.com/rss/search"
    "?q=%EB%8D%B0%EC%9D%B4%ED%84%B0%20%EB%9D%BC%EB%B2%A8%EB%9F%AC%20%EB%AA%A8%EC%A7%91&hl=ko&gl=KR&ceid=KR:ko"
)
NAVER_URL = "https://rss.blog.naver.com/label_jiyoon.xml"
TISTORY_URL = "https://labeljob.tistory.com/rss"
GN = "https://news.google.com/rss/articles/"


def feed(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def make(cls, url: str = "", **options):
    return cls(SourceConfig(name=f"test {cls.kind}", kind=cls.kind, url=url, options=options))


def parse(cls, name: str, url: str = "https://example.kr/feed") -> list[RawPosting]:
    return make(cls).parse(feed(name), url)


# --- kinds ----------------------------------------------------------------------------------


def test_every_class_is_named_after_its_kind():
    assert [cls.kind for cls in (RssSource, GoogleNewsSource, NaverBlogSource, TistorySource)] == [
        "rss", "google_news", "naver_blog", "tistory"]
    assert GoogleNewsSource.required == ("query",)
    assert NaverBlogSource.required == ("blog_id",) and TistorySource.required == ("blog",)  # or url
    assert RssSource.required == ("url",)


# --- Google News ----------------------------------------------------------------------------


def test_google_news_items():
    postings = parse(GoogleNewsSource, "google_news.xml", GOOGLE_URL)
    assert [(p.title, p.organization) for p in postings] == [
        ("크라우드웍스, 데이터 라벨러 1만명 모집…재택·건당 50원부터", "전자신문"),
        ("NIA, 2027년 인공지능 학습용 데이터 구축 사업 공모 착수", "한국경제"),
        # only the last " - " separates the outlet
        ("데이터 라벨링 부업 - 시급 12,000원 재택 검수자 모집", "머니투데이"),
        # the suffix is not the <source> name: the title is kept whole, the outlet is <source>
        ("AIDE 1급 검수자 월 200만원…의료영상 라벨링 인력 모집 - 뉴시스", "NEWSIS"),
        # no <source>: split on the last " - "
        ("셀렉트스타 캐시미션, 음성 전사 작업자 모집 ~11/30", "지디넷코리아"),
        ('"부업으로 월 100만원"…데이터 라벨링 교육 수강생 몰려', "조선비즈"),
        ("에이모, 자율주행 바운딩박스·폴리곤 작업자 상시 모집", "디지털데일리"),
    ]


def test_google_news_links_ids_and_korean_times():
    postings = parse(GoogleNewsSource, "google_news.xml", GOOGLE_URL)
    assert [p.url for p in postings] == [  # the redirect link, minus ?oc=5
        GN + "CBMiQVVfeXFMX-zrZv_IbzjZUnhsbWlsecLbwjndTpG0ZynXOif7V-k",
        GN + "CBMiQVVfeXFMa4ayc_80_OGda4BO_1o_V0etpOqiLx1JwB5S3beHW0s",
        GN + "CBMiQVVfeXFM1HNeOiZeFu7gP1lxi5tdAwGcB9i2xR-Q2jpmbuwTqzU",
        GN + "CBMiQVVfeXFMTgdAhWK-24tgzgXB3s_jrRa3IjCWfeAfZAt-Rym0n84",
        GN + "CBMiQVVfeXFMSyJ3d9TdH8Ycb4hPSGQdArTRIdP9Moywi1Ux_Kzav4o",
        GN + "CBMiQVVfeXFM7y0SfeN7lCuq0GFF5UsMYZofIjJ7LrvPvsePVWSv450",
        GN + "CBMiQVVfeXFM5_bAEXdujbfNMwtUF0_Xb30CFrYSOHpf_PuB5vCRloM",
    ]
    assert [p.external_id for p in postings] == [p.url.removeprefix(GN) for p in postings]
    assert [p.published for p in postings] == [
        datetime(2026, 11, 20, 18, 30, tzinfo=KST),  # Fri, 20 Nov 2026 09:30:00 GMT
        datetime(2026, 11, 20, 8, 5, tzinfo=KST),  # Thu, 19 Nov 2026 23:05:00 GMT: next day in Korea
        datetime(2026, 11, 19, 15, 12, tzinfo=KST),
        datetime(2026, 11, 18, 17, 41, 27, tzinfo=KST),
        datetime(2026, 11, 18, 10, 0, tzinfo=KST),
        datetime(2026, 11, 18, 0, 0, tzinfo=KST),
        datetime(2026, 11, 16, 17, 0, tzinfo=KST),
    ]
    assert all(p.published.utcoffset().total_seconds() == 9 * 3600 for p in postings)


def test_google_news_summaries_are_the_items_own_snippet():
    postings = parse(GoogleNewsSource, "google_news.xml", GOOGLE_URL)
    assert postings[0].summary == "크라우드웍스, 데이터 라벨러 1만명 모집…재택·건당 50원부터"
    # a story cluster (<ol><li>…): only the item's own link, not the other outlet's headline
    assert postings[5].summary == '"부업으로 월 100만원"…데이터 라벨링 교육 수강생 몰려'
    assert all("연합뉴스" not in p.summary and "고용24" not in p.summary for p in postings)
    for p in postings:
        assert "<" not in p.summary and "&nbsp;" not in p.summary and "\xa0" not in p.summary
        assert p.deadline is None and p.pay_text == "" and p.region == ""


@pytest.mark.parametrize(("title", "source", "expected"), [
    ("라벨러 모집 - 전자신문", "전자신문", ("라벨러 모집", "전자신문")),
    ("부업 - 시급 12,000원 - 머니투데이", "머니투데이", ("부업 - 시급 12,000원", "머니투데이")),
    ("라벨러 모집 - 뉴시스", "NEWSIS", ("라벨러 모집 - 뉴시스", "NEWSIS")),
    ("라벨러 모집", "전자신문", ("라벨러 모집", "전자신문")),
    ("부업 - 시급 12,000원 - 머니투데이", "", ("부업 - 시급 12,000원", "머니투데이")),
    ("라벨러 모집", "", ("라벨러 모집", "")),
    ("라벨러 모집-전자신문", "", ("라벨러 모집-전자신문", "")),  # a bare hyphen is part of the headline
])
def test_split_outlet(title, source, expected):
    assert split_outlet(title, source) == expected


def test_google_news_request_from_query():
    request = make(GoogleNewsSource, query="데이터 라벨러 모집").request()
    assert request.url == GOOGLE_URL and dict(request.params) == {}
    query = parse_qs(urlsplit(request.url).query)
    assert query == {"q": ["데이터 라벨러 모집"], "hl": ["ko"], "gl": ["KR"], "ceid": ["KR:ko"]}


def test_google_news_query_operators_survive_encoding():
    request = make(GoogleNewsSource, query='"AIDE 1급" +재택 when:7d').request()
    assert request.url == ("https://news.google.com/rss/search?q=%22AIDE%201%EA%B8%89%22%20%2B%EC%9E%AC%ED%83%9D"
                           "%20when%3A7d&hl=ko&gl=KR&ceid=KR:ko")
    assert parse_qs(urlsplit(request.url).query)["q"] == ['"AIDE 1급" +재택 when:7d']


def test_google_news_url_wins_over_query():
    url = "https://news.google.com/rss/search?q=%EB%9D%BC%EB%B2%A8%EB%A7%81&hl=ko&gl=KR&ceid=KR:ko"
    assert make(GoogleNewsSource, url=url, query="무시됨").request().url == url


def test_google_news_without_query_or_url_is_refused_in_korean():
    with pytest.raises(SourceDisabled, match="검색어"):
        make(GoogleNewsSource).request()


def test_google_news_empty_search_is_no_items():
    assert parse(GoogleNewsSource, "empty_channel.xml", GOOGLE_URL) == []


# --- Naver blog -----------------------------------------------------------------------------


def test_naver_blog_items():
    postings = parse(NaverBlogSource, "naver_blog.xml", NAVER_URL)
    # the sixth item has an empty title and is skipped
    assert [p.title for p in postings] == [
        "[크라우드웍스] 신규 프로젝트 작업자 모집 (재택, 건당 50원)",
        "AIDE 2급 이상 바운딩박스 검수자 모집 ~11/30 (에이모 & 테스트웍스)",  # &amp; inside CDATA
        "메트웍스 음성 전사 단기 알바 후기 - 시급 12,000원",
        "레이블러 폴리곤 사전 테스트 합격 후기 (월 200만원 가능?)",
        "나초스 이미지 분류 프로젝트 오픈 알림",
    ]
    assert [p.url for p in postings] == [  # ?fromRss=true&trackingCode=rss removed
        "https://blog.naver.com/label_jiyoon/224081234567",
        "https://blog.naver.com/label_jiyoon/224080987654",
        "https://blog.naver.com/label_jiyoon/224079555001",
        "https://blog.naver.com/label_jiyoon/224077000321",
        "https://blog.naver.com/label_jiyoon/224075112233",
    ]
    # guid without tracking parameters; the item without a guid falls back to its link
    assert [p.external_id for p in postings] == [p.url for p in postings]
    assert [p.organization for p in postings] == [
        "라벨링 부업 기록장"] * 5  # the blog's title: Naver's <author> is only the blog id
    assert [p.published for p in postings] == [
        datetime(2026, 11, 20, 21, 14, 5, tzinfo=KST),
        datetime(2026, 11, 19, 8, 3, 11, tzinfo=KST),
        datetime(2026, 11, 17, 23, 40, tzinfo=KST),
        datetime(2026, 11, 15, 12, 0, tzinfo=KST),
        datetime(2026, 11, 12, 7, 5, 59, tzinfo=KST),
    ]


def test_naver_blog_summaries_are_plain_and_short():
    postings = parse(NaverBlogSource, "naver_blog.xml", NAVER_URL)
    assert postings[0].summary == ("오늘 크라우드웍스에 새 프로젝트가 열렸어요! 간판 OCR 텍스트 입력 / 건당 50원 / "
                                   "재택 가능 / 사전 테스트 있음 마감 전에 인원이 차면 조기 종료된대요.")
    assert postings[1].summary == ("자율주행 차량 이미지 바운딩박스 검수자를 뽑습니다. AIDE 2급 이상 필수, 1급 우대. "
                                   "모집 기간: ~11/30 근무: 재택")
    long = postings[2].summary
    assert len(long) == 500 and long.endswith("…")
    assert long.startswith("지난주부터 메트웍스에서 음성 전사 단기 프로젝트를 했어요. 시급 12,000원이고")
    for p in postings:
        assert "<" not in p.summary and "&" not in p.summary and "\xa0" not in p.summary
        assert p.deadline is None and p.pay_text == ""


def test_naver_blog_request():
    assert make(NaverBlogSource, blog_id="label_jiyoon").request().url == NAVER_URL
    url = "https://rss.blog.naver.com/other-blog.xml"
    assert make(NaverBlogSource, url=url, blog_id="label_jiyoon").request().url == url


@pytest.mark.parametrize("options", [{}, {"blog_id": "  "}])
def test_naver_blog_needs_url_or_blog_id(options):
    with pytest.raises(SourceDisabled, match="url 또는 blog_id"):
        make(NaverBlogSource, **options).request()


def test_naver_blog_rejects_a_pasted_address_as_blog_id():
    with pytest.raises(SourceDisabled, match="블로그 아이디가 올바르지 않습니다"):
        make(NaverBlogSource, blog_id="https://blog.naver.com/label_jiyoon").request()


# --- Tistory --------------------------------------------------------------------------------


def test_tistory_items():
    postings = parse(TistorySource, "tistory.xml", TISTORY_URL)
    assert [p.title for p in postings] == [
        "[모집] 의료영상 폴리곤 라벨링 작업자 월 200만원 (판교 상주, 11/25 마감)",
        "인공지능 학습용 데이터 구축 사업 공모 정리 (NIA, 2027년)",
        "크라우드 Oh! 이미지 수집 & 라벨링 작업자 모집 (건당 200원)",
        "에이아이웍스 AIDE 1급 검수자 채용 (시급 15,000원, 가산 출근)",
    ]
    slug = ("%EC%9D%B8%EA%B3%B5%EC%A7%80%EB%8A%A5-%ED%95%99%EC%8A%B5%EC%9A%A9-%EB%8D%B0%EC%9D%B4%ED%84%B0-"
            "%EA%B5%AC%EC%B6%95-%EC%82%AC%EC%97%85-%EA%B3%B5%EB%AA%A8-%EC%A0%95%EB%A6%AC")
    assert [p.url for p in postings] == [
        "https://labeljob.tistory.com/87",
        f"https://labeljob.tistory.com/entry/{slug}",
        "https://labeljob.tistory.com/85",
        "https://labeljob.tistory.com/84",
    ]
    assert [p.external_id for p in postings] == [p.url for p in postings]
    assert {p.organization for p in postings} == {"라벨헌터"}
    assert [p.published for p in postings] == [  # +0900 is already Korean time
        datetime(2026, 11, 20, 20, 10, 3, tzinfo=KST),
        datetime(2026, 11, 19, 9, 0, tzinfo=KST),
        datetime(2026, 11, 18, 0, 30, tzinfo=KST),
        datetime(2026, 11, 16, 13, 45, 10, tzinfo=KST),
    ]


def test_tistory_summaries_are_plain_text():
    postings = parse(TistorySource, "tistory.xml", TISTORY_URL)
    # Inline tags do not split words: "<b>폴리곤</b>으로" stays "폴리곤으로".
    assert postings[0].summary == ("의료영상(CT) 장기 영역을 폴리곤으로 그리는 프로젝트입니다. "
                                   "급여: 월 200만원 (4대보험) 근무지: 판교 상주 / 평일 10~17시 마감: 11/25")
    assert postings[3].summary == ("텍스트 분류·개체명 태깅 결과를 검수할 AIDE 1급 소지자를 찾습니다. "
                                   "시급 15,000원, 가산디지털단지역 사무실 출근.")
    assert all("<" not in p.summary and "&" not in p.summary for p in postings)


def test_tistory_request():
    assert make(TistorySource, blog="labeljob").request().url == TISTORY_URL
    assert make(TistorySource, url="https://labeljob.tistory.com/rss?x=1", blog="other").request().url == (
        "https://labeljob.tistory.com/rss?x=1")
    with pytest.raises(SourceDisabled, match="url 또는 blog"):
        make(TistorySource).request()
    with pytest.raises(SourceDisabled, match="올바르지 않습니다"):
        make(TistorySource, blog="labeljob.tistory.com").request()


# --- generic RSS / Atom ---------------------------------------------------------------------


def test_rss_request_is_the_configured_url():
    request = make(RssSource, url="https://jobs.labelboard.kr/feed/").request()
    assert request.url == "https://jobs.labelboard.kr/feed/"
    assert "application/rss+xml" in request.headers["Accept"]


def test_atom_feed():
    postings = parse(RssSource, "atom.xml", "https://labelers.github.io/feed.xml")
    # the third entry has no link and is skipped
    assert postings == [
        RawPosting(
            title="플리토 번역 데이터 검수자 모집 (건당 120원)",  # <b> in a type="html" title removed
            url="https://labelers.github.io/2026/11/20/flitto-review.html",  # utm_* removed
            published=datetime(2026, 11, 20, 10, 0, tzinfo=KST),
            organization="모임지기",
            summary="영-한 번역 문장 쌍 검수. 건당 120원, 재택, ~12/4.",
            external_id="https://labelers.github.io/2026/11/20/flitto-review",
        ),
        RawPosting(
            title="데이터고블린 텍스트 수집 작업자 모집 (~12/10)",
            url="https://labelers.github.io/2026/11/18/datagoblin-text.html",  # relative href resolved
            published=datetime(2026, 11, 18, 12, 15, tzinfo=KST),  # <updated> 03:15Z, no <published>
            organization="데이터 라벨러 모임 소식",  # no author: the feed's title
            summary="일상 대화 문장을 직접 작성해 올리는 텍스트 수집 작업입니다. 문장당 30원.",  # from <content>
            external_id="https://labelers.github.io/2026/11/18/datagoblin-text",
        ),
    ]


def test_rss_1_0_feed():
    postings = parse(RssSource, "rss10.xml", "https://board.labelcafe.kr/rss")
    assert [(p.title, p.url, p.organization, p.published) for p in postings] == [
        ("테스트웍스 키포인트 라벨링 작업자 모집 (건당 80원)", "https://board.labelcafe.kr/jobs/5521", "테스트웍스 채용담당",
         datetime(2026, 11, 19, 14, 20, tzinfo=KST)),  # dc:date
        ("메트웍스 이미지 분류 단기 프로젝트", "https://board.labelcafe.kr/jobs/5517", "라벨카페 구인 게시판", None),
    ]


def test_valid_feed_with_zero_items_is_not_an_error():
    assert parse(RssSource, "empty_channel.xml") == []


def test_parse_is_pure_and_repeatable():
    source = make(NaverBlogSource, blog_id="label_jiyoon")
    assert source.parse(feed("naver_blog.xml"), NAVER_URL) == source.parse(feed("naver_blog.xml"), NAVER_URL)


# --- broken input ---------------------------------------------------------------------------


def test_truncated_feed_returns_the_complete_items():
    postings = parse(RssSource, "rss_truncated.xml", "https://jobs.labelboard.kr/feed/")
    # the third item is cut off inside its description and is dropped
    assert [(p.title, p.url, p.external_id, p.organization, p.published) for p in postings] == [
        ("캐시미션 음성 녹음 작업자 모집 (문장당 100원, 재택)", "https://jobs.labelboard.kr/2026/11/20/cashmission-voice/",
         "https://jobs.labelboard.kr/?p=1204", "운영자", datetime(2026, 11, 20, 12, 12, 44, tzinfo=KST)),
        ("라벨온 OCR 문서 라벨링 단기 알바 (시급 12,000원, 강남)", "https://jobs.labelboard.kr/2026/11/19/labelon-ocr/",
         "https://jobs.labelboard.kr/?p=1198", "운영자", datetime(2026, 11, 19, 14, 0, tzinfo=KST)),
    ]
    assert postings[0].summary == "셀렉트스타 캐시미션 앱에서 문장을 읽고 녹음하는 작업입니다. 문장당 100원, 재택 가능. […]"


def test_feed_cut_before_any_complete_item_raises():
    content = feed("rss_truncated.xml")
    cut = content[: content.index(b"</item>")]
    with pytest.raises(ParseError, match="완전한 항목을 하나도 읽지 못했습니다"):
        make(RssSource).parse(cut, "https://jobs.labelboard.kr/feed/")


def test_malformed_but_complete_feed_keeps_every_item():
    content = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>게시판</title>'
               "<item><title>재택&nbsp;라벨링 모집</title><link>https://a.kr/1</link></item>"
               "<item><title>검수자 모집</title><link>https://a.kr/2</link></item></channel></rss>").encode()
    postings = make(RssSource).parse(content, "https://a.kr/rss")
    assert [p.title for p in postings] == ["재택 라벨링 모집", "검수자 모집"]  # undefined entity &nbsp;


def test_html_error_page_raises_parse_error_in_korean():
    with pytest.raises(ParseError) as caught:
        make(RssSource).parse(feed("not_a_feed.html"), "https://example.kr/rss")
    message = str(caught.value)
    assert message.startswith("RSS/Atom 피드가 아닙니다: HTML 페이지를 받았습니다 (제목: 서비스 점검 중입니다)")
    assert "mismatched tag" in message  # feedparser's own complaint, briefly


@pytest.mark.parametrize("content", [
    b"",
    b"   \n",
    b"\x00\x01\x02\xff garbage",
    b'{"error": "rate limited"}',
    b"<foo><bar/></foo>",
    b"Too Many Requests",
])
def test_garbage_raises_parse_error(content):
    for cls in (RssSource, GoogleNewsSource, NaverBlogSource, TistorySource):
        with pytest.raises(ParseError, match="^RSS/Atom 피드가 아닙니다: "):
            make(cls).parse(content, "https://example.kr/rss")


def test_content_naming_a_local_file_is_not_read(tmp_path):
    """feedparser opens a file when given its name as bytes: parse must only read the content."""
    path = tmp_path / "feed.xml"
    path.write_bytes(feed("tistory.xml"))
    with pytest.raises(ParseError):
        make(RssSource).parse(str(path).encode(), "https://example.kr/rss")
