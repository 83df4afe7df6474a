"""The 가져오기·내보내기 page under AppTest: export preview, upload → mapping → preview → commit."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import count_rows
from tests.test_pages import click, open_page
from tracker import ledger, sheets
from tracker.db import connect

PAGE = "views/sheets.py"
FIXTURES = Path(__file__).parent / "fixtures" / "sheets"
CSV = "text/csv"


def ledger_with_project(url: str) -> None:
    engine = connect(url)
    company = ledger.create_company(engine, {"name": "크라우드웍스"})
    ledger.create_project(engine, {"company_id": company, "name": "간판 OCR", "unit_price": 50,
                                   "status": "in_progress", "start_date": date(2025, 1, 1)})
    engine.dispose()


def upload(at, name: str, content: bytes, mime: str = CSV):
    at.file_uploader(key="sheets_upload").set_value((name, content, mime)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at) -> list[str]:
    return [t.value for t in at.text]


def selectbox(at, label: str):
    return next(s for s in at.selectbox if s.label == label)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_empty_ledger_shows_what_the_export_holds(app_db):
    at = open_page(PAGE)
    assert not at.error
    frame = at.dataframe[0].value
    assert frame.to_dict("records") == [{"시트": n, "행": 0} for n in sheets.SHEETS]
    assert [b.label for b in at.get("download_button")] == ["Excel(xlsx)로 받기", "CSV(zip)로 받기"]


def test_demo_export_preview(demo_db):
    at = open_page(PAGE)
    frame = at.dataframe[0].value
    assert dict(zip(frame["시트"], frame["행"])) == {"회사": 9, "프로젝트": 32, "작업 기록": 708, "지급": 63, "입금": 0,
                                                   "모집 공고": 0}


def test_upload_preview_and_commit(app_db):
    ledger_with_project(app_db)
    at = upload(open_page(PAGE), "worklogs-cp949.csv", (FIXTURES / "worklogs-cp949.csv").read_bytes())
    assert [s.value for s in at.success] == ["문제없습니다. 아래 '가져오기'를 누르면 씁니다."]
    assert "가져오면: 작업 기록 2건, 지급 0건" in texts(at)
    assert "건너뛸 행:\n빈 행 1개: 4행\n합계 행 1개: 5행" in texts(at)
    rows = at.dataframe[-1].value
    assert rows[["행", "결과"]].values.tolist() == [[2, "가져올 행"], [3, "가져올 행"]]
    assert rows["단가"].tolist() == ["₩50", "₩50"]  # money as money, not a bare 50
    assert count_rows(connect(app_db))["worklog"] == 0  # the preview wrote nothing
    click(at, "가져오기")
    assert at.success[0].value == "가져왔습니다."
    assert texts(at)[0] == "worklogs-cp949.csv: 작업 기록 2건, 지급 0건\n건너뜀: 빈 행 1개: 4행\n건너뜀: 합계 행 1개: 5행"
    assert count_rows(connect(app_db))["worklog"] == 2
    rows = at.dataframe[-1].value  # the same file again: already imported, nothing left to import
    assert rows["결과"].tolist() == ["이미 가져옴 (건너뜀)"] * 2
    assert "가져올 새 행이 없습니다." in [c.value for c in at.caption]
    assert button(at, "가져오기").disabled


def test_unknown_names_are_listed_and_created_only_when_asked(app_db):
    content = "날짜,업체,작업명,시간,건수\n2025-03-04,에이모,음성 전사,2,\n".encode("utf-8")
    at = upload(open_page(PAGE), "새 회사.csv", content)
    assert at.error[0].value.startswith("문제가 1개 있어 이대로는 가져올 수 없습니다.")
    issues = at.dataframe[1].value
    assert issues.to_dict("records") == [{"시트": "새 회사", "행": 2, "열": "업체", "이유": "장부에 없는 회사입니다: 에이모"}]
    assert at.dataframe[2].value.to_dict("records") == [{"종류": "회사", "이름": "에이모"},
                                                        {"종류": "프로젝트", "이름": "에이모 / 음성 전사"}]
    assert button(at, "가져오기").disabled
    at.checkbox(key="sheets_create_missing").check().run()
    assert "가져오면: 작업 기록 1건, 지급 0건, 새 회사 1곳, 새 프로젝트 1개" in texts(at)
    click(at, "가져오기")
    assert at.success[0].value == "가져왔습니다."
    engine = connect(app_db)
    assert count_rows(engine) == {"company": 1, "project": 1, "worklog": 1, "payment": 0}
    report = sheets.import_file(engine, content, filename="새 회사.csv")
    assert report.written["worklog"] == 0 and len(report.duplicates) == 1


def test_a_column_mapping_chosen_on_the_page(app_db):
    ledger_with_project(app_db)
    content = "일한 날,프로젝트,분량\n2025-03-04,간판 OCR,40\n".encode("utf-8")
    at = upload(open_page(PAGE), "m.csv", content)
    assert at.error[0].value == "이 파일은 가져올 수 없습니다."
    assert texts(at)[-1].startswith("'m' 시트가 작업 기록인지 지급인지 머리글로 알 수 없습니다. 무엇을 가져올지 정하세요")
    at.radio(key="sheets_kind").set_value("작업 기록").run()
    assert at.error[0].value.startswith("문제가 1개 있어")
    assert at.dataframe[1].value["이유"].tolist()[0].startswith("작업일 열을 찾지 못했습니다 (머리글: 일한 날, 프로젝트, 분량)")
    selectbox(at, "일한 날").select("작업일").run()
    selectbox(at, "분량").select("제출 건수").run()
    assert "가져오면: 작업 기록 1건, 지급 0건" in texts(at)
    click(at, "가져오기")
    assert at.success[0].value == "가져왔습니다."
    with connect(app_db).connect() as conn:
        assert conn.exec_driver_sql("SELECT items_submitted, rate FROM worklog").all() == [(40, 50)]


def test_a_file_that_cannot_be_read_shows_its_own_error(app_db):
    at = upload(open_page(PAGE), "old.xlsx", b"PK\x03\x04 broken", "application/octet-stream")
    assert at.error[0].value == "이 파일은 읽을 수 없습니다."
    assert "old.xlsx: xlsx 파일을 열지 못했습니다 (BadZipFile). Excel에서 다시 저장해 보세요." in texts(at)
    assert at.dataframe  # the export part still shows


def test_our_own_export_imports_back_on_the_page(demo_db, db_url_factory, monkeypatch):
    data = sheets.xlsx_bytes(connect(demo_db))
    empty = db_url_factory("page")
    monkeypatch.setenv("TRACKER_DATABASE_URL", empty)
    at = upload(open_page(PAGE), "장부.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert selectbox(at, "읽을 시트").value == "__named__"
    assert "가져오면: 작업 기록 708건, 지급 63건, 새 회사 9곳, 새 프로젝트 32개" in texts(at)
    click(at, "가져오기")
    assert at.success[0].value == "가져왔습니다."
    assert count_rows(connect(empty)) == {"company": 9, "project": 32, "worklog": 708, "payment": 63}
