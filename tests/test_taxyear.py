"""A tax year from the ledger: totals by payment date, the payer breakdown, exports, the countdown."""
import csv
import io
from datetime import date

import openpyxl
import pytest

import pandas as pd

from tracker import ledger, queries
from tracker.demo import generate
from tracker.taxyear import _rows as taxyear_rows
from tracker.taxyear import (
    export_frame,
    filing_countdown,
    paid_years,
    payer_breakdown,
    to_csv,
    to_xlsx,
    year_totals,
)


@pytest.fixture
def two_payers(engine, company_id):
    flitto = ledger.create_company(engine, {"name": "플리토", "withholding_kind": "other"})
    base = {"company_id": company_id, "work_month": date(2025, 11, 1)}
    # Paid in 2025 and 2026: only the received date decides the year.
    ledger.create_payment(engine, base | {"gross": 1_000_000, "income_tax": 30_000, "local_tax": 3_000,
                                          "net": 967_000, "received_date": date(2025, 12, 10)})
    ledger.create_payment(engine, base | {"work_month": date(2025, 12, 1), "gross": 45_000, "income_tax": 1_350,
                                          "local_tax": 135, "net": 43_515, "received_date": date(2026, 1, 12)})
    ledger.create_payment(engine, base | {"work_month": date(2026, 1, 1), "gross": 200_000, "income_tax": 6_000,
                                          "local_tax": 600, "net": 193_400, "received_date": date(2026, 2, 10)})
    ledger.create_payment(engine, {"company_id": flitto, "work_month": date(2026, 1, 1), "gross": 1_000_000,
                                   "income_tax": 80_000, "local_tax": 8_000, "net": 912_000,
                                   "received_date": date(2026, 2, 16)})
    ledger.create_payment(engine, base | {"work_month": date(2026, 10, 1), "gross": 100_000, "income_tax": 3_000,
                                          "local_tax": 300, "net": 96_700})  # not received: not in any year
    return engine


def test_totals_follow_the_received_date(two_payers):
    assert paid_years(two_payers) == [2026, 2025]
    t = year_totals(two_payers, 2026)
    assert (t.business_gross, t.business_income_tax, t.business_local_tax) == (245_000, 7_350, 735)
    assert (t.other_gross, t.other_income_amount, t.other_income_tax, t.other_local_tax) == (
        1_000_000, 400_000, 80_000, 8_000)
    assert (t.payments, t.withheld_differs) == (3, 1)  # 135 local tax on 45,000 where the rule gives 130
    assert year_totals(two_payers, 2025).business_gross == 1_000_000


def test_payer_breakdown_and_exports(two_payers):
    frame = payer_breakdown(two_payers, 2026)
    assert frame.values.tolist() == [
        ["플리토", "기타소득 8.8%", 1, 1_000_000, 80_000, 8_000, 912_000, 0],
        ["크라우드웍스", "사업소득 3.3%", 2, 245_000, 7_350, 735, 236_915, 1],
    ]
    assert export_frame(frame).iloc[-1].tolist() == ["합계", "", 3, 1_245_000, 87_350, 8_735, 1_148_915, 1]

    raw = to_csv(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["지급처", "소득 구분", "지급 건수", "지급액(세전)", "소득세", "지방소득세", "실수령액",
                       "예상과 다른 원천징수(건)"]
    assert rows[-1] == ["합계", "", "3", "1245000", "87350", "8735", "1148915", "1"]

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, 2026)))
    sheet = book["2026년 지급처별"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1] == ["플리토", "기타소득 8.8%", 1, 1_000_000, 80_000, 8_000, 912_000, 0]
    assert values[-1] == ["합계", None, 3, 1_245_000, 87_350, 8_735, 1_148_915, 1]
    assert sheet["D2"].number_format == "#,##0"


