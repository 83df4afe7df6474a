"""The 작업 기록 and 지급 tables page in SQL: totals over every row the filters keep, one page of rows shown."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tests.test_pages import click, metric, open_page
from tracker import ledger, queries
from tracker.db import connect
from tracker.models import Payment, WorkLog

TODAY = date(2026, 11, 22)


def many_worklogs(engine, project_id: int, n: int, first: date = date(2026, 6, 1)) -> None:
    """`n` entries on consecutive days from `first`: minutes 10 + i, 100 items, i % 5 rejected (rate 50)."""
    rows = [{"project_id": project_id, "work_date": first + timedelta(days=i), "minutes": 10 + i % 50,
             "items_submitted": 100, "items_rejected": i % 5, "rate": 50, "pay_scheme": "per_item", "note": ""}
            for i in range(n)]
    with engine.begin() as conn:
        conn.execute(sa.insert(WorkLog), rows)


def test_worklog_pages_are_newest_first_and_the_totals_cover_every_row(engine, company_id, project_id):
    many_worklogs(engine, project_id, 150)  # 2026-06-01 … 2026-10-28
    first = queries.worklogs(engine, limit=100)
    second = queries.worklogs(engine, limit=100, offset=100)
    assert first["work_date"].iloc[0] == date(2026, 10, 28) and len(first) == 100
    assert len(second) == 50 and second["work_date"].iloc[-1] == date(2026, 6, 1)
    everything = queries.worklogs(engine)
    assert everything["id"].tolist() == first["id"].tolist() + second["id"].tolist()
    totals = queries.worklog_totals(engine)
    assert totals == queries.WorkTotals(
        entries=150, minutes=int(everything["minutes"].sum()), submitted=15_000,
        rejected=int(everything["items_rejected"].sum()), earnings=int(everything["earnings"].sum()))
    assert totals.earnings == (15_000 - totals.rejected) * 50
    july = queries.worklog_totals(engine, month=date(2026, 7, 9))
    assert july.entries == 31 == len(queries.worklogs(engine, month=date(2026, 7, 1)))
    assert queries.worklog_months(engine) == [date(2026, m, 1) for m in (10, 9, 8, 7, 6)]
    assert queries.worklog_months(engine, company_id=company_id + 99) == []


def test_payment_totals_are_the_sums_of_the_rows(engine, company_id, project_id):
    for month, gross in ((date(2026, 8, 1), 100_000), (date(2026, 9, 1), 200_000), (date(2026, 10, 1), 300_000)):
        ledger.create_payment(engine, {"company_id": company_id, "project_id": project_id, "work_month": month,
                                       "gross": gross, "income_tax": gross * 3 // 100, "local_tax": gross * 3 // 1000,
                                       "net": gross - gross * 3 // 100 - gross * 3 // 1000})
    paid = queries.payments(engine, TODAY, month=date(2026, 8, 1))["id"].iloc[0]
    ledger.record_deposit(engine, {"payment_id": int(paid), "received_on": date(2026, 9, 10), "gross": 100_000,
                                   "income_tax": 3_000, "local_tax": 300, "net": 96_700, "settle": True})
    rows = queries.payments(engine, TODAY)
    totals = queries.payment_totals(engine, TODAY)
    assert (totals.count, totals.gross, totals.net) == (3, 600_000, int(rows["net"].sum()))
    assert totals.income_tax + totals.local_tax == int(rows["income_tax"].sum() + rows["local_tax"].sum())
    assert totals.outstanding == int(rows["outstanding"].sum()) == 193_400 + 290_100
    assert totals.late == int((rows["status"] == "late").sum()) == 2  # due 2026-10-12 and 2026-11-10
    assert queries.payments(engine, TODAY, limit=2)["work_month"].tolist() == [date(2026, 10, 1), date(2026, 9, 1)]
    assert queries.payments(engine, TODAY, limit=2, offset=2)["work_month"].tolist() == [date(2026, 8, 1)]
    assert queries.payment_months(engine) == [date(2026, 10, 1), date(2026, 9, 1), date(2026, 8, 1)]
    assert queries.payment_totals(engine, TODAY, month=date(2026, 9, 1)).net == 193_400


def test_a_payment_stored_without_an_expected_date_counts_late_by_the_terms(engine, company_id):
    payment = ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 9, 1),
                                             "gross": 10_000, "income_tax": 300, "local_tax": 30, "net": 9_670})
    with engine.begin() as conn:  # a row from before expected dates were always stored
        conn.execute(sa.update(Payment).where(Payment.id == payment).values(expected_date=None))
    assert queries.payment_totals(engine, TODAY).late == 1
    assert queries.payments(engine, TODAY)["status"].tolist() == ["late"]


def test_the_worklogs_page_shows_200_rows_and_the_rest_a_page_away(app_db):
    engine = connect(app_db)
    company = ledger.create_company(engine, {"name": "테스트웍스"})
    project = ledger.create_project(engine, {"company_id": company, "name": "바운딩 박스", "unit_price": 50})
    many_worklogs(engine, project, 205, first=date(2026, 4, 1))  # … 2026-10-22
    at = open_page("views/worklogs.py")
    assert metric(at, "기록") == "205건"
    assert metric(at, "수입(세전)") == f"₩{queries.worklog_totals(engine).earnings:,}"
    shown = at.dataframe[0].value
    assert len(shown) == 200 and shown["work_date"].dt.date.iloc[0] == date(2026, 10, 22)
    click(at, "이전 200건 →")
    shown = at.dataframe[0].value
    assert shown["work_date"].dt.date.tolist() == [date(2026, 4, 1) + timedelta(days=i) for i in (4, 3, 2, 1, 0)]
    assert metric(at, "기록") == "205건"
    at.selectbox(key="worklogs_filter_month").set_value(date(2026, 5, 1)).run()
    assert len(at.dataframe[0].value) == 31 and metric(at, "기록") == "31건"  # a new filter starts again


def test_a_worklog_is_deleted_through_the_confirmation_dialog(app_db):
    engine = connect(app_db)
    company = ledger.create_company(engine, {"name": "테스트웍스"})
    project = ledger.create_project(engine, {"company_id": company, "name": "바운딩 박스", "unit_price": 50})
    many_worklogs(engine, project, 2, first=date(2026, 11, 1))
    at = open_page("views/worklogs.py")
    click(at, "기록 삭제…")
    assert [b.label for b in at.button if b.label in ("삭제", "취소")] == ["삭제", "취소"]  # the dialog
    click(at, "삭제")
    assert at.success[0].value == "작업 기록을 삭제했습니다."
    assert metric(at, "기록") == "1건"
    with engine.connect() as conn:
        assert conn.execute(sa.select(WorkLog.work_date)).scalars().all() == [date(2026, 11, 1)]


def test_the_payments_page_pages_and_keeps_the_totals_of_every_payment(app_db):
    engine = connect(app_db)
    company = ledger.create_company(engine, {"name": "크라우드웍스"})
    rows = [{"company_id": company, "work_month": date(2010 + i // 12, i % 12 + 1, 1), "gross": 1_000 + i,
             "income_tax": 0, "local_tax": 0, "net": 1_000 + i, "expected_date": date(2010 + i // 12, i % 12 + 1, 1),
             "received_date": date(2010 + i // 12, i % 12 + 1, 1), "note": ""} for i in range(203)]
    with engine.begin() as conn:
        conn.execute(sa.insert(Payment), rows)
    at = open_page("views/payments.py")
    assert metric(at, "실수령액 합계") == f"₩{sum(r['net'] for r in rows):,}"
    assert len(at.dataframe[0].value) == 200
    click(at, "이전 200건 →")
    assert at.dataframe[0].value["net"].tolist() == [1_002, 1_001, 1_000]
    click(at, "← 최근 200건")
    assert at.dataframe[0].value["net"].iloc[0] == 1_202
