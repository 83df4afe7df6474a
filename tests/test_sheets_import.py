"""Importing the spreadsheet a labeler already keeps: `python -m tracker import` and tracker.sheets."""
from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from tests.conftest import count_rows
from tracker import ledger, sheets
from tracker.__main__ import main
from tracker.models import Company, Payment, Project, WorkLog
from tracker.sheets import values as val
from tracker.sheets.columns import auto_mapping

FIXTURES = Path(__file__).parent / "fixtures" / "sheets"
HEADERS = ["날짜", "업체", "작업명", "작업시간", "제출 건수", "반려", "단가", "비고"]


def xlsx(path: Path, rows: list[list], title: str = "작업", extra: dict[str, list[list]] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, more in (extra or {}).items():
        other = book.create_sheet(name)
        for row in more:
            other.append(row)
    book.save(path)
    return path


def worklogs(engine) -> list[tuple]:
    query = (sa.select(Company.name, Project.name, WorkLog.work_date, WorkLog.minutes, WorkLog.items_submitted,
                       WorkLog.items_rejected, WorkLog.rate, WorkLog.pay_scheme, WorkLog.note)
             .join(Project, Project.id == WorkLog.project_id).join(Company, Company.id == Project.company_id)
             .order_by(WorkLog.work_date, WorkLog.id))
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query).all()]


def run(db_url, *args) -> int:
    return main(["--db", db_url, "import", *map(str, args)])


# ---------------------------------------------------------------- values as people type them


@pytest.mark.parametrize("typed", ["2025-03-04", "2025.03.04", "2025.3.4", "25.3.4", "2025. 3. 4.", "2025/3/4",
                                   "2025년 3월 4일", "20250304", 45720, 45720.0, datetime(2025, 3, 4), date(2025, 3, 4),
                                   "2025-03-04 00:00:00"])
def test_dates_as_people_type_them(typed):
    assert val.parse_date(typed) == date(2025, 3, 4)


@pytest.mark.parametrize("typed", ["2025-03", "2025.03", "2025.3", "2025년 3월", "2025년3월", "2025-03-01", 2025.03,
                                   date(2025, 3, 17), datetime(2025, 3, 1)])
def test_months_as_people_type_them(typed):
    assert val.parse_month(typed) == date(2025, 3, 1)


def test_a_month_typed_into_excel_as_a_number_keeps_october():
    assert val.parse_month(2025.1) == date(2025, 10, 1)  # 2025.10 in a number cell
    assert val.parse_month(2025.01) == date(2025, 1, 1)


@pytest.mark.parametrize(("typed", "minutes"), [("90", 90), (90, 90), ("1:30", 90), ("1시간 30분", 90), ("2시간", 120),
                                                ("45분", 45), (time(1, 30), 90), (0.0625, 90)])
def test_times_as_people_type_them(typed, minutes):
    assert val.parse_time(typed) == minutes


def test_a_bare_number_under_an_hours_column_is_hours():
    assert auto_mapping("worklogs", ["시간", "작업시간", "분"]) == {0: "hours"}
    assert auto_mapping("worklogs", ["작업 시간(분)"]) == {0: "minutes"}
    assert auto_mapping("worklogs", ["작업 시간(시간)"]) == {0: "hours"}
    assert [val.parse_time(v, hours=True) for v in (2, "1.5", "1:30", "45분")] == [120, 90, 90, 45]


@pytest.mark.parametrize("typed", ["45,000", "45,000원", "₩45,000", "￦45,000", "45000", 45000, 45000.0, "4만 5천",
                                   "45000.00"])
def test_money_as_people_type_it(typed):
    assert val.parse_money(typed) == 45000


