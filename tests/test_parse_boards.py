"""Board and job-API parsers: NIA, 고용24, 사람인 and the selector-driven list page.

Every fixture under tests/fixtures/boards is written in the real formats (see DOMAIN.md and the
module docstrings); nothing here touches the network, the clock or the environment.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from tracker.scrapers.base import ParseError, RawPosting, ScrapeError, SourceConfig, SourceDisabled
from tracker.scrapers.html_list import HtmlListSource
from tracker.scrapers.text import decode_html, parse_board_date
from tracker.scrapers.nia import NiaBoardSource
from tracker.scrapers.saramin_api import SaraminApiSource
from tracker.scrapers.work24 import Work24Source, work24_date
from tracker.timeutil import KST

FIXTURES = Path(__file__).parent / "fixtures" / "boards"
NIA_NOTICE_URL = "https://www.nia.or.kr/site/nia_kor/ex/bbs/List.do?cbIdx=99835"
NIA_BID_URL = "https://www.nia.or.kr/site/nia_kor/ex/bbs/List.do?cbIdx=78336"
VIEW = "https://www.nia.or.kr/site/nia_kor/ex/bbs/View.do"
BOARD_URL = "https://www.labelers.example/bbs/board.php?bo_table=jobs"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def kst(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=KST)


def nia(url: str = NIA_NOTICE_URL) -> NiaBoardSource:
    return NiaBoardSource(SourceConfig(name="NIA 공지", kind="nia", url=url))


def work24(**options) -> Work24Source:
    return Work24Source(SourceConfig(name="고용24", kind="work24", options=options),
                        env={"WORK24_API_KEY": "test-key-0000"})


def saramin(**options) -> SaraminApiSource:
    return SaraminApiSource(SourceConfig(name="사람인", kind="saramin_api", options=options),
                            env={"SARAMIN_ACCESS_KEY": "sar-key"})


BOARD_OPTIONS = {
    "item": "table.board_list tbody tr",
    "title": "td.td_subject a",
    "date": "td.td_date",
    "deadline": "td.td_deadline",
    "pay": "td.td_pay",
    "organization": "td.td_name",
    "remove": "span.cnt_cmt",
}


def board(**overrides) -> HtmlListSource:
    options = {**BOARD_OPTIONS, **overrides}
    options = {k: v for k, v in options.items() if v is not None}
    return HtmlListSource(SourceConfig(name="라벨러 모임", kind="html", url=BOARD_URL, options=options))


# ------------------------------------------------------------------------------------------------
# kinds

def test_each_class_kind_is_its_registry_name():
    assert NiaBoardSource.kind == "nia"
    assert Work24Source.kind == "work24"
    assert SaraminApiSource.kind == "saramin_api"
    assert HtmlListSource.kind == "html"
    assert HtmlListSource.required == ("url", "item", "title")
    assert Work24Source.required == ()
    assert Work24Source.env_keys == ("WORK24_API_KEY",)
    assert SaraminApiSource.env_keys == ("SARAMIN_ACCESS_KEY",)


# ------------------------------------------------------------------------------------------------
# NIA

def test_nia_notice_rows_titles_urls_dates_teams():
    postings = nia().parse(fixture("nia_notice.html"), NIA_NOTICE_URL)
    assert [p.external_id for p in postings] == ["29538", "30012", "30072", "30071", "30055", "30040", "29990"]
    assert [p.title for p in postings] == [
        "한국지능정보사회진흥원 직원 사칭 및 물품 발주·개인정보 요구 등에 대한 주의 안내",
        "2026년 인공지능 학습용 데이터 구축 사업 공모 안내",
        "[정정] 2026년 초거대 AI 확산 생태계 조성 사업 데이터 라벨링 참여기관 모집 공고 (접수기간 연장)",
        "2026년 초거대 AI 확산 생태계 조성 사업 데이터 라벨링 참여기관 모집 공고",
        "AI 학습용 데이터 품질검증 수행기관 선정 결과 안내",
        "AI 데이터 구축 & 검수 인력 풀(Pool) 등록 안내 (바운딩박스·폴리곤·음성 전사)",
        "2026년 AI 바우처 지원사업 2차 공고",
    ]
    assert [p.url for p in postings] == [
        f"{VIEW}?cbIdx=99835&bcIdx=29538&parentSeq=29538",
        f"{VIEW}?cbIdx=99835&bcIdx=30012&parentSeq=30012",
        f"{VIEW}?cbIdx=99835&bcIdx=30072&parentSeq=30071",  # parentSeq is the 4th argument
        f"{VIEW}?cbIdx=99835&bcIdx=30071&parentSeq=30071",
        f"{VIEW}?cbIdx=99835&bcIdx=30055&parentSeq=30055",
        f"{VIEW}?cbIdx=99835&bcIdx=30040&parentSeq=30040",
        f"{VIEW}?cbIdx=99835&bcIdx=29990&parentSeq=29990",
    ]
    assert [p.published for p in postings] == [
        kst(2026, 6, 15), kst(2026, 9, 22), kst(2026, 10, 5), kst(2026, 10, 2),
        kst(2026, 9, 29), kst(2026, 9, 25), kst(2026, 9, 10),
    ]
    assert [p.organization for p in postings] == [
        "한국지능정보사회진흥원 · 윤리소통팀",
        "한국지능정보사회진흥원 · AI데이터사업팀",
        "한국지능정보사회진흥원 · AI데이터사업팀",
        "한국지능정보사회진흥원 · AI데이터사업팀",
        "한국지능정보사회진흥원 · 데이터품질팀",  # the only writer <em>
        "한국지능정보사회진흥원",  # no writer at all
        "한국지능정보사회진흥원 · AI산업진흥팀",
    ]
    for posting in postings:
        assert posting.published.tzinfo is KST
        assert posting.published.utcoffset().total_seconds() == 9 * 3600
        assert posting.deadline is None and posting.pay_text == "" and posting.region == ""


def test_nia_badges_never_leak_into_titles():
    titles = " ".join(p.title for p in nia().parse(fixture("nia_notice.html"), NIA_NOTICE_URL))
    assert "첨부파일" not in titles
    assert "new" not in titles


def test_nia_pinned_row_repeated_in_the_list_is_kept_once():
    postings = nia().parse(fixture("nia_notice.html"), NIA_NOTICE_URL)
    assert [p.external_id for p in postings].count("30012") == 1
    assert len(postings) == 7


def test_nia_bid_board():
    postings = nia(NIA_BID_URL).parse(fixture("nia_bid.html"), NIA_BID_URL)
    assert postings == [
        RawPosting(
            title="[조달입찰공고] 2026년 인공지능 학습용 데이터 구축 사업(음성·자연어 분야) 품질관리 위탁용역",
            url=f"{VIEW}?cbIdx=78336&bcIdx=30046&parentSeq=30046",
            published=kst(2026, 10, 1),
            organization="한국지능정보사회진흥원 · 재무관리팀",
            external_id="30046",
        ),
        RawPosting(
            title="[사전규격공개] AI 학습데이터 라벨링 도구(저작도구) 고도화",
            url=f"{VIEW}?cbIdx=78336&bcIdx=30031&parentSeq=30031",
            published=kst(2026, 9, 24),
            organization="한국지능정보사회진흥원 · 재무관리팀",
            external_id="30031",
        ),
        RawPosting(
            title="[입찰공고] 공공부문 인공지능 신뢰기반 제도 교육 및 홍보 콘텐츠 제작",
            url=f"{VIEW}?cbIdx=78336&bcIdx=29977&parentSeq=29977",
            published=kst(2026, 9, 8),
            organization="한국지능정보사회진흥원 · 재무관리팀",
            external_id="29977",
        ),
    ]


def test_nia_detail_url_follows_the_page_it_was_read_from():
    mirror = "http://mirror.test/site/nia_kor/ex/bbs/List.do?cbIdx=78336&pageIndex=2"
    postings = nia(mirror).parse(fixture("nia_bid.html"), mirror)
    assert postings[0].url == "http://mirror.test/site/nia_kor/ex/bbs/View.do?cbIdx=78336&bcIdx=30046&parentSeq=30046"


def test_nia_changed_layout_is_a_parse_error():
    with pytest.raises(ParseError) as raised:
        nia().parse(fixture("nia_changed_layout.html"), NIA_NOTICE_URL)
    assert str(raised.value) == (
        "NIA 게시판 목록(div.board_type01)을 찾지 못했습니다: 페이지 구조가 바뀌었을 수 있습니다."
    )


def test_nia_empty_board_is_no_postings():
    assert nia().parse(fixture("nia_empty.html"), NIA_NOTICE_URL) == []


def test_nia_rows_without_dobbsfview_are_a_parse_error():
    page = fixture("nia_bid.html").replace(b"doBbsFView(", b"fnGoView(")
    with pytest.raises(ParseError) as raised:
        nia(NIA_BID_URL).parse(page, NIA_BID_URL)
    assert str(raised.value) == (
        "NIA 게시판 행에서 doBbsFView(…) 링크를 읽지 못했습니다: 페이지 구조가 바뀌었을 수 있습니다."
    )


def test_nia_truncated_page_is_a_parse_error():
    with pytest.raises(ParseError) as raised:
        nia().parse(fixture("truncated.html"), NIA_NOTICE_URL)
    assert str(raised.value) == "NIA 게시판 페이지가 중간에 끊겼습니다(</html> 없음): 다음 실행에서 다시 받습니다."


@pytest.mark.parametrize("content", [b"", b"   \n"])
def test_nia_empty_body_is_a_parse_error(content):
    with pytest.raises(ParseError) as raised:
        nia().parse(content, NIA_NOTICE_URL)
    assert str(raised.value) == "NIA 게시판 응답이 비어 있습니다."


def test_nia_garbage_is_a_layout_parse_error():
    with pytest.raises(ParseError) as raised:
        nia().parse(b"\x00\x01\x02\xff\xfe garbage", NIA_NOTICE_URL)
    assert "div.board_type01" in str(raised.value)


def test_nia_page_declared_euc_kr_is_decoded():
    text = fixture("nia_bid.html").decode("utf-8").replace("charset=UTF-8", "charset=euc-kr")
    postings = nia(NIA_BID_URL).parse(text.encode("cp949"), NIA_BID_URL)
    assert postings[0].title == "[조달입찰공고] 2026년 인공지능 학습용 데이터 구축 사업(음성·자연어 분야) 품질관리 위탁용역"
    assert postings[0].organization == "한국지능정보사회진흥원 · 재무관리팀"


def test_nia_undeclared_cp949_page_falls_back():
    text = fixture("nia_bid.html").decode("utf-8").replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n', "")
    assert "charset" not in text
    postings = nia(NIA_BID_URL).parse(text.encode("cp949"), NIA_BID_URL)
    assert [p.external_id for p in postings] == ["30046", "30031", "29977"]
    assert postings[2].title == "[입찰공고] 공공부문 인공지능 신뢰기반 제도 교육 및 홍보 콘텐츠 제작"


def test_nia_request_is_the_configured_url():
    request = nia(NIA_BID_URL).request()
    assert request.url == NIA_BID_URL and dict(request.params) == {}


# ------------------------------------------------------------------------------------------------
# 고용24

def test_work24_request_reads_the_key_and_options():
    request = work24().request()
    assert request.url == "https://www.work24.go.kr/cm/openApi/call/wk/callOpenApiSvcInfo210L01.do"
    assert dict(request.params) == {
        "authKey": "test-key-0000", "callTp": "L", "returnType": "XML", "startPage": "1",
        "display": "100", "keyword": "데이터 라벨링",
    }
    custom = Work24Source(
        SourceConfig(name="고용24", kind="work24", url="http://proxy.test/210L01.do",
                     options={"keyword": "음성 전사", "display": 30}),
        env={"WORK24_API_KEY": "k"},
    ).request()
    assert custom.url == "http://proxy.test/210L01.do"
    assert custom.params["keyword"] == "음성 전사" and custom.params["display"] == "30"


def test_work24_without_key_is_disabled():
    source = Work24Source(SourceConfig(name="고용24", kind="work24"), env={})
    assert source.disabled_reason() == "API 키가 없습니다: 환경 변수 WORK24_API_KEY를 설정하면 켜집니다."


def test_work24_items():
    postings = work24().parse(fixture("work24.xml"), "https://www.work24.go.kr/")
    assert [p.external_id for p in postings] == [
        "K151612609170031", "K120112609220007", "K162412609240015", "K151112609250042", "K130212609260003",
    ]
    assert [p.title for p in postings] == [
        "[재택] 이미지 바운딩박스 & 폴리곤 라벨링 작업자 모집 (AIDE 2급 우대)",  # was "&amp;amp;"
        "AI 학습데이터 검수자(정규직) 채용 - OCR·문서 라벨링 검수",
        "음성 전사(받아쓰기) 단기 아르바이트 <재택 가능>",  # from "&amp;lt;재택 가능&amp;gt;"
        "영상 데이터 키포인트·스켈레톤 라벨러 상시 채용",
        "2026년 데이터 라벨링 일자리 사업 참여자(기간제) 모집",
    ]
    assert [p.organization for p in postings] == [
        "(주)라벨링랩", "주식회사 데이터누리", "(주)보이스메이트", "에이아이그라운드 주식회사", "(재)지역데이터산업진흥센터",
    ]
    assert [p.pay_text for p in postings] == [
        "시급 12,000원 이상", "월급 200만원 ~ 230만원", "시급 10,320원", "연봉 2,600만원 ~ 2,900만원", "월급 215만원",
    ]
    assert [p.region for p in postings] == ["서울 금천구", "경기 성남시 분당구", "대전 유성구", "서울 강남구", "광주 북구"]
    assert [p.published for p in postings] == [
        kst(2026, 9, 17), kst(2026, 9, 22), kst(2026, 9, 24), kst(2026, 9, 25), kst(2026, 9, 26),
    ]
    assert [p.deadline for p in postings] == [
        date(2026, 10, 1),    # 26-10-01
        date(2026, 10, 4),    # 20261004
        date(2026, 11, 30),   # 채용시까지  26-11-30
        None,                 # 채용시까지
        date(2026, 10, 15),   # 2026-10-15
    ]
    assert postings[0].url == (
        "https://www.work24.go.kr/wk/a/b/1500/empDetailAuthView.do"
        "?wantedAuthNo=K151612609170031&infoTypeCd=VALIDATION&infoTypeGroup=tb_workinfoworknet"
    )


@pytest.mark.parametrize("text, expected", [
    ("26-10-01", date(2026, 10, 1)),
    ("20261004", date(2026, 10, 4)),
    ("채용시까지  26-11-30", date(2026, 11, 30)),
    ("채용시까지", None),
    ("2026-10-01", date(2026, 10, 1)),
    ("99991231", None),
    ("26-13-01", None),
    ("", None),
])
def test_work24_date_formats(text, expected):
    assert work24_date(text) == expected


def test_work24_empty_result_is_no_postings():
    assert work24().parse(fixture("work24_empty.xml"), "https://www.work24.go.kr/") == []


def test_work24_error_root_is_a_parse_error_with_the_api_message():
    with pytest.raises(ParseError) as raised:
        work24().parse(fixture("work24_error.xml"), "https://www.work24.go.kr/")
    assert str(raised.value) == "고용24 API 오류: 신청하신 OpenApi 서비스가 존재하지 않습니다"


def test_work24_message_error_inside_wanted_root():
    content = ("<?xml version='1.0' encoding='UTF-8'?><wantedRoot><message>인증키가 유효하지 않습니다.</message>"
               "<messageCd>002</messageCd></wantedRoot>").encode()
    with pytest.raises(ParseError) as raised:
        work24().parse(content, "")
    assert str(raised.value) == "고용24 API 오류: 인증키가 유효하지 않습니다. (코드 002)"


def test_work24_personal_member_error_under_message():
    content = "<GO24><message>개인회원은 사용할 수 없는 OPEN-API입니다.</message></GO24>".encode()
    with pytest.raises(ParseError) as raised:
        work24().parse(content, "")
    assert str(raised.value) == "고용24 API 오류: 개인회원은 사용할 수 없는 OPEN-API입니다."


def test_work24_not_xml_is_a_parse_error():
    with pytest.raises(ParseError) as raised:
        work24().parse(b"<html><body>\xec\xa0\x90\xea\xb2\x80 \xec\xa4\x91</body>", "")
    assert str(raised.value).startswith("고용24 응답을 XML로 읽지 못했습니다(")


def test_work24_truncated_xml_is_a_parse_error():
    content = fixture("work24.xml")
    with pytest.raises(ParseError) as raised:
        work24().parse(content[: len(content) // 2], "")
    assert str(raised.value).startswith("고용24 응답을 XML로 읽지 못했습니다(")
    assert str(raised.value).endswith("잘렸거나 XML이 아닙니다.")


@pytest.mark.parametrize("content", [
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><wantedRoot>&lol;</wantedRoot>',
    b'<!doctype wantedRoot SYSTEM "file:///etc/passwd"><wantedRoot/>',
    b'<wantedRoot><!ENTITY x "y"></wantedRoot>',
])
def test_work24_refuses_dtd_and_entities(content):
    with pytest.raises(ParseError) as raised:
        work24().parse(content, "")
    assert str(raised.value) == "고용24 응답에 DTD/엔티티 선언이 있어 읽지 않았습니다."


def test_work24_euc_kr_declaration_is_honoured():
    text = fixture("work24.xml").decode("utf-8").replace("encoding='UTF-8'", "encoding='EUC-KR'")
    postings = work24().parse(text.encode("cp949"), "")
    assert postings[1].organization == "주식회사 데이터누리"
    assert postings[2].deadline == date(2026, 11, 30)


def test_work24_unknown_root_is_a_parse_error():
    with pytest.raises(ParseError) as raised:
        work24().parse(b"<response><items/></response>", "")
    assert str(raised.value) == "고용24 응답 형식을 알 수 없습니다: 최상위 요소가 <response>입니다."


def test_work24_empty_body():
    with pytest.raises(ParseError) as raised:
        work24().parse(b"", "")
    assert str(raised.value) == "고용24 응답이 비어 있습니다."


# ------------------------------------------------------------------------------------------------
# 사람인

def test_saramin_request():
    request = saramin().request()
    assert request.url == "https://oapi.saramin.co.kr/job-search"
    assert dict(request.params) == {"access-key": "sar-key", "keywords": "데이터 라벨링", "count": "100"}
    assert request.headers["Accept"] == "application/json"
    custom = saramin(keywords="음성 전사", count=20).request()
    assert custom.params["keywords"] == "음성 전사" and custom.params["count"] == "20"


def test_saramin_without_key_is_disabled():
    source = SaraminApiSource(SourceConfig(name="사람인", kind="saramin_api"), env={"SARAMIN_ACCESS_KEY": ""})
    assert source.disabled_reason() == "API 키가 없습니다: 환경 변수 SARAMIN_ACCESS_KEY를 설정하면 켜집니다."


def test_saramin_jobs():
    postings = saramin().parse(fixture("saramin.json"), "https://oapi.saramin.co.kr/job-search")
    assert [p.external_id for p in postings] == ["51234567", "51240011", "51251876", "51260420"]
    assert [p.title for p in postings] == [
        "[재택] AI 학습데이터 바운딩박스·폴리곤 작업자 모집 (건당 80원)",
        "AI 데이터 검수자(1급) 정규직 채용 & 라벨링 PM",
        "음성 전사 아르바이트 (시급 12,000원, 재택)",
        "OCR 문서 데이터 라벨러 상시 모집",
    ]
    assert [p.organization for p in postings] == [
        "(주)라벨링랩", "주식회사 데이터누리", "(주)보이스메이트", "에이아이그라운드 주식회사",
    ]
    assert [p.pay_text for p in postings] == ["면접 후 결정", "2,600~2,800만원", "회사내규에 따름", "2,400~2,600만원"]
    assert [p.region for p in postings] == [
        "서울 > 강남구,서울 > 금천구", "경기 > 성남시 분당구", "대전 > 대전전체", "서울전체",
    ]
    assert [p.published for p in postings] == [
        kst(2026, 9, 28, 10, 15), kst(2026, 9, 30, 14, 2, 31), kst(2026, 10, 1, 7, 30), kst(2026, 10, 4, 18, 40, 12),
    ]
    # The 3rd was posted at 07:30 in Korea, still 30 September in UTC: the Korean day counts.
    assert postings[2].published.date() == date(2026, 10, 1)
    assert [p.deadline for p in postings] == [
        date(2026, 10, 12),   # 23:59:59 KST
        date(2026, 10, 20),
        date(2026, 10, 16),   # 06:00 KST is still 15 October in UTC
        None,                 # 상시: no expiration-timestamp
    ]
    assert postings[0].url == (
        "http://www.saramin.co.kr/zf_user/jobs/relay/view?rec_idx=51234567"
        "&utm_source=job-search-api&utm_medium=api&utm_campaign=saramin-job-search-api"
    )
    for posting in postings:
        assert posting.published.utcoffset().total_seconds() == 9 * 3600


def test_saramin_error_json_is_a_parse_error_with_the_message():
    with pytest.raises(ParseError) as raised:
        saramin().parse(fixture("saramin_error.json"), "")
    assert str(raised.value) == "사람인 API 오류: 유효하지 않은 access-key 입니다. (코드 3)"


def test_saramin_json_without_jobs_is_a_parse_error():
    with pytest.raises(ParseError) as raised:
        saramin().parse(b'{"result": []}', "")
    assert str(raised.value) == "사람인 응답에 채용공고 목록(jobs)이 없습니다: 응답 형식이 바뀌었을 수 있습니다."


def test_saramin_not_json_is_a_parse_error():
    with pytest.raises(ParseError) as raised:
        saramin().parse(b'<?xml version="1.0"?><job-search><jobs count="0"/></job-search>', "")
    assert str(raised.value).startswith("사람인 응답을 JSON으로 읽지 못했습니다(")


def test_saramin_truncated_json_is_a_parse_error():
    content = fixture("saramin.json")
    with pytest.raises(ParseError) as raised:
        saramin().parse(content[:700], "")
    assert str(raised.value).endswith("잘렸거나 JSON이 아닙니다.")


def test_saramin_no_results_and_single_job_shapes():
    assert saramin().parse(b'{"jobs": {"count": 0, "start": 0, "total": "0"}}', "") == []
    single = (b'{"jobs": {"count": 1, "job": {"id": "9", "url": "https://www.saramin.co.kr/x?rec_idx=9",'
              b' "position": {"title": "\xea\xb2\x80\xec\x88\x98"}}}}')
    postings = saramin().parse(single, "")
    assert [(p.title, p.external_id, p.published, p.deadline) for p in postings] == [("검수", "9", None, None)]


# ------------------------------------------------------------------------------------------------
# Generic list page

def test_html_list_rows():
    postings = board().parse(fixture("html_list.html"), BOARD_URL)
    assert postings == [
        RawPosting(
            title="[필독] 모집글 작성 규칙 (단가·마감일 필수 기재)",
            url="https://www.labelers.example/bbs/board.php?bo_table=jobs&wr_id=17",
            published=kst(2026, 1, 5), organization="운영자", deadline=None, pay_text="-",
        ),
        RawPosting(
            title="[재택] 자율주행 이미지 바운딩박스 작업자 30명 모집",  # comment count removed
            url="https://www.labelers.example/bbs/board.php?bo_table=jobs&wr_id=1208",
            published=kst(2026, 10, 2), organization="라벨온", deadline=date(2026, 10, 15), pay_text="건당 80원",
        ),
        RawPosting(
            title="OCR 영수증 텍스트 검수자 모집 (AIDE 2급 이상)",
            url="https://www.labelers.example/bbs/board.php?bo_table=jobs&wr_id=1207",  # "./board.php…"
            published=kst(2026, 10, 1), organization="데이터누리", deadline=date(2026, 10, 31),
            pay_text="시급 12,000원",
        ),
        RawPosting(
            title="음성 전사 & 화자 구분 작업 (상담 녹취, 재택)",
            url="https://www.labelers.example/bbs/board.php?bo_table=jobs&wr_id=1206",
            published=kst(2026, 9, 28), organization="보이스메이트", deadline=None, pay_text="월 200만원",
        ),
        RawPosting(
            title="연말 집중 프로젝트 - 상품 이미지 분류·태깅 단기 인력",
            url="https://www.labelers.example/bbs/board.php?bo_table=jobs&wr_id=1204",
            # "09.26" takes the page's year; "~01.10" falls before it, so it is next January
            published=kst(2026, 9, 26), organization="크라우드 모아", deadline=date(2027, 1, 10),
            pay_text="건당 30원~50원",
        ),
    ]


def test_html_list_skips_ad_rows_and_javascript_links():
    titles = [p.title for p in board().parse(fixture("html_list.html"), BOARD_URL)]
    assert not any("광고" in t for t in titles)
    assert not any("회원전용" in t for t in titles)


def test_html_list_minimal_options_and_fixed_organization():
    source = HtmlListSource(SourceConfig(
        name="라벨러 모임", kind="html", url=BOARD_URL,
        options={"item": "tbody tr", "title": "td.td_subject", "organization_name": "라벨러 모임"},
    ))
    postings = source.parse(fixture("html_list.html"), BOARD_URL)
    # The title cell is not a link, so the row's first usable <a href> is; the ad row has no title cell
    # and the members-only row only a javascript: link, so both are skipped.
    assert len(postings) == 5
    assert postings[1].title == "[재택] 자율주행 이미지 바운딩박스 작업자 30명 모집 12"
    assert postings[1].url == "https://www.labelers.example/bbs/board.php?bo_table=jobs&wr_id=1208"
    assert {p.organization for p in postings} == {"라벨러 모임"}
    assert all(p.published is None and p.deadline is None and p.pay_text == "" for p in postings)


def test_html_list_inline_markup_stays_inside_words():
    page = fixture("html_list.html").replace(
        "OCR 영수증 텍스트 검수자 모집".encode(), "<b>OCR</b> 영수증 <em>텍스트</em>검수자 모집".encode())
    postings = board().parse(page, BOARD_URL)
    assert postings[2].title == "OCR 영수증 텍스트검수자 모집 (AIDE 2급 이상)"


def test_html_list_explicit_link_selector():
    source = board(link="td.td_subject")
    postings = source.parse(fixture("html_list.html"), BOARD_URL)
    assert postings[2].url == "https://www.labelers.example/bbs/board.php?bo_table=jobs&wr_id=1207"


def test_html_list_date_format_option():
    page = fixture("html_list.html").replace(b">2026.10.01<", b">01/10/2026<")
    postings = board(date_format="%d/%m/%Y").parse(page, BOARD_URL)
    assert postings[2].published == kst(2026, 10, 1)


def test_html_list_year_option_for_month_day_dates():
    postings = board(year="2025").parse(fixture("html_list.html"), BOARD_URL)
    assert postings[1].published == kst(2025, 10, 2)
    assert postings[1].deadline == date(2025, 10, 15)
    assert postings[2].published == kst(2026, 10, 1)  # written in full: the option does not apply


def test_html_list_no_items_is_no_postings():
    assert board(item="ul.job-cards > li").parse(fixture("html_list.html"), BOARD_URL) == []


def test_html_list_items_without_titles_is_a_parse_error_naming_the_selector():
    with pytest.raises(ParseError) as raised:
        board(title="td.subject a").parse(fixture("html_list.html"), BOARD_URL)
    assert str(raised.value) == (
        "목록 항목 7개에서 제목(선택자 'td.subject a')을 찾지 못했습니다: 페이지 구조가 바뀌었을 수 있습니다."
    )


def test_html_list_titles_without_links_is_a_parse_error():
    with pytest.raises(ParseError) as raised:
        board(link="td.td_name").parse(fixture("html_list.html"), BOARD_URL)
    assert str(raised.value) == (
        "제목은 6개 읽었지만 링크(선택자 'td.td_name')를 찾지 못했습니다: 페이지 구조가 바뀌었을 수 있습니다."
    )


def test_html_list_truncated_page_is_a_parse_error():
    with pytest.raises(ParseError) as raised:
        HtmlListSource(SourceConfig(name="x", kind="html", url=NIA_NOTICE_URL,
                                    options={"item": "div.board_type01 li", "title": "span.subject"})
                       ).parse(fixture("truncated.html"), NIA_NOTICE_URL)
    assert str(raised.value) == "목록 페이지가 중간에 끊겼습니다(</html> 없음): 다음 실행에서 다시 받습니다."


def test_html_list_euc_kr_community_board():
    text = fixture("html_list.html").decode("utf-8").replace('<meta charset="utf-8">', '<meta charset="euc-kr">')
    postings = board().parse(text.encode("cp949"), BOARD_URL)
    assert postings[3].title == "음성 전사 & 화자 구분 작업 (상담 녹취, 재택)"
    assert postings[3].organization == "보이스메이트"


def test_html_list_configuration_problems():
    missing = HtmlListSource(SourceConfig(name="x", kind="html", url=BOARD_URL, options={"item": "tr"}))
    assert missing.disabled_reason() == "CSS 선택자 'title'가 설정되지 않았습니다: data/sources.toml에 적어 주세요."
    broken = board(title="td[[")
    assert broken.disabled_reason() == "CSS 선택자 'title'(td[[)를 읽을 수 없습니다: 문법을 확인해 주세요."
    with pytest.raises(SourceDisabled):
        broken.parse(fixture("html_list.html"), BOARD_URL)
    assert board().disabled_reason() is None
    assert issubclass(SourceDisabled, ScrapeError)


# ------------------------------------------------------------------------------------------------
# helpers

@pytest.mark.parametrize("text, year, expected", [
    ("2026.10.02", None, (date(2026, 10, 2), True)),
    ("2026-10-02", None, (date(2026, 10, 2), True)),
    ("2026/10/02", None, (date(2026, 10, 2), True)),
    ("2026년 10월 2일", None, (date(2026, 10, 2), True)),
    ("26.10.02", None, (date(2026, 10, 2), True)),
    ("10.02", 2026, (date(2026, 10, 2), False)),
    ("10.02", None, (None, False)),
    ("~10.15(목)", 2026, (date(2026, 10, 15), False)),
    ("14:32", 2026, (None, False)),
    ("상시", 2026, (None, False)),
    ("2026.02.30", None, (None, True)),
])
def test_parse_board_date(text, year, expected):
    assert parse_board_date(text, year=year) == expected


def test_decode_html_charsets():
    assert decode_html("<p>바운딩박스</p>".encode("utf-8")) == "<p>바운딩박스</p>"
    assert decode_html(b"\xef\xbb\xbf<p>ok</p>") == "<p>ok</p>"
    euc = '<meta charset="EUC-KR"><p>폴리곤</p>'.encode("cp949")
    assert decode_html(euc) == '<meta charset="EUC-KR"><p>폴리곤</p>'
    assert decode_html("<p>검수</p>".encode("cp949")) == "<p>검수</p>"  # undeclared, not UTF-8
    bogus = '<meta charset="no-such-codec"><p>전사</p>'.encode("utf-8")
    assert decode_html(bogus).endswith("<p>전사</p>")