def test_demo_yearly_totals(engine):
    generate(engine, end=date(2023, 3, 1), today=date(2026, 11, 22))
    totals = {y: year_totals(engine, y) for y in (2021, 2022, 2023)}
    assert [(t.business_gross, t.business_income_tax, t.business_local_tax) for t in totals.values()] == [
        (446_120, 13_360, 1_310), (12_698_364, 379_070, 37_740), (5_472_886, 164_090, 16_350)]
    assert sum(t.payments for t in totals.values()) == 63
    assert totals[2022].other_gross == 166_640 and totals[2022].other_income_tax == 0  # each under 125,000


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 31), None),
        (date(2026, 4, 1), (2025, date(2026, 6, 1), 61)),  # May 31 2026 is a Sunday
        (date(2026, 6, 1), (2025, date(2026, 6, 1), 0)),
        (date(2026, 6, 2), None),
        (date(2027, 5, 1), (2026, date(2027, 5, 31), 30)),
    ],
)
def test_filing_countdown(today, expected):
    countdown = filing_countdown(today)
    assert (None if countdown is None else (countdown.income_year, countdown.deadline, countdown.days_left)) == expected


def test_each_deposit_counts_in_the_year_it_landed(engine, company_id):
    # 1,000,000 for November 2025 work: 400,000 landed on 2025-12-20, the rest on 2026-01-05.
    split = ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2025, 11, 1),
                                           "gross": 1_000_000, "income_tax": 30_000, "local_tax": 3_000,
                                           "net": 967_000})
    ledger.record_deposit(engine, {"payment_id": split, "received_on": date(2025, 12, 20), "net": 386_800,
                                   "gross": 400_000, "income_tax": 12_000, "local_tax": 1_200}, settle=False)
    # Before it is settled, the December deposit is already 2025 income.
    t = year_totals(engine, 2025)
    assert (t.business_gross, t.business_income_tax, t.business_local_tax, t.payments) == (400_000, 12_000, 1_200, 1)
    assert paid_years(engine) == [2025]
    ledger.record_deposit(engine, {"payment_id": split, "received_on": date(2026, 1, 5), "net": 580_200,
                                   "gross": 600_000, "income_tax": 18_000, "local_tax": 1_800})
    # An open payment's partial deposit counts in its year too; a payment recorded with a received
    # date only counts in full on that date.
    open_one = ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 1, 1),
                                              "gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700})
    ledger.record_deposit(engine, {"payment_id": open_one, "received_on": date(2026, 2, 10), "net": 48_350,
                                   "gross": 50_000, "income_tax": 1_500, "local_tax": 150}, settle=False)
    ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2025, 12, 1), "gross": 45_000,
                                   "income_tax": 1_350, "local_tax": 130, "net": 43_520,
                                   "received_date": date(2026, 1, 12)})
    assert paid_years(engine) == [2026, 2025]
    t2025, t2026 = year_totals(engine, 2025), year_totals(engine, 2026)
    assert (t2025.business_gross, t2025.business_income_tax, t2025.business_local_tax, t2025.payments) == (
        400_000, 12_000, 1_200, 1)
    assert (t2026.business_gross, t2026.business_income_tax, t2026.business_local_tax, t2026.payments) == (
        600_000 + 50_000 + 45_000, 18_000 + 1_500 + 1_350, 1_800 + 150 + 130, 3)
    assert t2026.withheld_differs == 0
    assert payer_breakdown(engine, 2025).values.tolist() == [
        ["크라우드웍스", "사업소득 3.3%", 1, 400_000, 12_000, 1_200, 386_800, 0]]
    assert payer_breakdown(engine, 2026).values.tolist() == [
        ["크라우드웍스", "사업소득 3.3%", 3, 695_000, 20_850, 2_080, 672_070, 0]]


