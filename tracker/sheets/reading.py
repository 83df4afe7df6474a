"""Reading a spreadsheet file into plain rows: xlsx (openpyxl) and CSV in UTF-8, UTF-8 with a BOM,
CP949 (what Korean Excel saves as "CSV") or UTF-16 (Excel's "유니코드 텍스트").

A `Table` is one sheet (for a CSV, the file, named after it): its rows with the row number the
spreadsheet shows, and cell values as the file holds them (text from a CSV; numbers, dates and times
from an xlsx, formulas as their last computed value).
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.errors import LedgerError
from tracker.sheetsafe import FORMULA_STARTS

MAX_BYTES = 50 * 1024 * 1024  # a labeler's sheet is kilobytes; refuse anything absurd before parsing
MAX_ROWS = 200_000


class SheetsError(LedgerError):
    """A file that cannot be read or imported as a whole; the message is a Korean sentence."""


@dataclass
class Table:
    name: str
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (row number as shown, cells)


def _content(source: Any) -> tuple[bytes, str]:
    """The file's bytes and name, from a path, bytes or an upload (anything with getvalue/read)."""
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise SheetsError(f"파일이 너무 큽니다 ({MAX_BYTES // 1024 // 1024} MB까지): {path.name}")
            return path.read_bytes(), path.name
        except FileNotFoundError:
            raise SheetsError(f"파일을 찾을 수 없습니다: {path}") from None
        except IsADirectoryError:
            raise SheetsError(f"파일이 아니라 폴더입니다: {path}") from None
        except OSError as exc:
            raise SheetsError(f"파일을 읽지 못했습니다: {path} ({exc.strerror or exc})") from None
    name = str(getattr(source, "name", "") or "")
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif hasattr(source, "getvalue"):
        data = source.getvalue()
    else:
        data = source.read()
    if len(data) > MAX_BYTES:
        raise SheetsError(f"파일이 너무 큽니다 ({MAX_BYTES // 1024 // 1024} MB까지): {Path(name).name}")
    return data, Path(name).name


def decode(data: bytes) -> str:
    """CSV text: UTF-8 (with or without a BOM), UTF-16 with a BOM, or CP949."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949")
    except UnicodeDecodeError:
        raise SheetsError("CSV 파일의 글자 인코딩을 읽지 못했습니다. UTF-8 또는 CP949(Excel의 CSV)로 저장하세요.") from None


def _unquote(value: str) -> str:
    """Our CSV export writes '=… for a text that looks like a formula: read it back as the text."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def read_csv(data: bytes, name: str = "") -> Table:
    text = decode(data)
    if "\x00" in text:
        raise SheetsError("CSV가 아닌 파일입니다 (글자가 아닌 내용이 들어 있습니다).")
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = Table(Path(name).stem or "CSV")
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise SheetsError(f"행이 너무 많습니다 ({MAX_ROWS:,}행까지).")
            table.rows.append((number, [_unquote(cell) for cell in row]))
    except csv.Error as exc:
        raise SheetsError(f"CSV를 읽지 못했습니다 ({reader.line_num}번째 줄): {exc}") from None
    return table


def read_xlsx(data: bytes) -> list[Table]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise SheetsError(f"xlsx 파일을 열지 못했습니다 ({type(exc).__name__}). Excel에서 다시 저장해 보세요.") from None
    tables = []
    try:
        for sheet in book.worksheets:
            table = Table(sheet.title)
            for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                if number > MAX_ROWS:
                    raise SheetsError(f"'{sheet.title}' 시트의 행이 너무 많습니다 ({MAX_ROWS:,}행까지).")
                cells = list(row)
                while cells and cells[-1] is None:
                    cells.pop()
                table.rows.append((number, cells))
            tables.append(table)
    finally:
        book.close()
    return tables


def read_tables(source: Any, filename: str | None = None) -> list[Table]:
    """Every sheet of an xlsx, or the one table of a CSV (named after the file)."""
    data, name = _content(source)
    name = filename or name
    suffix = Path(name).suffix.lower()
    if data.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        if not data.startswith(b"PK"):
            raise SheetsError("xlsx 파일이 아닙니다 (내용이 xlsx 형식이 아님).")
        return read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise SheetsError("예전 Excel 형식(.xls)은 읽지 못합니다. Excel에서 'Excel 통합 문서(.xlsx)'나 CSV로 저장하세요.")
    if not data.strip():
        raise SheetsError("빈 파일입니다.")
    return [read_csv(data, name)]
