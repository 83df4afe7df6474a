"""python -m tracker.scrapers run | parse | list."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.localserver import FIXTURES, LocalServer, Reply
from tracker.scrapers.__main__ import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


def write_sources(tmp_path, text: str) -> str:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_run_prints_one_line_per_source_and_exits_2_when_one_failed(server, tmp_path, db_url, capsys, monkeypatch):
    monkeypatch.setattr("tracker.scrapers.runner.Fetcher", lambda: __import__(
        "tracker.scrapers.fetch", fromlist=["Fetcher"]).Fetcher(host_delay=0, backoff=0.01, sleep=lambda s: None))
    news = server.route("/news", Reply.file("feeds/google_news.xml"))
    broken = server.route("/broken", Reply(500))
    sources = write_sources(tmp_path, f'[[source]]\nname = "뉴스"\nkind = "google_news"\nurl = "{news}"\n\n'
                                      f'[[source]]\nname = "고장"\nkind = "rss"\nurl = "{broken}"\n\n'
                                      '[[source]]\nname = "꺼둠"\nkind = "rss"\nurl = "https://e.com"\nenabled = false\n')
    assert main(["run", "--sources", sources, "--db", db_url]) == 2
    lines = sorted(capsys.readouterr().out.splitlines())
    assert lines[0] == "[꺼짐] 꺼둠: 설정에서 꺼 두었습니다 (enabled = false)."
    assert lines[1].startswith("[성공] 뉴스: 7건 중 7건 해당, 새 공고 7건 (")
    assert lines[2] == "[실패] 고장: 서버 오류가 났습니다 (500). 3번 시도했습니다."

    server.route("/broken", Reply.file("feeds/tistory.xml"))
    assert main(["run", "--sources", sources, "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "[성공] 뉴스: 7건 중 7건 해당, 새 공고 0건" in out

    assert main(["list", "--db", db_url, "--json", "--status", "new"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 7 + 4
    assert {"title", "url", "published", "organization", "deadline"} <= set(rows[0])


def test_a_broken_config_file_exits_2(tmp_path, db_url, capsys):
    sources = write_sources(tmp_path, "[[source]\n")
    assert main(["run", "--sources", sources, "--db", db_url]) == 2
    assert capsys.readouterr().err.startswith("[설정 오류] 소스 설정 파일을 읽을 수 없습니다")


def test_parse_prints_json_lines_offline():
    done = subprocess.run(
        [sys.executable, "-m", "tracker.scrapers", "parse", "google_news", str(FIXTURES / "feeds/google_news.xml")],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout.splitlines()[0])
    assert first["title"] == "크라우드웍스, 데이터 라벨러 1만명 모집…재택·건당 50원부터"
    assert first["organization"] == "전자신문"
    assert first["published"] == "2026-11-20T18:30:00+09:00"
    assert first["url"] == "https://news.google.com/rss/articles/CBMiQVVfeXFMX-zrZv_IbzjZUnhsbWlsecLbwjndTpG0ZynXOif7V-k"
    assert first["deadline"] is None
    # "건당 50원부터" is a lower bound, not a flat unit price: the unit and the words are kept
    assert (first["pay_text"], first["pay_amount"], first["pay_unit"], first["remote"]) == (
        "건당 50원부터", None, "item", True)


def test_parse_reports_garbage(capsys):
    assert main(["parse", "rss", str(FIXTURES / "feeds/not_a_feed.html")]) == 2
    assert capsys.readouterr().err.startswith("읽지 못했습니다: RSS/Atom 피드가 아닙니다")


def test_list_copes_with_postings_without_date_or_pay(db_url, capsys):
    from datetime import datetime

    from sqlmodel import Session

    from tracker.db import connect
    from tracker.models import Posting
    from tracker.timeutil import KST

    engine = connect(db_url)
    with Session(engine) as session:
        session.add(Posting(source="NIA 공지", source_kind="nia", url="https://www.nia.or.kr/a?id=1",
                            title="AI 데이터 검수자 모집", dedupe_key="a"))
        session.add(Posting(source="뉴스", source_kind="google_news", url="https://news.example/b",
                            title="라벨러 모집", dedupe_key="b", published=datetime(2026, 11, 20, 9, 0, tzinfo=KST),
                            pay_text="건당 50원", pay_amount=50, pay_unit="item"))
        session.commit()
    assert main(["list", "--db", db_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2026-11-20 [새 공고] 라벨러 모집")
    assert lines[2].startswith("---------- [새 공고] AI 데이터 검수자 모집 — NIA 공지")
    assert main(["list", "--db", db_url, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["published"], r["pay_amount"], r["pay_unit"]) for r in rows] == [
        ("2026-11-20T09:00:00+09:00", 50, "item"), (None, None, None)]
