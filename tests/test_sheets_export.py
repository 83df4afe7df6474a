"""Everything out (`python -m tracker export`), and our own export back into an empty ledger."""
from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest
import sqlalchemy as sa

from tests.conftest import APP_TODAY
from tracker import ledger, sheets
from tracker.__main__ import main
from tracker.db import connect
from tracker.demo import generate
from tracker.models import Company, Payment, Project, WorkLog

DEMO = {"회사": 9, "프로젝트": 32, "작업 기록": 708, "지급": 63, "입금": 0, "모집 공고": 0}


@pytest.fixture
def demo_engine(engine, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", APP_TODAY.isoformat())
    generate(engine, end=date(2026, 11, 1), today=APP_TODAY)
    return engine


def worklogs(engine) -> list[tuple]:
    query = (sa.select(Company.name, Project.name, WorkLog.work_date, WorkLog.minutes, WorkLog.items_submitted,
                       WorkLog.items_rejected, WorkLog.rate, WorkLog.pay_scheme, WorkLog.note)
             .join(Project, Project.id == WorkLog.project_id).join(Company, Company.id == Project.company_id))
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(query).all())


def payments(engine) -> list[tuple]:
    query = (sa.select(Company.name, sa.func.coalesce(Project.name, ""), Payment.work_month, Payment.gross,
                       Payment.income_tax, Payment.local_tax, Payment.net, Payment.expected_date,
                       Payment.received_date, Payment.note)
             .join(Company, Company.id == Payment.company_id).outerjoin(Project, Project.id == Payment.project_id))
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(query).all())


def projects(engine) -> list[tuple]:
    query = (sa.select(Company.name, Project.name, Project.task_type, Project.role, Project.pay_scheme,
                       Project.unit_price, Project.status, Project.start_date, Project.end_date, Project.deadline,
                       Project.remote, Project.certificate, Project.notes)
             .join(Company, Company.id == Project.company_id))
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(query).all())


def companies(engine) -> list[tuple]:
    query = sa.select(Company.name, Company.kind, Company.website, Company.pay_months_after, Company.pay_day,
                      Company.pay_shift, Company.withholding_kind, Company.active, Company.notes)
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(query).all())


def test_export_has_one_sheet_per_table_with_korean_headers(demo_engine):
    book = openpyxl.load_workbook(io.BytesIO(sheets.xlsx_bytes(demo_engine)))
    assert book.sheetnames == ["회사", "프로젝트", "작업 기록", "지급", "입금", "모집 공고"]
    assert {name: book[name].max_row - 1 for name in book.sheetnames if book[name].max_row > 1} == {
        k: v for k, v in DEMO.items() if v}
    headers = {name: [c.value for c in book[name][1]] for name in book.sheetnames}
    assert headers["작업 기록"] == ["작업일", "회사", "프로젝트", "작업 시간(분)", "제출 건수", "반려 건수", "단가 방식", "단가",
                                 "금액", "메모"]
    assert headers["지급"] == ["회사", "프로젝트", "작업월", "지급액(세전)", "소득세", "지방소득세", "실수령액", "지급 예정일",
                             "입금일", "메모"]
    assert headers["회사"][:3] == ["이름", "종류", "웹사이트"]
    assert headers["입금"] == ["입금일", "회사", "프로젝트", "작업월", "입금액", "세전 금액", "소득세", "지방소득세", "메모"]
    assert headers["모집 공고"][:4] == ["제목", "기관", "소스", "주소"]


def test_amounts_are_numbers_in_won_and_dates_are_dates(demo_engine):
    book = openpyxl.load_workbook(io.BytesIO(sheets.xlsx_bytes(demo_engine)))
    paid = book["지급"]
    first = [c for c in paid[2]]
    assert isinstance(first[2].value, datetime) and first[2].number_format == "yyyy-mm"
    for cell in first[3:7]:
        assert isinstance(cell.value, int) and cell.number_format == '"₩"#,##0;-"₩"#,##0'
    assert isinstance(first[7].value, datetime) and first[7].number_format == "yyyy-mm-dd"
    total_net = sum(row[6].value for row in paid.iter_rows(min_row=2))
    assert total_net == 18_436_370  # the demo's net total, to the won
    log = book["작업 기록"][2]
    assert isinstance(log[0].value, datetime) and log[0].number_format == "yyyy-mm-dd"
    assert isinstance(log[3].value, int) and log[3].number_format == "General"  # minutes are not money
    assert log[8].number_format == '"₩"#,##0;-"₩"#,##0'


def test_text_is_never_a_formula(engine):
    company = ledger.create_company(engine, {"name": '=HYPERLINK("http://evil.example/","클릭")', "notes": "+1 메모"})
    ledger.create_project(engine, {"company_id": company, "name": "@SUM(A1)", "unit_price": 50})
    book = openpyxl.load_workbook(io.BytesIO(sheets.xlsx_bytes(engine)))
    name = book["회사"]["A2"]
    assert name.value == '=HYPERLINK("http://evil.example/","클릭")'
    assert name.data_type == "s" and name.quotePrefix
    assert book["회사"]["I2"].data_type == "s"
    assert book["프로젝트"]["A2"].data_type == "s" and book["프로젝트"]["B2"].value == "@SUM(A1)"
    csv = sheets.csv_files(engine)["회사.csv"].decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"클릭\"\")\"")