@pytest.mark.parametrize(("parse", "typed", "reason"), [
    (val.parse_date, "3월 4일", "날짜로 읽을 수 없습니다: '3월 4일' (예: 2025-03-04, 2025.3.4, 25.3.4)"),
    (val.parse_date, "2025.2.30", "없는 날짜입니다: '2025.2.30'"),
    (val.parse_month, "봄", "작업월로 읽을 수 없습니다: '봄' (예: 2025-03, 2025.03, 2025년 3월)"),
    (val.parse_time, "한참", "작업 시간으로 읽을 수 없습니다: '한참' (예: 90, 1:30, 1시간 30분, 2시간, 45분)"),
    (val.parse_money, "사만원", "금액으로 읽을 수 없습니다: '사만원' (예: 45,000, 45,000원, ₩45,000)"),
    (val.parse_money, 45000.5, "원 단위 정수가 아닙니다: '45000.5'"),
    (val.parse_count, "많이", "건수로 읽을 수 없습니다: '많이'"),
])
def test_unreadable_cells_say_why(parse, typed, reason):
    with pytest.raises(val.CellError) as info:
        parse(typed)
    assert str(info.value) == reason


# ---------------------------------------------------------------- a labeler's own sheet


def test_cp949_csv_from_korean_excel(db_url, engine, project_id, capsys):
    assert run(db_url, FIXTURES / "worklogs-cp949.csv") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1:] == ["  작업 기록 2건, 지급 0건", "  건너뛴 행 2개:", "    빈 행 1개: 4행", "    합계 행 1개: 5행"]
    assert worklogs(engine) == [
        ("크라우드웍스", "간판 OCR", date(2025, 3, 4), 90, 1200, 12, 50, "per_item", "첫날"),
        ("크라우드웍스", "간판 OCR", date(2025, 3, 5), 90, 800, 0, 50, "per_item", ""),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_csv_in_every_encoding_korean_excel_saves(tmp_path, engine, project_id, encoding):
    text = (FIXTURES / "worklogs-cp949.csv").read_bytes().decode("cp949").replace("\uffe6", "")
    path = tmp_path / "기록.csv"
    path.write_bytes(text.encode(encoding))
    report = sheets.import_file(engine, path)
    assert report.committed and report.written["worklog"] == 2
    assert [row[2:7] for row in worklogs(engine)] == [(date(2025, 3, 4), 90, 1200, 12, 50),
                                                    (date(2025, 3, 5), 90, 800, 0, 50)]


def test_xlsx_with_excel_dates_times_and_a_title_row(tmp_path, db_url, engine, project_id, capsys):
    path = xlsx(tmp_path / "내 작업.xlsx", [
        ["2025년 3월 작업 일지"],
        HEADERS,
        [datetime(2025, 3, 4), "크라우드웍스", "간판 OCR", time(2, 0), 300, 3, 50, "엑셀 날짜·시간 칸"],
        [45721, "크라우드웍스", "간판 OCR", "45분", "120건", None, "50원", None],
        [None, None, None, None, None, None, None, None],
        ["총계", None, None, None, 420, 3, None, None],
    ])
    assert run(db_url, path) == 0
    assert "건너뛴 행 2개:" in capsys.readouterr().out
    assert worklogs(engine) == [
        ("크라우드웍스", "간판 OCR", date(2025, 3, 4), 120, 300, 3, 50, "per_item", "엑셀 날짜·시간 칸"),
        ("크라우드웍스", "간판 OCR", date(2025, 3, 5), 45, 120, 0, 50, "per_item", ""),
    ]


def test_a_second_import_of_the_same_file_adds_nothing(db_url, engine, project_id, capsys):
    assert run(db_url, FIXTURES / "worklogs-cp949.csv") == 0
    before = count_rows(engine)
    capsys.readouterr()
    assert run(db_url, FIXTURES / "worklogs-cp949.csv") == 0
    out = capsys.readouterr().out
    assert "작업 기록 0건, 지급 0건" in out
    assert "이미 가져온 행 2개: 2–3행" in out
    assert count_rows(engine) == before
    report = sheets.import_file(engine, FIXTURES / "worklogs-cp949.csv")
    assert [(s.row, s.reason) for s in report.skipped] == [(2, "이미 가져온 행"), (3, "이미 가져온 행"), (4, "빈 행"),
                                                           (5, "합계 행")]


def test_identical_rows_in_one_file_are_two_entries_and_stay_two(tmp_path, engine, project_id):
    row = ["2025-03-04", "크라우드웍스", "간판 OCR", 30, 10, 0, 50, ""]
    path = xlsx(tmp_path / "a.xlsx", [HEADERS, row, row])
    assert sheets.import_file(engine, path).written["worklog"] == 2
    again = sheets.import_file(engine, path)
    assert again.written["worklog"] == 0 and len(again.duplicates) == 2
    assert len(worklogs(engine)) == 2


def test_any_bad_row_writes_nothing_and_lists_every_problem(tmp_path, db_url, engine, project_id, capsys):
    path = xlsx(tmp_path / "bad.xlsx", [
        HEADERS,
        ["2025-03-04", "크라우드웍스", "간판 OCR", "1:00", 100, 0, 50, "좋은 행"],
        ["3월 4일", "크라우드웍스", "간판 OCR", "1:00", 100, 0, 50, ""],
        ["2025-03-05", "크라우드웍스", "간판 OCR", "1:00", 20, 30, 50, ""],
        ["2025-03-06", "크라우드웍스", "간판 OCR", "25시간", 10, 0, 50, ""],
        ["2025-03-07", "크라우드웍스", "간판 OCR", "1:00", 10, 0, "사만원", ""],
    ])
    before = count_rows(engine)
    assert run(db_url, path) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if " INFO " not in line]
    assert err == [
        "가져오지 않았습니다: 문제가 4개 있어 아무것도 쓰지 않았습니다.",
        "  3행 날짜: 날짜로 읽을 수 없습니다: '3월 4일' (예: 2025-03-04, 2025.3.4, 25.3.4)",
        "  4행 반려: 반려 건수(30)는 제출 건수(20)보다 많을 수 없습니다.",
        "  5행 작업시간: 작업 시간(분)은 1,440 이하여야 합니다.",
        "  6행 단가: 금액으로 읽을 수 없습니다: '사만원' (예: 45,000, 45,000원, ₩45,000)",
    ]
    assert count_rows(engine) == before  # the good row 2 was not written either


