"""A tax year from the ledger: what was paid, what was withheld, by payer, and when to file.

Income counts in the year it was paid, as the payer's 지급명세서 reports it: each deposit in the
year it landed (a payment split across December and January counts in both years), deposits of
payments still open included; a payment recorded with a received date only counts in full on that
date. The rows are tracker.queries.landed, the same the dashboard and 수입 sum.
"""
from __future__ import annotations

import io
import weakref
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd
import sqlalchemy as sa

from tracker.deposits import withholding_difference
from tracker.models.enums import WithholdingKind
from tracker.queries import LastOf, company_rows, kept_for, landed, landed_years, shared
from tracker.tax import filing_deadline, other_income_amount

PAYER_COLUMNS = ["company", "withholding_kind", "payments", "gross", "income_tax", "local_tax", "net", "differs"]
PAYER_HEADERS = {"company": "지급처", "withholding_kind": "소득 구분", "payments": "지급 건수", "gross": "지급액(세전)",
                 "income_tax": "소득세", "local_tax": "지방소득세", "net": "실수령액",
                 "differs": "예상과 다른 원천징수(건)"}


@dataclass(frozen=True)
class YearTotals:
    year: int
    business_gross: int  # 사업소득 수입금액 (3.3%)
    business_income_tax: int
    business_local_tax: int
    other_gross: int  # 기타소득 지급액 (8.8%)
    other_income_amount: int  # 기타소득금액 (after the deemed expenses)
    other_income_tax: int
    other_local_tax: int
    untaxed_gross: int  # paid with no withholding
    payments: int
    withheld_differs: int  # payments whose withholding is not what the usual rule gives
    daily_gross: int = 0  # 일용근로소득 지급액 (separately taxed, not in the May return)
    daily_income_tax: int = 0
    daily_local_tax: int = 0


def paid_years(engine: sa.Engine) -> list[int]:
    """Years in which some money landed, newest first."""
    return landed_years(engine)


def _rows(engine: sa.Engine, year: int) -> pd.DataFrame:
    """What landed in `year`, one row per deposit, with the payer's name and withholding kind and
    whether the withholding differs from the usual rule on that deposit. Kept per engine and year until
    payment, deposit or company is written, and the same frame again when the year's money did not
    change (read-only: callers filter and group, never change it)."""
    return shared(engine, f"taxyear_rows:{int(year)}", ("company", "payment", "deposit"),
                  lambda found: _read_rows(found, year))


# Per engine and year: the landed rows, the company_rows dict and the frame worked out from them. A
# write to payments that leaves the year's money as it was (a note, another year's payment) gives back
# the same frame, so the year's totals and payers are not worked out again (_by_rows, kept_for).
_YEAR_ROWS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _read_rows(engine: sa.Engine, year: int) -> pd.DataFrame:
    landed_rows = landed(engine, date(year, 1, 1), date(year + 1, 1, 1))
    companies = company_rows(engine)
    kept = _YEAR_ROWS.setdefault(engine, {}).get(year)
    if kept is not None and kept[1] is companies and kept[0].equals(landed_rows):
        return kept[2]
    frame = landed_rows.copy()
    ids, names, kinds = _payers(companies)
    at = np.searchsorted(ids, frame["company_id"].to_numpy(dtype=np.int64))  # every row's company is a company
    frame["company"] = names.take(at) if len(ids) else np.array([], dtype=object)
    frame["withholding_kind"] = kinds.take(at) if len(ids) else np.array([], dtype=object)
    frame["differs"] = np.fromiter(
        (_differs(*row) for row in zip(frame["withholding_kind"].tolist(), *(frame[c].tolist() for c in (
            "gross", "income_tax", "local_tax", "received_on")))), dtype=bool, count=len(frame))
    _YEAR_ROWS[engine][year] = (landed_rows, companies, frame)
    return frame


