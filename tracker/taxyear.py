"""A tax year from the ledger: what was paid, what was withheld, by payer, and when to file.

Income counts in the year it was paid (the received date), as the payer's 지급명세서 reports it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from tracker.models import Company, Payment
from tracker.models.enums import WithholdingKind
from tracker.deposits import withholding_difference
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


def _received_in(year: int):
    return sa.and_(Payment.received_date >= date(year, 1, 1), Payment.received_date < date(year + 1, 1, 1))


def paid_years(engine: sa.Engine) -> list[int]:
    """Years in which some payment was received, newest first."""
    with engine.connect() as conn:
        dates = conn.execute(select(Payment.received_date).where(Payment.received_date.is_not(None))).scalars()
        return sorted({d.year for d in dates}, reverse=True)


def _rows(engine: sa.Engine, year: int):
    with engine.connect() as conn:
        return conn.execute(
            select(Company.name, Company.withholding_kind, Payment.gross, Payment.income_tax, Payment.local_tax,
                   Payment.net, Payment.received_date)
            .join(Company, Company.id == Payment.company_id)
            .where(_received_in(year))
        ).all()


def _differs(kind: str, gross: int, income_tax: int, local_tax: int, paid_on: date) -> bool:
    return withholding_difference(int(gross), int(income_tax), int(local_tax), kind, paid_on) != 0


def year_totals(engine: sa.Engine, year: int) -> YearTotals:
    sums = {kind: [0, 0, 0] for kind in WithholdingKind}
    other_amount = differs = count = 0
    for _name, kind, gross, income_tax, local_tax, _net, paid_on in _rows(engine, year):
        count += 1
        s = sums[WithholdingKind(kind)]
        s[0] += int(gross)
        s[1] += int(income_tax)
        s[2] += int(local_tax)
        differs += _differs(kind, gross, income_tax, local_tax, paid_on)
        if kind == WithholdingKind.OTHER:
            other_amount += other_income_amount(int(gross), paid_on)
    b, o, n = sums[WithholdingKind.BUSINESS], sums[WithholdingKind.OTHER], sums[WithholdingKind.NONE]
    return YearTotals(year, b[0], b[1], b[2], o[0], other_amount, o[1], o[2], n[0], count, differs)


def payer_breakdown(engine: sa.Engine, year: int) -> pd.DataFrame:
    """One row per payer (and income kind): payments, gross, withheld and net of the year."""
    grouped: dict[tuple[str, str], list[int]] = {}
    for name, kind, gross, income_tax, local_tax, net, paid_on in _rows(engine, year):
        g = grouped.setdefault((name, kind), [0, 0, 0, 0, 0, 0])
        g[0] += 1
        g[1] += int(gross)
        g[2] += int(income_tax)
        g[3] += int(local_tax)
        g[4] += int(net)
        g[5] += _differs(kind, gross, income_tax, local_tax, paid_on)
    rows = [(name, WithholdingKind(kind).label, *values) for (name, kind), values in grouped.items()]
    frame = pd.DataFrame(rows, columns=PAYER_COLUMNS)
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
