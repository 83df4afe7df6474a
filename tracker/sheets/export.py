"""Everything out: one sheet per table with Korean headers, read in one transaction (one moment).

xlsx: amounts are numbers in a ₩ format, dates are dates (작업월 as a month), text that looks like a
formula is stored as text (tracker.sheetsafe). CSV: one UTF-8 (BOM) file per sheet, amounts as plain
numbers, dates as YYYY-MM-DD, formula-like text with a leading quote. The import reads both back.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from tracker.backup.tables import transaction
from tracker.models import (
    Certificate,
    Company,
    CompanyKind,
    Deposit,
    Payment,
    PayScheme,
    PayShift,
    PayUnit,
    Posting,
    PostingStatus,
    Project,
    ProjectStatus,
    Role,
    TaskType,
    WithholdingKind,
    WorkLog,
    earnings,
)
from tracker.sheets.columns import COLUMNS, label_of
from tracker.sheets.reading import SheetsError
from tracker.sheetsafe import is_formula_like, safe_frame
from tracker.timeutil import KST

MONEY_FORMAT = '"₩"#,##0;-"₩"#,##0'
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
SHEETS = ("회사", "프로젝트", "작업 기록", "지급", "입금", "모집 공고")


@dataclass(frozen=True)
class Sheet:
    name: str
    frame: pd.DataFrame  # Korean headers; None for an empty cell
    money: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    times: tuple[str, ...] = ()


def _yes(value: bool | None) -> str:
    return "" if value is None else ("예" if value else "아니오")


def _label(enum: type, code: str | None) -> str:
    return "" if code is None else enum.labels().get(str(code), str(code))


def _headers(kind: str, fields: list[str]) -> list[str]:
    return [label_of(kind, f) for f in fields]


def _frame(rows: list[list[Any]], headers: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=headers, dtype=object)


def sheets(engine: sa.Engine) -> list[Sheet]:
    """The six tables as they are exported, from one read transaction."""
    with transaction(engine, write=False) as conn:
        companies = conn.execute(sa.select(Company.__table__).order_by(Company.name, Company.id)).mappings().all()
        projects = conn.execute(sa.select(Project.__table__).order_by(Project.company_id, Project.name)).mappings().all()
        worklogs = conn.execute(sa.select(WorkLog.__table__).order_by(WorkLog.work_date, WorkLog.id)).mappings().all()
        payments = conn.execute(sa.select(Payment.__table__).order_by(Payment.work_month, Payment.id)).mappings().all()
        deposits = conn.execute(sa.select(Deposit.__table__).order_by(Deposit.received_on, Deposit.id)).mappings().all()
        postings = conn.execute(sa.select(Posting.__table__).order_by(Posting.first_seen.desc(), Posting.id)
                                ).mappings().all()
    company_name = {c["id"]: c["name"] for c in companies}
    project_of = {p["id"]: p for p in projects}
    payment_of = {p["id"]: p for p in payments}

    def project_name(project_id: int | None) -> str:
        return project_of[project_id]["name"] if project_id in project_of else ""

    out = []
    fields = ["name", "kind", "website", "pay_months_after", "pay_day", "pay_shift", "withholding_kind", "active",
              "notes"]
    out.append(Sheet("회사", _frame([[c["name"], _label(CompanyKind, c["kind"]), c["website"], c["pay_months_after"],
                                     c["pay_day"], _label(PayShift, c["pay_shift"]),
                                     _label(WithholdingKind, c["withholding_kind"]), _yes(c["active"]), c["notes"]]
                                    for c in companies], _headers("companies", fields))))

    fields = ["company", "name", "task_type", "role", "pay_scheme", "unit_price", "status", "start_date", "end_date",
              "deadline", "remote", "certificate", "notes"]
    headers = _headers("projects", fields)
    out.append(Sheet("프로젝트", _frame([[company_name.get(p["company_id"], ""), p["name"], _label(TaskType, p["task_type"]),
                                       _label(Role, p["role"]), _label(PayScheme, p["pay_scheme"]), p["unit_price"],
                                       _label(ProjectStatus, p["status"]), p["start_date"], p["end_date"],
                                       p["deadline"], _yes(p["remote"]), _label(Certificate, p["certificate"]),
                                       p["notes"]] for p in projects], headers),
                     money=("단가",), dates=("시작일", "종료일", "마감일")))

    fields = ["work_date", "company", "project", "minutes", "items_submitted", "items_rejected", "pay_scheme", "rate",
              "amount", "note"]
    rows = []
    for w in worklogs:
        project = project_of.get(w["project_id"], {})
        rows.append([w["work_date"], company_name.get(project.get("company_id"), ""), project.get("name", ""),
                     w["minutes"], w["items_submitted"], w["items_rejected"], _label(PayScheme, w["pay_scheme"]),
                     w["rate"], earnings(w["pay_scheme"], w["rate"], w["minutes"], w["items_submitted"],
                                         w["items_rejected"]), w["note"]])
    out.append(Sheet("작업 기록", _frame(rows, _headers("worklogs", fields)), money=("단가", "금액"), dates=("작업일",)))

    fields = ["company", "project", "work_month", "gross", "income_tax", "local_tax", "net", "expected_date",
              "received_date", "note"]
    out.append(Sheet("지급", _frame([[company_name.get(p["company_id"], ""), project_name(p["project_id"]),
                                     p["work_month"], p["gross"], p["income_tax"], p["local_tax"], p["net"],
                                     p["expected_date"], p["received_date"], p["note"]] for p in payments],
                                    _headers("payments", fields)),
                     money=("지급액(세전)", "소득세", "지방소득세", "실수령액"), dates=("지급 예정일", "입금일"),
                     months=("작업월",)))

    headers = ["입금일", "회사", "프로젝트", "작업월", "입금액", "세전 금액", "소득세", "지방소득세", "메모"]
    rows = []
    for d in deposits:
        payment = payment_of.get(d["payment_id"], {})
        rows.append([d["received_on"], company_name.get(payment.get("company_id"), ""),
                     project_name(payment.get("project_id")), payment.get("work_month"), d["net"], d["gross"],
                     d["income_tax"], d["local_tax"], d["note"]])
    out.append(Sheet("입금", _frame(rows, headers), money=("입금액", "세전 금액", "소득세", "지방소득세"),
                     dates=("입금일",), months=("작업월",)))

    headers = ["제목", "기관", "소스", "주소", "게시", "마감일", "단가", "단가 단위", "작업 유형", "재택", "지역", "상태",
               "처음 본 때", "요약"]
    rows = []
    for p in postings:
        types = ", ".join(_label(TaskType, t) for t in (p["task_types"] or "").split(",") if t)
        rows.append([p["title"], p["organization"], p["source"], p["url"], _local(p["published"]), p["deadline"],
                     p["pay_amount"], _label(PayUnit, p["pay_unit"]), types, _yes(p["remote"]), p["region"],
                     _label(PostingStatus, p["status"]), _local(p["first_seen"]), p["summary"]])
    out.append(Sheet("모집 공고", _frame(rows, headers), money=("단가",), dates=("마감일",), times=("게시", "처음 본 때")))
    return out


def _local(moment: datetime | None) -> datetime | None:
    """A stored moment as Korean wall-clock time without a zone (what a spreadsheet cell can hold)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(KST)
    return moment.replace(tzinfo=None)


