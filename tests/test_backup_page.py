"""The 설정·백업 page under streamlit's AppTest: it runs empty and on the demo, makes a backup to
download, and restores an uploaded file (refused over existing rows until the box is ticked)."""
from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.test_pages import click
from tracker import backup as bk
from tracker.db import connect

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "settings.py")
TODAY = date(2026, 11, 22)


def open_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_runs_on_an_empty_ledger(app_db):
    at = open_page()
    assert not at.error
    assert at.title[0].value == "설정·백업"
    assert not at.checkbox, "nothing to overwrite: no confirmation box"
    assert button(at, "복원").disabled, "no file yet"
    if bk.sqlite_file(connect(app_db)) is not None:
        assert at.code[0].value == sa_path(app_db)
        assert "아직 없습니다." in texts(at)


def sa_path(url: str) -> str:
    return str(Path(url.removeprefix("sqlite:///")).resolve())


def test_runs_on_the_demo_and_makes_a_backup_to_download(demo_db):
    at = open_page()
    assert not at.error
    counts = at.dataframe[0].value
    assert dict(zip(counts["기록"], counts["개수"]))["회사"] == 9
    assert not at.get("download_button"), "no backup is built before the click"
    click(at, "백업 만들기")
    (download,) = at.get("download_button")
    assert download.proto.label == "백업 파일 받기"
    name, data, _ = at.session_state["settings_backup"]
    assert name.startswith("ledger-") and name.endswith(".json.gz")
    assert gzip.decompress(data).startswith(b'{"format":"labeler-ledger-backup"')
    assert any(t.startswith(name) and "회사 9곳" in t for t in texts(at))
    at.run()  # a rerun keeps the download without building it again
    assert at.get("download_button") and at.session_state["settings_backup"][1] is data


@pytest.fixture
def demo_backup(demo_db, tmp_path) -> bytes:
    engine = connect(demo_db)
    data, _ = bk.backup_bytes(engine)
    engine.dispose()
    return data


def test_restore_an_uploaded_backup_into_an_empty_ledger(demo_backup, db_url_factory, monkeypatch):
    empty = db_url_factory("empty")
    monkeypatch.setenv("TRACKER_DATABASE_URL", empty)
    st.cache_resource.clear()
    at = open_page()
    assert button(at, "복원").disabled
    at.file_uploader(key="settings_restore_file").set_value(("내 백업.json.gz", demo_backup, "application/gzip")).run()
    assert any(t.startswith("내 백업.json.gz: ") and "회사 9곳" in t for t in texts(at))
    assert not button(at, "복원").disabled
    click(at, "복원")
    assert [s.value for s in at.success] == ["복원했습니다."]
    assert bk.ledger_counts(connect(empty))["company"] == 9
    assert dict(zip(at.dataframe[0].value["기록"], at.dataframe[0].value["개수"]))["회사"] == 9


def test_restore_over_existing_rows_needs_the_box(demo_backup, demo_db):
    engine = connect(demo_db)
    from tracker import ledger

    ledger.create_company(engine, {"name": "복원 전에 추가한 회사"})
    at = open_page()
    at.file_uploader(key="settings_restore_file").set_value(("ledger.json.gz", demo_backup, "application/gzip")).run()
    assert at.warning[0].value.startswith("장부에 이미 기록이 있습니다: 회사 10곳, ")
    assert button(at, "복원").disabled, "not before the box is ticked"
    at.checkbox(key="settings_restore_confirm").check().run()
    click(at, "복원")
    assert [s.value for s in at.success] == ["복원했습니다."]
    assert bk.ledger_counts(engine)["company"] == 9
    assert not at.checkbox(key="settings_restore_confirm").value, "the box is cleared after a restore"
    engine.dispose()


def test_a_file_that_is_not_a_backup_is_refused_by_name_as_plain_text(app_db):
    at = open_page()
    at.file_uploader(key="settings_restore_file").set_value(
        ("[클릭](javascript:alert(1)).gz", b"not gzip at all", "application/gzip")).run()
    assert [e.value for e in at.error] == ["이 파일은 복원할 수 없습니다."]
    assert "[클릭](javascript:alert(1)).gz: 라벨장부 백업 파일이 아닙니다 (gzip으로 압축된 파일이 아님)." in texts(at)
    assert button(at, "복원").disabled


def test_the_page_lists_pre_upgrade_copies(demo_db):
    if not demo_db.startswith("sqlite"):
        pytest.skip("pre-upgrade copies are for SQLite files")
    copy = bk.copy_before_upgrade(connect(demo_db))
    at = open_page()
    assert at.dataframe[1].value["파일"].tolist() == [copy.name]


def test_the_app_routes_to_the_page(demo_db):
    at = AppTest.from_file(str(Path(PAGE).parent.parent / "app.py"), default_timeout=60).run()
    at.switch_page("views/settings.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "설정·백업"