def test_our_xlsx_export_imports_back_into_an_empty_ledger(demo_engine, db_url_factory, tmp_path, capsys):
    path = tmp_path / "장부.xlsx"
    assert main(["--db", str(demo_engine.url.render_as_string(hide_password=False)), "export", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"내보냈습니다: {path}", "  회사 9행", "  프로젝트 32행",
                                                    "  작업 기록 708행", "  지급 63행", "  입금 0행", "  모집 공고 0행"]
    empty_url = db_url_factory("back")
    assert main(["--db", empty_url, "import", str(path)]) == 0  # no --kind: the sheets are read by name
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == ["읽지 않은 시트: 입금, 모집 공고", f"가져왔습니다: {path}",
                       "  작업 기록 708건, 지급 63건, 새 회사 9곳, 새 프로젝트 32개"]
    back = connect(empty_url)
    try:
        assert worklogs(back) == worklogs(demo_engine)
        assert payments(back) == payments(demo_engine)
        assert projects(back) == projects(demo_engine)
        assert companies(back) == companies(demo_engine)
        assert len(worklogs(back)) == 708 and len(payments(back)) == 63
        assert main(["--db", empty_url, "import", str(path)]) == 0  # again: nothing added
        out = capsys.readouterr().out.splitlines()
        assert out[2:] == ["  작업 기록 0건, 지급 0건", "  건너뛴 행 812개:", "    [회사] 이미 있는 회사 9개: 2–10행",
                           "    [프로젝트] 이미 있는 프로젝트 32개: 2–33행", "    [작업 기록] 이미 가져온 행 708개: 2–709행",
                           "    [지급] 이미 가져온 행 63개: 2–64행"]
        assert len(worklogs(back)) == 708 and len(payments(back)) == 63
    finally:
        back.dispose()


def test_our_csv_export_imports_back_file_by_file(demo_engine, db_url_factory, tmp_path, capsys):
    folder = tmp_path / "csv"
    assert main(["--db", str(demo_engine.url.render_as_string(hide_password=False)), "export", "--csv",
                 str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.csv" for n in DEMO)
    assert (folder / "지급.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (folder / "지급.csv").read_text(encoding="utf-8-sig").splitlines()[1].startswith("크라우드웍스,")
    empty_url = db_url_factory("csvback")
    for name in ("회사", "프로젝트", "작업 기록", "지급"):  # a CSV is read as the sheet its file is named after
        assert main(["--db", empty_url, "import", str(folder / f"{name}.csv")]) == 0
    back = connect(empty_url)
    try:
        assert worklogs(back) == worklogs(demo_engine)
        assert payments(back) == payments(demo_engine)
        assert projects(back) == projects(demo_engine)
    finally:
        back.dispose()


def test_export_of_an_empty_ledger_has_the_headers_only(engine):
    book = openpyxl.load_workbook(io.BytesIO(sheets.xlsx_bytes(engine)))
    assert [book[n].max_row for n in book.sheetnames] == [1] * 6
    assert sheets.counts(engine) == dict.fromkeys(DEMO, 0)


def test_export_needs_a_file_or_a_folder(db_url, capsys):
    assert main(["--db", db_url, "export"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "내보낼 xlsx 파일 이름이나 --csv 폴더 중 하나를 주세요 (예: python -m tracker export 장부.xlsx).")


def test_our_export_imported_into_the_same_ledger_adds_nothing(demo_engine, tmp_path, capsys):
    """The ledger's own rows have no import key; the import still knows them by their values."""
    path = tmp_path / "장부.xlsx"
    sheets.export_xlsx(demo_engine, path)
    before = (worklogs(demo_engine), payments(demo_engine))
    report = sheets.import_file(demo_engine, path)
    assert report.committed and report.written == {"company": 0, "project": 0, "worklog": 0, "payment": 0}
    assert report.skip_summary() == ["[회사] 이미 있는 회사 9개: 2–10행", "[프로젝트] 이미 있는 프로젝트 32개: 2–33행",
                                     "[작업 기록] 장부에 이미 같은 기록이 있는 행 708개: 2–709행",
                                     "[지급] 장부에 이미 같은 기록이 있는 행 63개: 2–64행"]
    assert (worklogs(demo_engine), payments(demo_engine)) == before


def test_a_row_typed_by_hand_is_matched_once(engine, project_id, tmp_path):
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2025, 3, 4), "minutes": 30,
                                   "items_submitted": 10})
    path = tmp_path / "two.csv"
    path.write_text("작업일,프로젝트,작업시간,제출 건수\n2025-03-04,간판 OCR,30,10\n2025-03-04,간판 OCR,30,10\n",
                    encoding="utf-8")
    report = sheets.import_file(engine, path)
    assert report.written["worklog"] == 1
    assert report.skip_lines() == ["2행: 장부에 이미 같은 기록이 있는 행"]
    assert len(worklogs(engine)) == 2