def test_a_year_read_on_its_own_equals_the_year_cut_from_the_whole(engine, company_id):
    # Covered in full by a 2026 deposit, then marked received on 2027-01-03: nothing lands in 2027.
    covered = ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 11, 1),
                                             "gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700})
    ledger.record_deposit(engine, {"payment_id": covered, "received_on": date(2026, 12, 30), "net": 96_700,
                                   "gross": 100_000, "income_tax": 3_000, "local_tax": 300}, settle=False)
    ledger.update_payment(engine, covered, {"received_date": date(2027, 1, 3), "version": 1})
    # Two deposits on one day, and a payment settled the next year: the rows keep one order both ways.
    split = ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2025, 11, 1),
                                           "gross": 60_000, "income_tax": 1_800, "local_tax": 180, "net": 58_020})
    for gross, tax, local, net in ((20_000, 600, 60, 19_340), (10_000, 300, 30, 9_670)):
        ledger.record_deposit(engine, {"payment_id": split, "received_on": date(2025, 12, 31), "net": net,
                                       "gross": gross, "income_tax": tax, "local_tax": local}, settle=False)
    ledger.update_payment(engine, split, {"received_date": date(2026, 1, 2), "version": 1})
    queries._LANDED.pop(engine, None)  # nothing kept: read whole again
    years = queries.landed_years(engine)
    alone = {y: queries.landed(engine, date(y, 1, 1), date(y + 1, 1, 1)) for y in (2025, 2026, 2027)}
    whole = queries.landed(engine)  # read whole and kept: each year is cut from it
    assert years == queries.landed_years(engine) == [2026, 2025]
    assert alone[2027].empty and len(whole) == 4
    assert alone[2025][["payment_id", "received_on", "gross"]].values.tolist() == [
        [split, date(2025, 12, 31), 20_000], [split, date(2025, 12, 31), 10_000]]
    assert alone[2026][["payment_id", "received_on", "gross", "net"]].values.tolist() == [
        [split, date(2026, 1, 2), 30_000, 29_010], [covered, date(2026, 12, 30), 100_000, 96_700]]
    for year, frame in alone.items():
        pd.testing.assert_frame_equal(frame, queries.landed(engine, date(year, 1, 1), date(year + 1, 1, 1)))


def test_a_payment_marked_received_after_a_partial_deposit(engine, company_id):
    # 30,000 deposited in December; the user then marks the payment received on 2026-01-09: the other
    # 70,000 (gross; 2,100 + 210 withheld) landed that day.
    payment = ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2025, 11, 1),
                                             "gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700})
    ledger.record_deposit(engine, {"payment_id": payment, "received_on": date(2025, 12, 10), "net": 29_010,
                                   "gross": 30_000, "income_tax": 900, "local_tax": 90}, settle=False)
    ledger.update_payment(engine, payment, {"received_date": date(2026, 1, 9)})
    t2025, t2026 = year_totals(engine, 2025), year_totals(engine, 2026)
    assert (t2025.business_gross, t2025.business_income_tax, t2025.business_local_tax) == (30_000, 900, 90)
    assert (t2026.business_gross, t2026.business_income_tax, t2026.business_local_tax) == (70_000, 2_100, 210)
    assert t2025.business_gross + t2026.business_gross == 100_000


def test_a_note_leaves_the_year_as_it_was_and_an_amount_does_not(engine, company_id):
    payment = ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 3, 1),
                                             "gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700,
                                             "received_date": date(2026, 4, 10)})
    rows = taxyear_rows(engine, 2026)
    ledger.update_payment(engine, payment, {"note": "확인함", "version": 1})
    assert taxyear_rows(engine, 2026) is rows  # the year's money as it was: nothing worked out again
    assert year_totals(engine, 2026).business_gross == 100_000
    ledger.update_payment(engine, payment, {"gross": 200_000, "income_tax": 6_000, "local_tax": 600, "net": 193_400,
                                            "version": 2})
    assert taxyear_rows(engine, 2026) is not rows
    assert (year_totals(engine, 2026).business_gross, payer_breakdown(engine, 2026)["net"].tolist()) == (200_000, [193_400])