def _cell_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def xlsx_bytes(engine: sa.Engine) -> bytes:
    """The whole ledger as one .xlsx: a sheet per table."""
    return workbook(sheets(engine))


def workbook(tables: list[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for sheet in tables:
        ws = book.create_sheet(sheet.name)
        headers = list(sheet.frame.columns)
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        formats = {**{h: MONEY_FORMAT for h in sheet.money}, **{h: DATE_FORMAT for h in sheet.dates},
                   **{h: MONTH_FORMAT for h in sheet.months}, **{h: DATETIME_FORMAT for h in sheet.times}}
        by_position = {i + 1: formats[h] for i, h in enumerate(headers) if h in formats}
        for number, row in enumerate(sheet.frame.itertuples(index=False, name=None), start=2):
            for column, value in enumerate(row, start=1):
                value = _cell_value(value)
                if value is None or value == "":
                    continue
                cell = ws.cell(row=number, column=column, value=value)
                if isinstance(value, str) and (cell.data_type == "f" or is_formula_like(value)):
                    cell.data_type = "s"  # the text as it is, never a formula
                    cell.quotePrefix = True
                elif column in by_position and isinstance(value, int | date):
                    cell.number_format = by_position[column]
        ws.freeze_panes = "A2"
        for i, header in enumerate(headers, start=1):
            longest = max([len(str(header))] + [len(str(v)) for v in sheet.frame.iloc[:200, i - 1] if v is not None])
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(50, max(10, longest * 1.6 + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_xlsx(engine: sa.Engine, path: str | Path) -> dict[str, int]:
    """Write the .xlsx to `path` (through a temporary name); rows per sheet."""
    path = Path(path)
    tables = sheets(engine)
    temporary = path.with_name(path.name + ".part")
    try:
        temporary.write_bytes(workbook(tables))
        temporary.replace(path)
    except OSError as exc:
        raise SheetsError(f"파일을 쓰지 못했습니다: {path} ({exc.strerror or exc})") from None
    return {sheet.name: len(sheet.frame) for sheet in tables}


def csv_files(engine: sa.Engine, tables: list[Sheet] | None = None) -> dict[str, bytes]:
    """{'회사.csv': UTF-8 (BOM) bytes, …}: one CSV per sheet."""
    out = {}
    for sheet in tables if tables is not None else sheets(engine):
        frame = safe_frame(sheet.frame.map(_cell_value))
        for header in (*sheet.dates, *sheet.months, *sheet.times):
            frame[header] = frame[header].map(lambda v, h=header: _csv_date(v, h in sheet.months))
        out[f"{sheet.name}.csv"] = frame.to_csv(index=False).encode("utf-8-sig")
    return out


def _csv_date(value: Any, month: bool) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m") if month else value.isoformat()
    return str(value)


def export_csv(engine: sa.Engine, directory: str | Path) -> dict[str, int]:
    """One CSV per sheet in `directory` (made if missing); rows per sheet."""
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SheetsError(f"폴더를 만들지 못했습니다: {folder} ({exc.strerror or exc})") from None
    tables = sheets(engine)
    for name, data in csv_files(engine, tables).items():
        target = folder / name
        temporary = target.with_name(target.name + ".part")
        temporary.write_bytes(data)
        temporary.replace(target)
    return {sheet.name: len(sheet.frame) for sheet in tables}


def csv_zip(engine: sa.Engine) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in csv_files(engine).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def counts(engine: sa.Engine) -> dict[str, int]:
    """Rows each sheet of the export holds (every row of its table), counted in SQL without building
    the export."""
    tables = dict(zip(SHEETS, (Company, Project, WorkLog, Payment, Deposit, Posting)))
    with engine.connect() as conn:
        return {name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                for name, table in tables.items()}


assert set(COLUMNS) == {"companies", "projects", "worklogs", "payments"}

__all__ = ["SHEETS", "Sheet", "counts", "csv_files", "csv_zip", "export_csv", "export_xlsx", "sheets", "workbook",
           "xlsx_bytes"]
