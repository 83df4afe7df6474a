"""Income by month, seasons, year to date, hours and KRW per hour — to the won."""
from datetime import date

import pandas as pd

from tracker import ledger
from tracker.income import (
    earned_by_month,
    group_rates,
    hours_by_month,
    monthly_totals,
    months_before,
    project_rates,
    received_by_month,
    season_table,
    year_to_date,
)


def test_earned_and_received_by_month(engine, company_id, project_id):
    fixed = ledger.create_project(engine, {"company_id": company_id, "name": "단기 계약", "pay_scheme": "fixed",
                                           "unit_price": 300_000})
    hourly = ledger.create_project(engine, {"company_id": company_id, "name": "전사", "pay_scheme": "per_hour",
                                            "unit_price": 12_000})
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 9, 3), "minutes": 120,
                                   "items_submitted": 1_000, "items_rejected": 40})  # 960 × 50 = 48,000
    ledger.create_worklog(engine, {"project_id": hourly, "work_date": date(2026, 9, 4), "minutes": 150})  # 30,000
    ledger.create_worklog(engine, {"project_id": fixed, "work_date": date(2026, 10, 5), "minutes": 480})  # 0
    ledger.create_payment(engine, {"company_id": company_id, "project_id": fixed, "work_month": date(2026, 10, 1),
                                   "gross": 300_000, "income_tax": 9_000, "local_tax": 900, "net": 290_100,
                                   "received_date": date(2026, 11, 10)})
    ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 9, 1), "gross": 78_000,
                                   "income_tax": 2_340, "local_tax": 230, "net": 75_430,
                                   "received_date": date(2026, 10, 12)})
    earned = earned_by_month(engine)
    assert earned.values.tolist() == [
        [pd.Timestamp("2026-09-01"), "크라우드웍스", 78_000, 75_430],
        [pd.Timestamp("2026-10-01"), "크라우드웍스", 300_000, 290_100],
    ]
    received = received_by_month(engine)
    assert received.values.tolist() == [
        [pd.Timestamp("2026-10-01"), "크라우드웍스", 78_000, 75_430],
        [pd.Timestamp("2026-11-01"), "크라우드웍스", 300_000, 290_100],
    ]
    # The forecast's history: whole months before today's, this month's partial earnings left out.
    assert months_before(earned, date(2026, 11, 22)).to_dict() == {pd.Period("2026-09"): 78_000,
                                                                   pd.Period("2026-10"): 300_000}
    assert months_before(earned, date(2026, 9, 30)).empty
    series = monthly_totals(earned, "gross", through=date(2026, 12, 1))
    assert series.to_dict() == {pd.Period("2026-09"): 78_000, pd.Period("2026-10"): 300_000,
                                pd.Period("2026-11"): 0, pd.Period("2026-12"): 0}

    rates = project_rates(engine).set_index("project")
    assert rates.loc["간판 OCR", ["hours", "earned", "krw_per_hour", "rejection_rate", "rejection_cost"]].tolist() == [
        2.0, 48_000, 24_000, 0.04, 2_000]
    assert rates.loc["단기 계약", ["hours", "earned", "krw_per_hour"]].tolist() == [8.0, 300_000, 37_500]
    by_task = group_rates(project_rates(engine), "pay_scheme").set_index("pay_scheme")
    assert by_task.loc["per_hour", "krw_per_hour"] == 12_000
    assert str(by_task["krw_per_hour"].dtype) == "Int64", "KRW per hour in whole won, never a float"

    hours = hours_by_month(engine)
    assert hours[["hours", "earned", "krw_per_hour", "minimum_wage"]].values.tolist() == [
        [4.5, 78_000, 17_333, 10_320], [8.0, 0, 0, 10_320]]


def test_partial_deposits_count_in_the_month_they_landed(engine, company_id):
    payment = ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 9, 1),
                                             "gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700})
    ledger.record_deposit(engine, {"payment_id": payment, "received_on": date(2026, 10, 20), "net": 48_350,
                                   "gross": 50_000, "income_tax": 1_500, "local_tax": 150}, settle=False)
    assert received_by_month(engine)[["month", "net"]].values.tolist() == [[pd.Timestamp("2026-10-01"), 48_350]]


