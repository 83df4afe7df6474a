"""The 모집 공고 page: a refresh in the background, paging in SQL, ranked by fit, Korean everywhere."""
from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.localserver import LocalServer, Reply
from tests.test_pages import click, open_page
from tracker import ledger
from tracker.db import connect, session_scope
from tracker.models import Posting, Project, RefreshRun
from tracker.scrapers.runner import refresh_status
from tracker.scrapers.text import KST


def wait_for_refresh(db_url: str, timeout: float = 30.0) -> None:
    """Until the latest background run has ended."""
    engine = connect(db_url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = refresh_status(engine)
            if status is not None and not status.active:
                return
            time.sleep(0.05)
        raise AssertionError("the refresh did not end")
    finally:
        engine.dispose()


def refresh(at, db_url: str):
    """Click 새로 가져오기, let the background run end, and draw the page as its poll would."""
    click(at, "새로 가져오기")
    wait_for_refresh(db_url)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sources_file(tmp_path, monkeypatch, text: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TRACKER_SOURCES", str(path))


def texts(at) -> list[str]:
    return [t.value for t in at.text]


@pytest.fixture
def slow_env(app_db, monkeypatch, tmp_path):
    with LocalServer() as server:
        news = server.route("/news", Reply.file("feeds/google_news.xml"))
        server.gate = threading.Event()
        slow = server.route("/slow", Reply(body=b"<rss/>", gate=server.gate))
        sources_file(tmp_path, monkeypatch, f'[[source]]\nname = "뉴스"\nkind = "google_news"\nurl = "{news}"\n\n'
                                            f'[[source]]\nname = "느린 곳"\nkind = "rss"\nurl = "{slow}"\n')
        yield server


def test_the_refresh_runs_in_the_background_and_one_at_a_time(slow_env, app_db):
    at = open_page("views/radar.py")
    click(at, "새로 가져오기")  # returns while the slow source is held unanswered
    engine = connect(app_db)
    assert refresh_status(engine).active and not slow_env.gate.is_set()
    engine.dispose()
    (button,) = [b for b in at.button if b.label == "새로 가져오기"]
    assert button.disabled, "no second run from this tab"
    other = open_page("views/radar.py")  # another tab sees the run and cannot start one either
    assert [b.disabled for b in other.button if b.label == "새로 가져오기"] == [True]
    slow_env.gate.set()  # the slow source answers now
    deadline = time.monotonic() + 10
    while not any(t.startswith("✅") for t in texts(at)) and time.monotonic() < deadline:
        time.sleep(0.1)
        at.run()  # what the fragment's poll does
    assert any(t.startswith("✅ [성공] 뉴스: 7건 중 7건 해당, 새 공고 7건") for t in texts(at))
    assert len(at.dataframe[0].value) == 7, "the page stays usable: the first source's postings are listed"
    wait_for_refresh(app_db)
    at.run()
    assert at.success[0].value == "새 공고 7건을 찾았습니다."
    assert [b.disabled for b in at.button if b.label == "새로 가져오기"] == [False]
    with Session(connect(app_db)) as s:
        runs = s.exec(select(RefreshRun)).all()
    assert [(r.active, r.done, r.total, r.new, r.failed) for r in runs] == [(None, 2, 2, 7, 0)]


def add_postings(db_url: str, count: int) -> None:
    start = datetime(2026, 11, 1, tzinfo=KST)
    with session_scope(connect(db_url)) as session:
        for n in range(count):
            seen = start + timedelta(minutes=n)
            session.add(Posting(
                source="뉴스" if n % 2 else "블로그", source_kind="google_news" if n % 2 else "naver_blog",
                url=f"https://example.com/{n}", title=f"공고 {n:03d}", organization="기관", dedupe_key=f"k{n}",
                first_seen=seen, last_seen=seen, published=seen,
                task_types="transcription" if n % 3 == 0 else "polygon",
                pay_amount=150 if n % 3 == 0 else None, pay_unit="item" if n % 3 == 0 else None,
                certificate="aide1" if n == 7 else "none", remote=True))


def test_pages_of_fifty_newest_first_with_filters_in_sql(app_db, monkeypatch, tmp_path):
    sources_file(tmp_path, monkeypatch, "")
    add_postings(app_db, 120)
    at = open_page("views/radar.py")
    table = at.dataframe[0].value
    assert list(table["title"][:3]) == ["공고 119", "공고 118", "공고 117"] and len(table) == 50
    assert at.caption[1].value == "120건 (새 공고 120건) · 1–50번째 · 최신순"
    task = at.selectbox(key="radar_task")
    assert (task.value, task.options[:2]) == ("", ["전체", "바운딩 박스"])  # "전체", never "Choose an option"
    task.set_value("transcription").run()
    assert at.caption[1].value == "40건 (새 공고 40건) · 1–40번째 · 최신순"
    at.selectbox(key="radar_task").set_value("").run()
    at.number_input(key="radar_page").set_value(3).run()
    assert list(at.dataframe[0].value["title"]) == [f"공고 {n:03d}" for n in range(19, -1, -1)]
    at.multiselect(key="radar_sources").select("뉴스").run()
    assert at.number_input(key="radar_page").value == 1  # page 3 no longer exists: back to the first
    assert at.caption[1].value == "60건 (새 공고 60건) · 1–50번째 · 최신순"
    at.text_input(key="radar_keyword").input("공고 11").run()
    assert list(at.dataframe[0].value["title"]) == ["공고 119", "공고 117", "공고 115", "공고 113", "공고 111"]
    shown = at.dataframe[0].value
    assert set(shown["pay"]) <= {"", "건당 150원"} and "None" not in set(shown["task_labels"])


def test_ranked_by_fit_with_the_reasons_in_words(app_db, monkeypatch, tmp_path):
    sources_file(tmp_path, monkeypatch, "")
    engine = connect(app_db)
    company = ledger.create_company(engine, {"name": "크라우드웍스"})
    speech = ledger.create_project(engine, {
        "company_id": company, "name": "음성 전사", "task_type": "transcription", "pay_scheme": "per_item",
        "unit_price": 170, "status": "completed"})
    ledger.create_worklog(engine, {"project_id": speech, "work_date": date(2026, 11, 2), "minutes": 600,
                                   "items_submitted": 1_100, "items_rejected": 33})
    add_postings(app_db, 12)
    at = open_page("views/radar.py")
    at.radio(key="radar_order").set_value("fit").run()
    table = at.dataframe[0].value
    assert list(table["title"][:4]) == ["공고 009", "공고 006", "공고 003", "공고 000"]  # 음성 전사 first
    assert list(table["fit"][:4]) == [96, 96, 96, 96] and list(table["hourly"][:1]) == [16_005]
    at.checkbox(key="radar_fitting").check().run()
    assert list(at.dataframe[0].value["title"]) == ["공고 009", "공고 006", "공고 003", "공고 000"]
    with Session(engine) as s:
        first = s.exec(select(Posting).where(Posting.title == "공고 009")).one()
    at.selectbox(key="radar_pick").set_value(first.id).run()
    reasons = next(t for t in texts(at) if t.startswith("맞춤 "))
    assert reasons == ("맞춤 96점 (내게 맞는 공고)\n"
                       "· 음성 전사: 내 평균 시급 ₩18,139, 이 공고 건당 150원이면 약 ₩16,000/시간\n"
                       "· 음성 전사 건당 단가: 내가 받아 온 평균 170원, 이 공고 150원\n"
                       "· 재택: 내 프로젝트는 대부분 재택")
    at.checkbox(key="radar_fitting").uncheck().run()
    with Session(engine) as s:
        needs_aide = s.exec(select(Posting).where(Posting.certificate == "aide1")).one()
    at.selectbox(key="radar_pick").set_value(needs_aide.id).run()
    reasons = next(t for t in texts(at) if t.startswith("맞춤 "))
    assert "· AIDE 1급이 필요한데 장부의 프로젝트에는 AIDE 자격증이 없습니다" in reasons.splitlines()


def test_applying_goes_through_a_dialog_and_kinds_are_in_korean(app_db, monkeypatch, tmp_path):
    with LocalServer() as server:
        news = server.route("/news", Reply.file("feeds/google_news.xml"))
        sources_file(tmp_path, monkeypatch, f'[[source]]\nname = "뉴스"\nkind = "google_news"\nurl = "{news}"\n')
        at = refresh(open_page("views/radar.py"), app_db)
    health = at.dataframe[1].value
    assert list(health["kind"]) == ["구글 뉴스"]
    engine = connect(app_db)
    with Session(engine) as s:
        posting = s.exec(select(Posting).where(Posting.title.startswith("데이터 라벨링 부업"))).one()  # 시급 12,000원
    at.selectbox(key="radar_pick").set_value(posting.id).run()
    assert not [b for b in at.button if b.label == "지원함으로 표시하고 프로젝트 만들기"], "only in the dialog"
    click(at, "지원했어요 → 프로젝트…")
    at.text_input(key="radar_apply_new_name").input("머니투데이 부업")
    click(at, "지원함으로 표시하고 프로젝트 만들기")
    assert at.success[0].value.startswith("지원한 공고로 표시하고 프로젝트(상태: 지원)를 만들었습니다")
    assert not [b for b in at.button if b.label == "지원함으로 표시하고 프로젝트 만들기"], "the dialog closed"
    with Session(engine) as s:
        (project,) = s.exec(select(Project)).all()
        assert (project.name, project.status, project.posting_id, project.unit_price, project.pay_scheme) == (
            posting.title, "applied", posting.id, 12_000, "per_hour")


def test_the_filters_are_sql_and_match_what_they_say(engine):
    from tracker.scrapers.listing import PostingFilter, count_postings, page_postings

    seen = datetime(2026, 11, 20, 9, 0, tzinfo=KST)
    rows = [  # title, task types, deadline, remote, status
        ("OCR 100% 재택", "ocr", date(2026, 11, 25), True, "new"),
        ("바운딩 박스", "bounding_box,polygon", date(2026, 12, 30), False, "saved"),
        ("숨긴 OCR", "ocr", None, True, "hidden"),
        ("폴리곤만", "polygon", date(2026, 11, 22), False, "new"),
    ]
    with session_scope(engine) as session:
        for n, (title, types, deadline, remote, status) in enumerate(rows):
            session.add(Posting(source="뉴스", source_kind="rss", url=f"https://example.com/{n}", title=title,
                                dedupe_key=title, first_seen=seen + timedelta(minutes=n), last_seen=seen,
                                task_types=types, deadline=deadline, remote=remote, status=status))
    today = date(2026, 11, 22)

    def titles(**kw) -> list[str]:
        return list(page_postings(engine, PostingFilter(today=today, **kw))["title"])

    assert titles() == ["폴리곤만", "바운딩 박스", "OCR 100% 재택"]
    assert titles(include_hidden=True)[1] == "숨긴 OCR"
    assert titles(task_type="polygon") == ["폴리곤만", "바운딩 박스"]
    assert titles(task_type="ocr", remote_only=True) == ["OCR 100% 재택"]
    assert titles(deadline_within=3) == ["폴리곤만", "OCR 100% 재택"]
    assert titles(keyword="ocr 100%") == ["OCR 100% 재택"] and titles(keyword="0%") == ["OCR 100% 재택"]
    assert titles(keyword="%") == ["OCR 100% 재택"]  # a literal percent sign, not a wildcard
    assert count_postings(engine, PostingFilter(today=today)) == (3, 2)
    page = page_postings(engine, PostingFilter(today=today, task_type="polygon"))
    assert list(page["task_labels"]) == ["폴리곤", "바운딩 박스, 폴리곤"] and list(page["status_label"]) == ["새 공고", "저장"]
    assert list(page["pay"]) == ["", ""] and list(page["kind_label"]) == ["RSS 피드", "RSS 피드"]