def test_a_day_past_24_hours_is_refused_by_row(tmp_path, db_url, engine, project_id, capsys):
    path = xlsx(tmp_path / "long.xlsx", [HEADERS,
                                         ["2025-03-04", "크라우드웍스", "간판 OCR", "16:00", 10, 0, 50, ""],
                                         ["2025-03-04", "크라우드웍스", "간판 OCR", "9:00", 10, 0, 50, ""]])
    assert run(db_url, path) == 2
    assert [line for line in capsys.readouterr().err.splitlines() if " INFO " not in line][1] == (
        "  3행 작업시간: 작업 시간(분)이 하루 24시간을 넘습니다: 2025-03-04에 이미 960분이 기록되어 있어 540분을 "
        "더할 수 없습니다 (하루 최대 1,440분).")
    assert count_rows(engine)["worklog"] == 0


def test_unknown_companies_and_projects_are_named_and_refused(tmp_path, db_url, engine, project_id, capsys):
    path = xlsx(tmp_path / "new.xlsx", [HEADERS,
                                        ["2025-03-04", "에이모", "음성 전사", "2시간", None, None, 12000, ""],
                                        ["2025-03-05", "크라우드웍스", "차량 바운딩 박스", 60, 200, 4, 80, ""]])
    assert run(db_url, path) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if " INFO " not in line]
    assert err == [
        "가져오지 않았습니다: 문제가 2개 있어 아무것도 쓰지 않았습니다.",
        "장부에 없는 회사: 에이모 (--create-missing을 붙이면 만듭니다)",
        "장부에 없는 프로젝트: 에이모 / 음성 전사, 크라우드웍스 / 차량 바운딩 박스 (--create-missing을 붙이면 만듭니다)",
        "  2행 업체: 장부에 없는 회사입니다: 에이모",
        "  3행 작업명: 장부에 없는 프로젝트입니다: 크라우드웍스 / 차량 바운딩 박스",
    ]
    assert count_rows(engine) == {"company": 1, "project": 1, "worklog": 0, "payment": 0}


