"""The right fields on real-format documents: whole words, Google News' own snippet, 고용24's pay unit
and detail link, deadlines as written, ranges never a flat price, one posting per job (http/https),
and `parse html` with the selectors of sources.toml."""
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tracker.models import Posting
from tracker.models.enums import PayUnit, TaskType
from tracker.scrapers.__main__ import main
from tracker.scrapers.base import RawPosting, SourceConfig
from tracker.scrapers.google_news import GoogleNewsSource, own_snippet
from tracker.scrapers.normalize import Pay, find_deadline, has_word, is_remote, normalize, parse_pay, task_types
from tracker.scrapers.store import save_postings, url_key
from tracker.scrapers.work24 import Work24Source
from tracker.timeutil import KST

FIXTURES = Path(__file__).parent / "fixtures"
NEWS = SourceConfig(name="뉴스", kind="google_news", url="https://news.google.com/rss/search?q=x")


def news(name: str) -> list[dict]:
    raws = GoogleNewsSource(NEWS).parse((FIXTURES / "feeds" / name).read_bytes(), NEWS.url)
    return [normalize(r, NEWS, date(2026, 11, 30)) for r in raws]


# -- whole words -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "tasks", "remote"), [
    ("Senate Democrats unveil plan", [], False),
    ("voters say democracy is on the ballot", [], False),
    ("Democratic governors push back", [], False),
    ("workers to stay remote through winter", [], True),
    ("working remotely is over", [], False),
    ("OCR 텍스트 입력", [TaskType.OCR], False),
    ("OCR을 위한 이미지", [TaskType.OCR], False),
    ("간판(OCR) 작업", [TaskType.OCR], False),
    ("음성전사 작업자 모집", [TaskType.TRANSCRIPTION], False),
    ("전사를 맡아 주실 분", [TaskType.TRANSCRIPTION], False),
    ("전사적 자원 관리(ERP) 담당", [], False),
    ("이미지분류 및 검수자 모집 (재택근무)", [TaskType.CLASSIFICATION, TaskType.INSPECTION], True),
    ("분류기 성능 평가", [], False),
    ("주 5일 재택이었습니다. 검수자분이 꼼꼼했어요", [TaskType.INSPECTION], True),
    ("전사원 대상 교육, 검수완박 논란", [], False),
    ("음성을 전사하는 일", [TaskType.TRANSCRIPTION], False),
    ("원격 근무 가능", [], True),
    ("바운딩박스·bbox작업", [TaskType.BOUNDING_BOX], False),
    ("관절염 환자 설문", [], False),
    ("감정 라벨링 · 음성 녹취록 작성", [TaskType.TRANSCRIPTION, TaskType.CLASSIFICATION], False),
])
def test_task_and_remote_words_are_whole_words(text, tasks, remote):
    assert task_types(text) == tasks
    assert is_remote(text) is remote


def test_has_word():
    assert has_word("Remote OK", "remote") and not has_word("remoteness", "remote")
    assert has_word("검수자를 뽑습니다", "검수") and not has_word("검수표", "검수")


def test_us_and_world_headlines_get_no_ocr_or_remote():
    us, world = news("google_news_us.xml"), news("google_news_world.xml")
    assert (len(us), len(world)) == (20, 10)
    # before: 4 of 20 US and 1 of 10 world headlines were tagged OCR ("Democrats", "democracy"), and one of
    # each remote from another outlet's headline in a story cluster
    assert [r["title"] for r in us + world if r["task_types"] or r["remote"]] == []


# -- Google News: only the item's own title and snippet ----------------------------------------

def test_google_news_cluster_headlines_of_other_outlets_are_not_read():
    rows = news("google_news_cluster.xml")
    assert [r["summary"] for r in rows] == ["AI 학습데이터 구축 사업 예산 20% 늘린다", "음성 전사 작업자 모집, 시급 1만1천원"]
    first, second = rows
    # the cluster's other headlines said "재택 OCR 검수 알바, 건당 80원" and "접수 마감 12월 4일"
    assert (first["pay_amount"], first["remote"], first["task_types"], first["deadline"]) == (None, False, "", None)
    # "폴리곤 라벨러, 월 250만원" belongs to 한국경제's headline, not to this item
    assert (second["pay_amount"], second["task_types"]) == (None, "transcription")


