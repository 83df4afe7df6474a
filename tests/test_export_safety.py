"""Spreadsheet exports never run what is in them: a payer named =HYPERLINK(…) stays text (tracker.sheetsafe)."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tracker import ledger, sheetsafe
from tracker.sheetsafe import safe_cell, safe_frame, safe_xlsx

ROOT = Path(__file__).resolve().parent.parent
EVIL = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+2", "'=1+2"), ("+82 10 1234", "'+82 10 1234"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("크라우드웍스", "크라우드웍스"), ("A=1", "A=1"), ("", ""),
    (-5, -5), (3.5, 3.5), (None, None),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_safe_frame_touches_text_only():
    frame = pd.DataFrame({"name": [EVIL, "에이모", None], "amount": [-5, 10, 0], "ratio": [-0.5, 1.0, 2.0]})
    out = safe_frame(frame)
    assert out["name"].tolist()[:2] == ["'" + EVIL, "에이모"] and pd.isna(out["name"].tolist()[2])
    assert out["amount"].tolist() == [-5, 10, 0] and out["amount"].dtype == frame["amount"].dtype
    assert out["ratio"].tolist() == [-0.5, 1.0, 2.0]
    assert frame["name"].tolist()[0] == EVIL  # the original is not changed


def test_safe_xlsx_stores_formula_like_text_as_text_and_numbers_as_numbers():
    buffer = io.BytesIO()
    pd.DataFrame({"name": [EVIL, "@x", "에이모"], "amount": [-5, 10, 20]}).to_excel(buffer, index=False)
    book = openpyxl.load_workbook(io.BytesIO(safe_xlsx(buffer.getvalue())))
    sheet = book.active
    assert [(c.value, c.data_type, c.quotePrefix) for c in sheet["A"][1:]] == [
        (EVIL, "s", True), ("@x", "s", True), ("에이모", "s", False)]
    assert [(c.value, c.data_type) for c in sheet["B"][1:]] == [(-5, "n"), (10, "n"), (20, "n")]


@pytest.fixture
def evil_payer(db_url, monkeypatch):
    """A ledger whose only payer is named like a formula, paid in 2026; the app pointed at it."""
    import streamlit as st

    from tracker.db import connect

    engine = connect(db_url)
    company = ledger.create_company(engine, {"name": EVIL})
    ledger.create_payment(engine, {"company_id": company, "work_month": date(2026, 9, 1), "gross": 100_000,
                                   "income_tax": 3_000, "local_tax": 300, "net": 96_700,
                                   "received_date": date(2026, 10, 10)})
    engine.dispose()
    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_TODAY", "2026-11-22")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db_url
    st.cache_data.clear()
    st.cache_resource.clear()


def test_the_tax_page_exports_a_formula_named_payer_as_text(evil_payer, monkeypatch):
    """The downloads the tax page offers (their data built when clicked), read back."""
    from streamlit.delta_generator import DeltaGenerator
    from streamlit.testing.v1 import AppTest

    offered: dict[str, object] = {}
    original = DeltaGenerator.download_button

    def recording(self, label, data, *args, **kwargs):
        offered[label] = data
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("views/tax.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert set(offered) == {"CSV로 받기", "Excel로 받기"}

    rows = list(csv.reader(io.StringIO(offered["CSV로 받기"]().decode("utf-8-sig"))))
    assert rows[1] == ["'" + EVIL, "사업소득 3.3%", "1", "100000", "3000", "300", "96700", "0"]
    assert rows[1][0].startswith("'=")

    sheet = openpyxl.load_workbook(io.BytesIO(offered["Excel로 받기"]())).active
    name = sheet["A2"]
    assert (name.value, name.data_type, name.quotePrefix) == (EVIL, "s", True)
    assert name.data_type != "f"
    assert [(c.value, c.data_type) for c in sheet[2][2:7]] == [(1, "n"), (100_000, "n"), (3_000, "n"), (300, "n"),
                                                               (96_700, "n")]
    assert sheet["D2"].number_format == "#,##0"  # the export's own formatting survives


def test_a_workbook_without_formula_like_cells_is_returned_as_is():
    buffer = io.BytesIO()
    pd.DataFrame({"name": ["에이모"], "amount": [1]}).to_excel(buffer, index=False)
    assert sheetsafe.safe_xlsx(buffer.getvalue()) == buffer.getvalue()