def test_create_missing_makes_per_item_and_per_hour_projects(tmp_path, db_url, engine, project_id, capsys):
    path = xlsx(tmp_path / "new.xlsx", [HEADERS,
                                        ["2025-03-04", "에이모", "음성 전사", "2시간", None, None, 12000, ""],
                                        ["2025-03-05", "크라우드웍스", "차량 바운딩 박스", 60, 200, 4, 80, ""]])
    assert run(db_url, path, "--create-missing") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:4] == ["  작업 기록 2건, 지급 0건, 새 회사 1곳, 새 프로젝트 2개",
                        "  새 회사: 에이모 (지급 조건은 기본값이니 회사 페이지에서 확인하세요)",
                        "  새 프로젝트: 에이모 / 음성 전사, 크라우드웍스 / 차량 바운딩 박스"]
    with engine.connect() as conn:
        made = conn.execute(sa.select(Project.name, Project.pay_scheme, Project.unit_price, Project.status,
                                      Project.start_date).where(Project.name != "간판 OCR").order_by(Project.name)).all()
    assert [tuple(r) for r in made] == [("음성 전사", "per_hour", 12000, "in_progress", date(2025, 3, 4)),
                                        ("차량 바운딩 박스", "per_item", 80, "in_progress", date(2025, 3, 5))]
    assert [r[3:8] for r in worklogs(engine)] == [(120, 0, 0, 12000, "per_hour"), (60, 200, 4, 80, "per_item")]


def test_dry_run_checks_everything_and_writes_nothing(db_url, engine, project_id, capsys):
    before = count_rows(engine)
    assert run(db_url, FIXTURES / "worklogs-cp949.csv", "--dry-run") == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "미리 보기(--dry-run): 아무것도 쓰지 않았습니다. 가져오면 작업 기록 2건, 지급 0건")
    assert count_rows(engine) == before
    assert run(db_url, FIXTURES / "worklogs-cp949.csv") == 0  # not marked as imported by the dry run
    assert count_rows(engine)["worklog"] == 2


def test_amount_gives_the_rate_when_the_sheet_has_no_unit_price(tmp_path, engine, project_id):
    path = xlsx(tmp_path / "a.xlsx", [["작업일", "프로젝트", "건수", "반려 건수", "금액"],
                                      ["2025-03-04", "간판 OCR", 110, 10, "₩7,000"]])
    report = sheets.import_file(engine, path)
    assert report.committed, report.issue_lines()
    assert worklogs(engine) == [("크라우드웍스", "간판 OCR", date(2025, 3, 4), 0, 110, 10, 70, "per_item", "")]


