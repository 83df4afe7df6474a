"""Pay, task types, remote, certificate, deadlines and de-duplication keys from posting text."""
from datetime import date, datetime

import pytest

from tracker.models.enums import Certificate, PayUnit, TaskType
from tracker.scrapers.base import RawPosting, SourceConfig
from tracker.scrapers.normalize import (
    certificate,
    dedupe_key,
    find_deadline,
    is_remote,
    normalize,
    parse_pay,
    passes_filters,
    task_types,
)
from tracker.scrapers.text import canonical_url, plain_text
from tracker.timeutil import KST


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("신규 프로젝트 작업자 모집 (재택, 건당 50원)", 50, PayUnit.ITEM),
        ("폴리곤 120원/건", 120, PayUnit.ITEM),
        ("문장당 1.5만원", 15_000, PayUnit.ITEM),
        ("음성 전사 시급 12,000원", 12_000, PayUnit.HOUR),
        ("검수 시간당 11,500 원", 11_500, PayUnit.HOUR),
        ("상주 검수자 월 200만원", 2_000_000, PayUnit.MONTH),
        ("월급 2,300,000원", 2_300_000, PayUnit.MONTH),
    ],
)
def test_parse_pay(text, amount, unit):
    pay = parse_pay(text)
    assert (pay.amount, pay.unit) == (amount, unit)


@pytest.mark.parametrize("text", ["12월 1,000원 지급 예정", "참가비 무료", "1만명 모집", ""])
def test_no_pay_where_none_is_stated(text):
    assert parse_pay(text) is None


def test_task_types_remote_and_certificate():
    text = "AIDE 2급 이상 바운딩박스·폴리곤 검수자 모집 (재택)"
    assert task_types(text) == [TaskType.BOUNDING_BOX, TaskType.POLYGON, TaskType.INSPECTION]
    assert is_remote(text) and not is_remote("판교 상주 근무")
    assert certificate(text) == Certificate.AIDE_2
    assert certificate("AIDE 1급 또는 2급") == Certificate.AIDE_1
    assert certificate("자격증 무관") == Certificate.NONE


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("검수자 모집 ~11/30", date(2026, 11, 20), date(2026, 11, 30)),
        ("모집 (~ 12.5)", date(2026, 11, 20), date(2026, 12, 5)),
        ("마감 12월 5일", date(2026, 11, 20), date(2026, 12, 5)),
        ("2026.11.30까지 접수", date(2026, 11, 20), date(2026, 11, 30)),
        ("1월 15일(금)까지", date(2026, 12, 20), date(2027, 1, 15)),  # next year's January
        ("~2/30 모집", date(2026, 12, 20), None),  # no such day
        ("데이터 라벨러 모집", date(2026, 11, 20), None),
    ],
)
def test_find_deadline(text, reference, expected):
    assert find_deadline(text, reference) == expected


def test_dedupe_key_ignores_case_spacing_punctuation_and_leading_tags():
    assert dedupe_key("[모집] 데이터 라벨러 모집!", "크라우드웍스") == dedupe_key("데이터  라벨러 모집", " 크라우드웍스")
    assert dedupe_key("AI Data", "X") == dedupe_key("ai data", "x")
    assert dedupe_key("데이터 라벨러 모집", "전자신문") != dedupe_key("데이터 라벨러 모집", "한국경제")


def test_canonical_url_drops_tracking_parameters():
    assert canonical_url("https://Blog.Naver.com/a/1?fromRss=true&trackingCode=rss") == "https://blog.naver.com/a/1"
    assert canonical_url("https://x.kr/p?id=3&utm_source=t#top") == "https://x.kr/p?id=3"
    assert canonical_url("https://news.google.com/rss/articles/CBM?oc=5") == "https://news.google.com/rss/articles/CBM"


def test_plain_text_strips_markup_and_entities():
    assert plain_text("<b>건당 50원</b> &amp; <a href='#'>재택</a>") == "건당 50원 & 재택"


def test_filters_and_normalize():
    config = SourceConfig(name="블로그", kind="naver_blog", include=("모집",), exclude=("광고",))
    raw = RawPosting(title="<b>[에이모]</b> 바운딩박스 작업자 모집 ~12/3 (재택, 건당 80원)",
                     url="https://blog.naver.com/a/9?fromRss=true&trackingCode=rss",
                     published=datetime(2026, 11, 21, 9, 0, tzinfo=KST), organization="라벨 일지",
                     summary="AIDE 2급 우대")
    assert passes_filters(raw, config)
    assert not passes_filters(RawPosting(title="광고: 모집", url="u"), config)
    assert not passes_filters(RawPosting(title="후기", url="u"), config)
    row = normalize(raw, config, date(2026, 11, 22))
    assert {k: row[k] for k in ("title", "url", "deadline", "pay_text", "pay_amount", "pay_unit", "task_types",
                                "remote", "certificate", "source", "source_kind")} == {
        "title": "[에이모] 바운딩박스 작업자 모집 ~12/3 (재택, 건당 80원)",
        "url": "https://blog.naver.com/a/9", "deadline": date(2026, 12, 3), "pay_text": "건당 80원",
        "pay_amount": 80, "pay_unit": PayUnit.ITEM, "task_types": "bounding_box", "remote": True,
        "certificate": Certificate.AIDE_2, "source": "블로그", "source_kind": "naver_blog",
    }


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "/relative/path", "", "ftp://x.kr/a"])
def test_canonical_url_refuses_what_is_not_http(url):
    assert canonical_url(url) == ""