def test_own_snippet():
    markup = ('<ol><li><a href="https://news.google.com/rss/articles/B?oc=5">다른 기사</a></li>'
              '<li><a href="https://news.google.com/rss/articles/A?oc=5">내 기사</a>&nbsp;<font>언론</font></li></ol>')
    assert own_snippet(markup, "https://news.google.com/rss/articles/A") == "내 기사"
    assert own_snippet("그냥 글", "https://x.kr/") == "그냥 글"


# -- 고용24 ----------------------------------------------------------------------------------------

def test_work24_pay_unit_from_saltpnm_and_link_from_wantedauthno():
    source = Work24Source(SourceConfig(name="고용24", kind="work24"), env={"WORK24_API_KEY": "k-1234"})
    postings = source.parse((FIXTURES / "boards" / "work24_fields.xml").read_bytes(), "https://www.work24.go.kr/")
    assert [p.pay_text for p in postings] == ["연봉 4100만원", "일급 9만원", "시급 10,320원 ~ 11,000원"]
    # before: the second item (no wantedInfoUrl) was dropped
    assert [p.external_id for p in postings] == ["K172212611160021", "K140812611180009", "K110512611190044"]
    assert postings[1].url == ("https://www.work24.go.kr/wk/a/b/1500/empDetailAuthView.do"
                               "?wantedAuthNo=K140812611180009&infoTypeCd=VALIDATION&infoTypeGroup=tb_workinfoworknet")
    assert postings[2].url.startswith("https://m.work24.go.kr/")  # the mobile link when only that one is given
    rows = [normalize(p, source.config, date(2026, 11, 30)) for p in postings]
    # 연봉 and 일급 keep their unit and amount; the 시급 range keeps its unit and no flat price
    assert [(r["pay_amount"], r["pay_unit"]) for r in rows] == [
        (41_000_000, PayUnit.YEAR), (90_000, PayUnit.DAY), (None, PayUnit.HOUR)]


# -- deadlines as written ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("접수마감일: 2026-12-05", date(2026, 12, 5)),
    ("마감일자 12월 7일(월) 18:00까지", date(2026, 12, 7)),
    ("지원 기간: 11월 20일 ~ 12월 9일", date(2026, 12, 9)),
    ("마감일: 2026.12.11(금)", date(2026, 12, 11)),
    ("모집 ~12/3", date(2026, 12, 3)),
    ("마감 일시: 12.10 (목) 23:59", date(2026, 12, 10)),
    ("월급 200만원 ~ 230만원", None),  # a pay range is no date
])
def test_deadlines_as_written(text, expected):
    assert find_deadline(text, date(2026, 11, 18)) == expected


def test_a_deadline_without_a_year_takes_the_published_year():
    raw = RawPosting(title="검수자 모집 ~1/8", url="https://x.kr/1", published=datetime(2026, 12, 28, tzinfo=KST))
    assert normalize(raw, NEWS, date(2027, 1, 2))["deadline"] == date(2027, 1, 8)


# -- pay: ranges and bounds keep their unit, never a flat price -----------------------------------

@pytest.mark.parametrize(("text", "pay"), [
    ("건당 50원", Pay(50, PayUnit.ITEM)),
    ("월급 200만원 ~ 230만원", Pay(None, PayUnit.MONTH, 2_000_000, 2_300_000)),
    ("건당 30~50원", Pay(None, PayUnit.ITEM, 30, 50)),
    ("건당 50원~80원", Pay(None, PayUnit.ITEM, 50, 80)),
    ("시급 1만~1.2만원", Pay(None, PayUnit.HOUR, 10_000, 12_000)),
    ("시급 12,000원 이상", Pay(None, PayUnit.HOUR, minimum=12_000)),
    ("건당 50원부터", Pay(None, PayUnit.ITEM, minimum=50)),
    ("시급 1만원 미만", Pay(None, PayUnit.HOUR, maximum=10_000)),
    ("건당 최대 120원", Pay(None, PayUnit.ITEM, maximum=120)),
    ("시급 최소 11,000원 보장", Pay(None, PayUnit.HOUR, minimum=11_000)),
    ("건당 50원 ~12/3 마감", Pay(50, PayUnit.ITEM)),  # a deadline after the price is no range
])
def test_pay_ranges_and_bounds(text, pay):
    assert parse_pay(text) == pay