def test_map_overrides_the_automatic_columns(tmp_path, db_url, engine, project_id, capsys):
    path = xlsx(tmp_path / "m.xlsx", [["일한 날", "업체", "작업명", "분량", "메모"],
                                      ["2025-03-04", "크라우드웍스", "간판 OCR", 40, "건수"]])
    assert run(db_url, path) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if " INFO " not in line]
    assert err[1] == ("  시트: 작업일 열을 찾지 못했습니다 (머리글: 일한 날, 업체, 작업명, 분량, 메모). "
                      "--map \"머리글=작업일\"로 정하세요.")
    assert run(db_url, path, "--map", "일한 날=작업일, 분량=제출 건수, 메모=-") == 0
    assert worklogs(engine) == [("크라우드웍스", "간판 OCR", date(2025, 3, 4), 0, 40, 0, 50, "per_item", "")]
    assert run(db_url, path, "--map", "일한 날=월급날") == 2
    assert capsys.readouterr().err.strip().startswith("--map: '월급날'은(는) 작업 기록의 열이 아닙니다.")
    assert run(db_url, path, "--map", "일한 날=작업일, 업체=작업일") == 2
    assert capsys.readouterr().err.strip() == "작업일 필드를 두 열에 골랐습니다: 일한 날, 업체"
    assert run(db_url, path, "--map", "근무일=작업일") == 2
    assert capsys.readouterr().err.strip() == ("--map의 머리글을 시트에서 찾지 못했습니다: 근무일 "
                                               "(시트의 머리글: 일한 날, 업체, 작업명, 분량, 메모)")
    assert len(worklogs(engine)) == 1


def test_sheet_chooses_one_sheet_of_a_workbook(tmp_path, db_url, engine, project_id, capsys):
    path = xlsx(tmp_path / "w.xlsx", [["메모만 있는 시트"]], title="메모",
                extra={"2025년": [HEADERS, ["2025-03-04", "크라우드웍스", "간판 OCR", 30, 10, 0, 50, ""]]})
    assert run(db_url, path, "--sheet", "2025년") == 0
    assert len(worklogs(engine)) == 1
    assert run(db_url, path, "--sheet", "2024년") == 1
    assert capsys.readouterr().err.strip().endswith("'2024년' 시트가 없습니다. 이 파일의 시트: 메모, 2025년")


def test_payments_sheet(tmp_path, db_url, engine, company_id, capsys):
    path = tmp_path / "입금 내역.csv"
    path.write_text("입금일,업체,귀속월,세전,소득세,지방세,실입금액,비고\n"
                    "2025.3.10,크라우드웍스,2025년 2월,\"₩45,000\",\"1,350\",135,\"43,515원\",2월분\n"
                    "2025.4.10,크라우드웍스,2025.03,\"60,000\",,,\"58,020\",\n"
                    "합계,,,\"105,000\",,,,\n", encoding="utf-8-sig")
    assert run(db_url, path) == 0
    with engine.connect() as conn:
        rows = conn.execute(sa.select(Payment.work_month, Payment.gross, Payment.income_tax, Payment.local_tax,
                                      Payment.net, Payment.expected_date, Payment.received_date, Payment.note)
                            .order_by(Payment.work_month)).all()
    assert [tuple(r) for r in rows] == [
        (date(2025, 2, 1), 45000, 1350, 135, 43515, date(2025, 3, 10), date(2025, 3, 10), "2월분"),
        (date(2025, 3, 1), 60000, 1800, 180, 58020, date(2025, 4, 10), date(2025, 4, 10), ""),
    ]
    capsys.readouterr()
    assert run(db_url, path, "--kind", "payments") == 0
    assert "이미 가져온 행 2개: 2–3행" in capsys.readouterr().out


def test_a_payment_that_does_not_add_up_is_refused(tmp_path, db_url, engine, company_id, capsys):
    path = tmp_path / "p.csv"
    path.write_text("지급일,회사,작업월,지급액,소득세,지방소득세,실수령\n2025-03-10,크라우드웍스,2025-02,45000,1350,135,43000\n",
                    encoding="utf-8")
    assert run(db_url, path) == 2
    assert [line for line in capsys.readouterr().err.splitlines() if " INFO " not in line][1] == (
        "  2행 실수령: 실수령액은 지급액 − 소득세 − 지방소득세 = 43,515원이어야 합니다 (입력: 43,000원).")
    assert count_rows(engine)["payment"] == 0


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.xls",
     "예전 Excel 형식(.xls)은 읽지 못합니다. Excel에서 'Excel 통합 문서(.xlsx)'나 CSV로 저장하세요."),
    (b"PK\x03\x04 not really a zip", "broken.xlsx", "xlsx 파일을 열지 못했습니다 (BadZipFile). Excel에서 다시 저장해 보세요."),
    (b"", "empty.csv", "빈 파일입니다."),
])
def test_a_file_that_cannot_be_read_exits_1(tmp_path, db_url, capsys, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert run(db_url, path) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == message


def test_a_sheet_whose_kind_cannot_be_told(tmp_path, db_url, capsys):
    path = tmp_path / "x.csv"
    path.write_text("이름,나이\n홍길동,30\n", encoding="utf-8")
    assert run(db_url, path) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "'x' 시트가 작업 기록인지 지급인지 머리글로 알 수 없습니다. 무엇을 가져올지 정하세요 "
        "(명령줄은 --kind worklogs 또는 --kind payments).")