def _read_payers(companies: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ids = sorted(companies)
    return (np.array(ids, dtype=np.int64), np.array([companies[i].name for i in ids], dtype=object),
            np.array([str(companies[i].withholding_kind) for i in ids], dtype=object))


# Company ids in order, with their names and withholding kinds: once per company_rows dict.
_payers = LastOf(_read_payers)


def _by_rows(engine: sa.Engine, name: str, year: int, build):
    """`build(rows)` of the year's rows, kept while they are the same frame."""
    return kept_for(engine, ("tax year", name, year), _rows(engine, year), build)


@lru_cache(maxsize=100_000)
def _differs(kind: str, gross: int, income_tax: int, local_tax: int, paid_on: date) -> bool:
    if gross < 0:  # a settled payment's remainder after deposits that paid more than it records
        return False
    if kind == "daily":  # withheld per day's pay: the deposit alone does not say how many days it pays
        return False
    return withholding_difference(int(gross), int(income_tax), int(local_tax), kind, paid_on) != 0


def year_totals(engine: sa.Engine, year: int) -> YearTotals:
    """The year's money by income kind. `payments` counts each payment once in every year it landed in;
    `withheld_differs` counts payments with a deposit of the year withheld unlike the usual rule.
    Worked out once per year and data version of what it reads (the 세금 page and the year's projection
    both need it)."""
    return _by_rows(engine, "totals", int(year), lambda rows: _totals_of(rows, int(year)))


def _year_totals(engine: sa.Engine, year: int) -> YearTotals:
    return _totals_of(_rows(engine, year), year)


def _totals_of(rows: pd.DataFrame, year: int) -> YearTotals:

    sums = rows.groupby("withholding_kind")[["gross", "income_tax", "local_tax"]].sum()  # one pass, not one per figure

    def total(kind: str, column: str) -> int:
        return int(sums.at[str(kind), column]) if str(kind) in sums.index else 0

    other = rows[rows["withholding_kind"] == WithholdingKind.OTHER]
    other_amount = sum(other_income_amount(int(g), on) for g, on in zip(other["gross"], other["received_on"]) if g > 0)
    b, o, n, d = WithholdingKind.BUSINESS, WithholdingKind.OTHER, WithholdingKind.NONE, "daily"  # 일용근로
    return YearTotals(year, total(b, "gross"), total(b, "income_tax"), total(b, "local_tax"), total(o, "gross"),
                      int(other_amount), total(o, "income_tax"), total(o, "local_tax"), total(n, "gross"),
                      int(rows["payment_id"].nunique()), int(rows.loc[rows["differs"], "payment_id"].nunique()),
                      total(d, "gross"), total(d, "income_tax"), total(d, "local_tax"))


def payer_breakdown(engine: sa.Engine, year: int) -> pd.DataFrame:
    """One row per payer (and income kind): payments, gross, withheld and net of the year (a copy of
    what is kept while the year's rows are the same)."""
    return _by_rows(engine, "payers", int(year), _payers_of).copy()


def _payers_of(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame(columns=PAYER_COLUMNS)
    # Payers are companies (each has one withholding kind): sums per company in numpy, payments and the
    # ones withheld unlike the rule counted once each (a payment with several deposits in the year).
    places = np.unique(rows["company_id"].to_numpy(dtype=np.int64), return_inverse=True)[1].astype(np.int64)
    firsts = np.unique(places, return_index=True)[1]  # each company's first row (its name and kind)
    width = len(firsts)
    payments = rows["payment_id"].to_numpy(dtype=np.int64)
    pairs = np.unique(places << 32 | payments)
    differs = rows["differs"].to_numpy(dtype=bool)
    odd = np.unique(places[differs] << 32 | payments[differs])
    sums = {}
    for c in ("gross", "income_tax", "local_tax", "net"):
        sums[c] = np.zeros(width, dtype=np.int64)
        np.add.at(sums[c], places, rows[c].to_numpy(dtype=np.int64))
    first = rows.iloc[firsts]
    frame = pd.DataFrame({
        "company": first["company"].tolist(),
        "withholding_kind": [WithholdingKind(k).label for k in first["withholding_kind"].tolist()],
        "payments": np.bincount(pairs >> 32, minlength=width).astype(np.int64), **sums,
        "differs": np.bincount(odd >> 32, minlength=width).astype(np.int64),
    }, columns=PAYER_COLUMNS)
    return frame.sort_values(["gross", "company"], ascending=[False, True], ignore_index=True)


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The breakdown with Korean headers and a total row, as it is downloaded."""
    total = {c: int(frame[c].sum()) for c in PAYER_COLUMNS[2:]}
    out = pd.concat([frame, pd.DataFrame([{"company": "합계", "withholding_kind": "", **total}])], ignore_index=True)
    return out.rename(columns=PAYER_HEADERS)


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, so Excel on Windows opens the Korean text correctly."""
    return export_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, year: int) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        export_frame(frame).to_excel(writer, index=False, sheet_name=f"{year}년 지급처별")
        sheet = writer.sheets[f"{year}년 지급처별"]
        for column in sheet.iter_cols(min_col=3, max_col=sheet.max_column, min_row=2):
            for cell in column:
                cell.number_format = "#,##0"
        sheet.column_dimensions["A"].width = 22
    return buffer.getvalue()


@dataclass(frozen=True)
class FilingCountdown:
    income_year: int
    deadline: date
    days_left: int


def filing_countdown(today: date) -> FilingCountdown | None:
    """From April 1 until the deadline: the May return for last year's income, and days left."""
    income_year = today.year - 1
    deadline = filing_deadline(income_year)
    if date(today.year, 4, 1) <= today <= deadline:
        return FilingCountdown(income_year, deadline, (deadline - today).days)
    return None