def test_season_and_year_to_date_tables():
    series = pd.Series([100, 200, 300, 400], index=pd.period_range("2025-11", periods=4, freq="M"))
    assert season_table(series).values.tolist() == [[2025, 11, 100], [2025, 12, 200], [2026, 1, 300], [2026, 2, 400]]
    assert year_to_date(series)["cumulative"].tolist() == [100, 300, 300, 700]


def test_empty_ledger_gives_empty_frames(engine):
    assert earned_by_month(engine).empty and received_by_month(engine).empty
    assert monthly_totals(earned_by_month(engine)).empty
    assert hours_by_month(engine).empty and project_rates(engine).empty


def test_earned_uses_the_recorded_payment_and_the_pay_date_rule(engine, company_id, project_id):
    # June 2024 work, 20,000: paid in July, when 3.3% was withheld even under 1,000 won of tax.
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2024, 6, 14), "items_submitted": 400})
    # October 2026 work, 45,000 by the entries; the platform paid 45,000 with 1,350 + 135 withheld.
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 10, 5), "items_submitted": 900})
    ledger.create_payment(engine, {"company_id": company_id, "project_id": project_id, "work_month": date(2026, 10, 1),
                                   "gross": 45_000, "income_tax": 1_350, "local_tax": 135, "net": 43_515})
    assert earned_by_month(engine).values.tolist() == [
        [pd.Timestamp("2024-06-01"), "크라우드웍스", 20_000, 19_340],
        [pd.Timestamp("2026-10-01"), "크라우드웍스", 45_000, 43_515],  # the real net, not a re-estimate (43,520)
    ]


def test_a_split_payment_counts_each_deposit_in_its_month(engine, company_id):
    payment = ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2025, 11, 1),
                                             "gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700})
    for day in (date(2025, 12, 20), date(2026, 1, 5)):
        ledger.record_deposit(engine, {"payment_id": payment, "received_on": day, "net": 48_350, "gross": 50_000,
                                       "income_tax": 1_500, "local_tax": 150}, settle=day.year == 2026)
    assert received_by_month(engine).values.tolist() == [
        [pd.Timestamp("2025-12-01"), "크라우드웍스", 50_000, 48_350],
        [pd.Timestamp("2026-01-01"), "크라우드웍스", 50_000, 48_350],
    ]


def test_the_demo_figures_come_from_one_shared_sum_of_the_work(engine):
    """earned, hours, rates and receivables read the work entries once (tracker.queries.work_months):
    given that frame they give the same figures, and the totals agree with the entries row by row."""
    from tracker import queries
    from tracker.demo import generate
    from tracker.receivables import receivables

    generate(engine, end=date(2026, 11, 1), today=date(2026, 11, 22))
    work = queries.work_months(engine)
    rows = queries.worklogs(engine)
    assert int(work["earned"].sum()) == int(rows["earnings"].sum())
    assert int(work["minutes"].sum()) == int(rows["minutes"].sum()) and int(work["entries"].sum()) == len(rows)
    pd.testing.assert_frame_equal(earned_by_month(engine, work=work), earned_by_month(engine))
    pd.testing.assert_frame_equal(hours_by_month(engine, work=work), hours_by_month(engine))
    pd.testing.assert_frame_equal(project_rates(engine, work=work), project_rates(engine))
    pd.testing.assert_frame_equal(receivables(engine, date(2026, 11, 22), work=work),
                                  receivables(engine, date(2026, 11, 22)))
    assert hours_by_month(engine)["earned"].sum() == rows["earnings"].sum()
    by_project = rows.groupby("project_id")["earnings"].sum()
    rates = project_rates(engine).set_index("project_id")
    per_item = rates[rates["pay_scheme"] != "fixed"]
    assert per_item["earned"].to_dict() == {int(k): int(v) for k, v in by_project[per_item.index].items()}