def test_the_header_names_of_the_issue_are_all_known():
    worklog = ["작업일", "날짜", "일자", "회사", "업체", "플랫폼", "프로젝트", "프로젝트명", "작업명", "작업시간", "시간", "분",
               "제출", "제출 건수", "건수", "작업량", "반려", "반려 건수", "단가", "금액", "메모", "비고"]
    fields = [sheets.importer.cols.field_for("worklogs", h) for h in worklog]
    assert fields == ["work_date"] * 3 + ["company"] * 3 + ["project"] * 3 + ["minutes", "hours", "minutes"] + [
        "items_submitted"] * 4 + ["items_rejected"] * 2 + ["rate", "amount", "note", "note"]
    payment = ["입금일", "지급일", "업체", "회사", "작업월", "귀속월", "지급액", "세전", "총액", "소득세", "지방소득세", "지방세",
               "실수령", "실입금액", "입금액"]
    fields = [sheets.importer.cols.field_for("payments", h) for h in payment]
    assert fields == ["received_date"] * 2 + ["company"] * 2 + ["work_month"] * 2 + ["gross"] * 3 + ["income_tax"] + [
        "local_tax"] * 2 + ["net"] * 3


def test_import_goes_through_one_transaction(tmp_path, engine, project_id):
    """A refusal late in the file (the 24-hour rule, checked against rows written earlier in the same
    import) leaves even the companies and projects it created unwritten."""
    path = xlsx(tmp_path / "t.xlsx", [HEADERS,
                                      ["2025-03-04", "에이모", "음성 전사", "20:00", None, None, 12000, ""],
                                      ["2025-03-04", "크라우드웍스", "간판 OCR", "5:00", 10, 0, 50, ""]])
    report = sheets.import_file(engine, path, create_missing=True)
    assert not report.committed
    assert [i.line() for i in report.all_issues] == [
        "3행 작업시간: 작업 시간(분)이 하루 24시간을 넘습니다: 2025-03-04에 이미 1,200분이 기록되어 있어 300분을 "
        "더할 수 없습니다 (하루 최대 1,440분)."]
    assert count_rows(engine) == {"company": 1, "project": 1, "worklog": 0, "payment": 0}
    assert ledger.is_empty(engine) is False


def test_a_project_name_in_two_companies_needs_the_company_column(tmp_path, engine, project_id):
    other = ledger.create_company(engine, {"name": "에이모"})
    ledger.create_project(engine, {"company_id": other, "name": "간판 OCR", "unit_price": 70})
    path = xlsx(tmp_path / "p.xlsx", [["작업일", "프로젝트", "제출 건수", "옆에 적은 메모"],
                                      ["2025-03-04", "간판 OCR", 10, None],
                                      [None, None, None, "이 줄은 메모만"]])
    report = sheets.import_file(engine, path)
    assert report.issue_lines() == ["2행 프로젝트: 이 이름의 프로젝트가 여러 회사에 있습니다: 간판 OCR. 회사 열을 더하세요."]
    assert report.skip_lines() == ["3행: 빈 행"]
    assert count_rows(engine)["worklog"] == 0
