"""The figures the pages show, to the won."""
from datetime import date

from tracker import ledger, queries


def test_dashboard_figures(engine, company_id, project_id):
    hourly = ledger.create_project(engine, {"company_id": company_id, "name": "음성 전사", "task_type": "transcription",
                                            "pay_scheme": "per_hour", "unit_price": 12_000, "status": "inspecting"})
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 2), "minutes": 120,
                                   "items_submitted": 300, "items_rejected": 12})  # 288 × 50 = 14,400
    ledger.create_worklog(engine, {"project_id": hourly, "work_date": date(2026, 11, 3), "minutes": 150})  # 30,000
    ledger.create_worklog(engine, {"project_id": hourly, "work_date": date(2026, 10, 30), "minutes": 60})  # October
    pay = {"company_id": company_id, "gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700}
    ledger.create_payment(engine, pay | {"work_month": date(2026, 9, 1), "received_date": date(2026, 11, 5)})
    ledger.create_payment(engine, pay | {"work_month": date(2026, 9, 1), "expected_date": date(2026, 11, 21)})  # late
    ledger.create_payment(engine, pay | {"work_month": date(2026, 11, 1), "gross": 50_000, "income_tax": 1_500,
                                         "local_tax": 150, "net": 48_350})  # due 2026-12-10

    d = queries.dashboard(engine, date(2026, 11, 22))
    assert d.month == date(2026, 11, 1)
    assert d.month_earnings == 44_400
    # Open payments 96,700 (late) + 48,350. The November payment has no project: it pays the company's
    # November work (OCR 14,400 and transcription 30,000), so that is not counted again. Unbilled:
    # transcription Oct, 12,000 gross, due Nov 10 (late), nets 11,610.
    assert (d.to_receive, d.to_receive_count) == (156_660, 3)
    assert (d.overdue, d.overdue_count) == (108_310, 2)
    assert d.unbilled == 11_610
    assert d.active_projects == 2
    assert d.received_this_month == 96_700


def test_payments_frame_statuses_and_filters(engine, company_id, project_id):
    pay = {"company_id": company_id, "gross": 10_000, "income_tax": 300, "local_tax": 30, "net": 9_670}
    ledger.create_payment(engine, pay | {"work_month": date(2026, 9, 1), "received_date": date(2026, 10, 12)})
    ledger.create_payment(engine, pay | {"work_month": date(2026, 10, 1), "project_id": project_id})
    frame = queries.payments(engine, date(2026, 11, 22))
    assert frame[["work_month", "status", "days_late"]].values.tolist() == [
        [date(2026, 10, 1), "late", 12],
        [date(2026, 9, 1), "received", 0],  # due Sat 10-10, so Mon 10-12 is on time
    ]
    only_october = queries.payments(engine, date(2026, 11, 22), month=date(2026, 10, 15))
    assert only_october["id"].tolist() == [frame["id"].iloc[0]]
    assert queries.payments(engine, date(2026, 11, 22), project_id=project_id)["net"].tolist() == [9_670]


def test_worklogs_frame_filters_by_month_and_company(engine, company_id, project_id):
    other = ledger.create_company(engine, {"name": "테스트웍스"})
    other_project = ledger.create_project(engine, {"company_id": other, "name": "키포인트", "unit_price": 120})
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 10, 31), "items_submitted": 10})
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 1), "items_submitted": 20})
    ledger.create_worklog(engine, {"project_id": other_project, "work_date": date(2026, 11, 2), "items_submitted": 5})
    november = queries.worklogs(engine, month=date(2026, 11, 1))
    assert november[["project", "earnings"]].values.tolist() == [["키포인트", 600], ["간판 OCR", 1_000]]
    assert queries.worklogs(engine, company_id=company_id)["earnings"].sum() == 1_500


def test_companies_frame_counts_projects(engine, company_id, project_id):
    ledger.create_company(engine, {"name": "레이블러", "active": False, "pay_months_after": 2, "pay_day": 31})
    frame = queries.companies(engine)
    assert frame[["name", "projects", "terms", "active"]].values.tolist() == [
        ["크라우드웍스", 1, "다음 달 10일", True],
        ["레이블러", 0, "2개월 후 말일", False],
    ]


def test_work_months_sums_per_project_and_month_in_sql(engine, company_id, project_id):
    hourly = ledger.create_project(engine, {"company_id": company_id, "name": "음성 전사", "pay_scheme": "per_hour",
                                            "unit_price": 12_000})
    fixed = ledger.create_project(engine, {"company_id": company_id, "name": "현장 정제", "pay_scheme": "fixed",
                                           "unit_price": 500_000})
    for day, submitted, rejected in ((date(2026, 10, 30), 100, 4), (date(2026, 10, 31), 50, 0),
                                     (date(2026, 11, 1), 10, 1)):
        ledger.create_worklog(engine, {"project_id": project_id, "work_date": day, "minutes": 30,
                                       "items_submitted": submitted, "items_rejected": rejected})
    ledger.create_worklog(engine, {"project_id": hourly, "work_date": date(2026, 10, 2), "minutes": 95})  # 19,000
    ledger.create_worklog(engine, {"project_id": fixed, "work_date": date(2026, 10, 2), "minutes": 300})
    frame = queries.work_months(engine)
    assert list(frame.columns) == queries.WORK_MONTH_COLUMNS
    assert frame.values.tolist() == [
        # project, company, month, entries, minutes, earned, submitted, rejected, rejection cost
        [project_id, company_id, date(2026, 10, 1), 2, 60, 146 * 50, 150, 4, 4 * 50],
        [hourly, company_id, date(2026, 10, 1), 1, 95, 95 * 12_000 // 60, 0, 0, 0],
        [fixed, company_id, date(2026, 10, 1), 1, 300, 0, 0, 0, 0],
        [project_id, company_id, date(2026, 11, 1), 1, 30, 9 * 50, 10, 1, 50],
    ]


def test_work_months_is_read_again_only_after_a_write_to_its_tables(engine, company_id, project_id):
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 2), "minutes": 30,
                                   "items_submitted": 10})
    first = queries.work_months(engine)
    ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 11, 1), "gross": 500,
                                   "income_tax": 0, "local_tax": 0, "net": 500})
    ledger.update_company(engine, company_id, {"notes": "메모"})
    assert queries.work_months(engine) is first  # payments and companies are not its tables
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 3), "minutes": 30,
                                   "items_submitted": 20})
    again = queries.work_months(engine)
    assert again is not first and again["earned"].tolist() == [1_500]