def test_pay_text_keeps_the_range_as_written():
    raw = RawPosting(title="라벨러 모집 월급 200만원 ~ 230만원", url="https://x.kr/2")
    row = normalize(raw, NEWS, date(2026, 11, 30))
    assert (row["pay_text"], row["pay_amount"], row["pay_unit"]) == ("월급 200만원 ~ 230만원", None, PayUnit.MONTH)


# -- one posting per job -------------------------------------------------------------------------

def row(url: str, title: str) -> dict:
    return normalize(RawPosting(title=title, url=url, organization="사람인"), NEWS, date(2026, 11, 30))


def test_http_and_https_links_to_one_page_are_one_posting(engine):
    now = datetime(2026, 11, 30, 9, tzinfo=KST)
    with Session(engine) as session:
        assert save_postings(session, [row("http://www.saramin.co.kr/zf_user/jobs/view?rec_idx=1", "가")], now) == 1
        session.commit()
    with Session(engine) as session:
        # a second source (or the next run) gives the https link, with another title: the same job
        assert save_postings(session, [row("https://www.saramin.co.kr/zf_user/jobs/view?rec_idx=1", "나"),
                                       row("https://www.saramin.co.kr/zf_user/jobs/view?rec_idx=2", "다"),
                                       row("http://www.saramin.co.kr/zf_user/jobs/view?rec_idx=2", "라")], now) == 1
        session.commit()
    with Session(engine) as session:
        assert [p.title for p in session.exec(select(Posting).order_by(Posting.id))] == ["가", "다"]
    assert url_key("https://x.kr/a") == url_key("http://x.kr/a") == "x.kr/a"


# -- parse html with selectors -------------------------------------------------------------------

def test_parse_html_takes_the_selectors_of_sources_toml(capsys):
    board = str(FIXTURES / "boards" / "html_list.html")
    assert main(["parse", "html", board, "--url", "https://www.labelers.example/bbs/board.php?bo_table=jobs",
                 "--option", "item=table.board_list tbody tr", "--option", "title=td.td_subject a",
                 "--option", "date=td.td_date", "--option", "deadline=td.td_deadline",
                 "--option", "pay=td.td_pay", "--option", "organization=td.td_name",
                 "--option", "remove=span.cnt_cmt"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["title"], r["organization"], r["deadline"], r["pay_text"], r["pay_amount"]) for r in rows] == [
        ("[필독] 모집글 작성 규칙 (단가·마감일 필수 기재)", "운영자", None, "-", None),
        ("[재택] 자율주행 이미지 바운딩박스 작업자 30명 모집", "라벨온", "2026-10-15", "건당 80원", 80),
        ("OCR 영수증 텍스트 검수자 모집 (AIDE 2급 이상)", "데이터누리", "2026-10-31", "시급 12,000원", 12000),
        ("음성 전사 & 화자 구분 작업 (상담 녹취, 재택)", "보이스메이트", None, "월 200만원", 2_000_000),
        ("연말 집중 프로젝트 - 상품 이미지 분류·태깅 단기 인력", "크라우드 모아", "2027-01-10", "건당 30원~50원", None),
    ]
    assert rows[1]["url"] == "https://www.labelers.example/bbs/board.php?bo_table=jobs&wr_id=1208"
    assert rows[1]["published"] == "2026-10-02T00:00:00+09:00"
    # without the required selectors it says which one is missing
    assert main(["parse", "html", board]) == 2
    assert capsys.readouterr().err == (
        "읽지 못했습니다: CSS 선택자 'item'가 설정되지 않았습니다: data/sources.toml에 적어 주세요.\n")
    assert main(["parse", "html", board, "--option", "item"]) == 2
    assert "--option은 키=값 꼴이어야 합니다" in capsys.readouterr().err


@pytest.mark.parametrize("text, unit, amount", [
    ("연봉 4100만원", PayUnit.YEAR, 41_000_000),
    ("일급 120,000원", PayUnit.DAY, 120_000),
    ("일당 10만원 지급", PayUnit.DAY, 100_000),
])
def test_yearly_and_daily_pay_keep_their_unit(text, unit, amount):
    pay = parse_pay(text)
    assert (pay.unit, pay.amount) == (unit, amount)
