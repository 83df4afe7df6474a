"""One figure, one value, on every page (issue 10 §5).

A ledger built through tracker.ledger with partial deposits, a payment split across two years, a
payment settled by its received date after a partial deposit, unbilled work (old and new), a payment
recorded without a project and a cleared pay date. Every page-level KRW figure (the tracker functions
the pages call, and the metric text of the pages under AppTest) is compared with an independent SQL
query over the tables, and with the amounts worked out by hand, to the won.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from tests.conftest import APP_TODAY
from tracker import income, ledger, queries, receivables, taxyear
from tracker.cashflow import cash_flow
from tracker.db import connect
from tracker.demo import DEMO_NET_TOTAL

TODAY = APP_TODAY  # 2026-11-22, the day the app_db fixture pins
APP = str(Path(__file__).resolve().parent.parent / "app.py")


def zero_forecaster(history, horizon, prior=None):
    import pandas as pd

    index = pd.period_range(history.index[-1] + 1, periods=horizon, freq="M")
    return pd.DataFrame({"mean": 0.0, "lower": 0.0, "upper": 0.0}, index=index)


def build(engine: sa.Engine) -> dict[str, int]:
    """The ledger; returns the ids the tests look at."""
    crowd = ledger.create_company(engine, {"name": "크라우드웍스", "pay_months_after": 1, "pay_day": 10})
    flitto = ledger.create_company(engine, {"name": "플리토", "withholding_kind": "other", "pay_day": 15})
    nuri = ledger.create_company(engine, {"name": "누리AI데이터", "withholding_kind": "none", "pay_day": 25})
    ocr = ledger.create_project(engine, {"company_id": crowd, "name": "간판 OCR", "pay_scheme": "per_item",
                                         "unit_price": 50})
    speech = ledger.create_project(engine, {"company_id": crowd, "name": "음성 전사", "pay_scheme": "per_hour",
                                            "unit_price": 12_000})
    work = [
        (ocr, date(2025, 11, 12), 0, 2_000),  # 100,000: paid in two deposits, 2025-12-20 and 2026-01-05
        (speech, date(2024, 6, 14), 100, 0),  # 20,000 unbilled: paid (not yet) on 2024-07-10, net 19,340
        (speech, date(2026, 9, 7), 150, 0),  # 30,000: paid by a payment without a project
        (ocr, date(2026, 10, 5), 0, 2_000),  # 100,000: half deposited on 2026-11-12
        (ocr, date(2026, 11, 3), 0, 400),  # 20,000 unbilled, due 2026-12-10, net 19,340
    ]
    for project, day, minutes, items in work:
        ledger.create_worklog(engine, {"project_id": project, "work_date": day, "minutes": minutes,
                                       "items_submitted": items})
    half = {"net": 48_350, "gross": 50_000, "income_tax": 1_500, "local_tax": 150}
    pay = {"gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700}

    split = ledger.create_payment(engine, {"company_id": crowd, "project_id": ocr, "work_month": date(2025, 11, 1)}
                                  | pay)
    ledger.record_deposit(engine, half | {"payment_id": split, "received_on": date(2025, 12, 20)}, settle=False)
    ledger.record_deposit(engine, half | {"payment_id": split, "received_on": date(2026, 1, 5)})

    partial = ledger.create_payment(engine, {"company_id": crowd, "project_id": ocr,
                                             "work_month": date(2026, 10, 1)} | pay)
    ledger.record_deposit(engine, half | {"payment_id": partial, "received_on": date(2026, 11, 12)}, settle=False)

    ledger.create_payment(engine, {"company_id": crowd, "work_month": date(2026, 9, 1), "gross": 30_000,
                                   "income_tax": 900, "local_tax": 90, "net": 29_010,
                                   "received_date": date(2026, 10, 12)})  # settled, no deposit rows
    ledger.create_payment(engine, {"company_id": flitto, "work_month": date(2026, 8, 1), "gross": 1_000_000,
                                   "income_tax": 80_000, "local_tax": 8_000, "net": 912_000,
                                   "received_date": date(2026, 9, 15)})
    cleared = ledger.create_payment(engine, {"company_id": flitto, "work_month": date(2026, 9, 1), "gross": 500_000,
                                             "income_tax": 40_000, "local_tax": 4_000, "net": 456_000,
                                             "expected_date": date(2027, 3, 31)})
    ledger.update_payment(engine, cleared, {"expected_date": None})  # → 2026-10-15 (its terms), late

    # 누리 (no withholding): 20,000 of 50,000 deposited, then marked received by its date on the 지급 page.
    manual = ledger.create_payment(engine, {"company_id": nuri, "work_month": date(2026, 8, 1), "gross": 50_000,
                                            "net": 50_000})
    ledger.record_deposit(engine, {"payment_id": manual, "received_on": date(2026, 10, 1), "net": 20_000,
                                   "gross": 20_000}, settle=False)
    ledger.update_payment(engine, manual, {"received_date": date(2026, 11, 3)})  # the other 30,000 that day
    return {"crowd": crowd, "flitto": flitto, "nuri": nuri, "split": split, "partial": partial, "cleared": cleared}


# ---------------------------------------------------------------- independent SQL

def sql(engine: sa.Engine, text: str, **params) -> int:
    statement = sa.text(text).bindparams(*[sa.bindparam(k, type_=sa.Date) for k in params])
    with engine.connect() as conn:
        return int(conn.execute(statement, params).scalar_one() or 0)


LANDED_SQL = """
SELECT (SELECT COALESCE(SUM(d.{col}), 0) FROM deposit d JOIN payment p ON p.id = d.payment_id
        JOIN company c ON c.id = p.company_id WHERE d.received_on >= :start AND d.received_on < :stop {kind})
     + (SELECT COALESCE(SUM(p.{col} - COALESCE((SELECT SUM(d.{col}) FROM deposit d WHERE d.payment_id = p.id), 0)), 0)
        FROM payment p JOIN company c ON c.id = p.company_id
        WHERE p.received_date >= :start AND p.received_date < :stop {kind})
"""
OPEN_SQL = """
SELECT COALESCE(SUM(CASE WHEN p.net > COALESCE(d.s, 0) THEN p.net - COALESCE(d.s, 0) ELSE 0 END), 0)
FROM payment p LEFT JOIN (SELECT payment_id, SUM(net) AS s FROM deposit GROUP BY payment_id) d ON d.payment_id = p.id
WHERE p.received_date IS NULL
"""


def landed_sql(engine, start: date, stop: date, col: str = "net", kind: str | None = None) -> int:
    where = f"AND c.withholding_kind = '{kind}'" if kind else ""
    return sql(engine, LANDED_SQL.format(col=col, kind=where), start=start, stop=stop)


EVER = (date(2000, 1, 1), date(2101, 1, 1))
NOVEMBER = (date(2026, 11, 1), date(2026, 12, 1))
UNBILLED_NET = 19_340 + 19_340  # June 2024 (paid on 2024-07-10) and November 2026 work, 20,000 gross each


@pytest.fixture
def built(engine):
    return engine, build(engine)


def test_received_this_month_is_one_figure(built):
    engine, _ = built
    # 48,350 deposited on 11-12 (payment still open) + 30,000 landing with 누리's received date on 11-03.
    assert landed_sql(engine, *NOVEMBER) == 78_350
    assert queries.dashboard(engine, TODAY).received_this_month == 78_350
    received = income.received_by_month(engine)
    assert int(received.loc[received["month"] == "2026-11-01", "net"].sum()) == 78_350
    assert int(queries.landed(engine, *NOVEMBER)["net"].sum()) == 78_350
    # And over all time, every won that landed, once.
    assert int(received["net"].sum()) == landed_sql(engine, *EVER) == (
        48_350 * 3 + 29_010 + 912_000 + 20_000 + 30_000)


def test_to_receive_is_one_figure(built):
    engine, ids = built
    open_left = sql(engine, OPEN_SQL)
    assert open_left == 48_350 + 456_000
    owed = receivables.receivables(engine, TODAY)
    payments = queries.payments(engine, TODAY)
    dashboard = queries.dashboard(engine, TODAY)
    assert int(payments["outstanding"].sum()) == open_left  # 지급: 미입금 잔액
    assert int(owed.loc[owed["source"] == "payment", "outstanding"].sum()) == open_left  # 받을 돈, recorded part
    assert dashboard.to_receive == int(owed["outstanding"].sum()) == open_left + UNBILLED_NET
    assert dashboard.unbilled == UNBILLED_NET
    # The September speech work is paid by the payment recorded without a project: not unbilled.
    assert sorted(owed.loc[owed["source"] == "unbilled", "work_month"]) == [date(2024, 6, 1), date(2026, 11, 1)]
    row = payments.set_index("id").loc[ids["partial"]]
    assert (row["deposited"], row["outstanding"], row["status"]) == (48_350, 48_350, "late")
    # All of it is in the cash flow: late money now, the rest in its month.
    flow = cash_flow(engine, TODAY, forecaster=zero_forecaster)
    assert flow.scheduled_total == dashboard.to_receive
    assert flow.frame["scheduled"].tolist()[:2] == [48_350 + 456_000 + 19_340, 19_340]


def test_cleared_pay_date_follows_the_terms_and_is_late(built):
    engine, ids = built
    owed = receivables.receivables(engine, TODAY).set_index("payment_id")
    row = owed.loc[ids["cleared"]]
    assert (row["expected_date"], row["days_late"], row["outstanding"]) == (date(2026, 10, 15), 38, 456_000)
    assert sql(engine, "SELECT COUNT(*) FROM payment WHERE expected_date IS NULL") == 0
    trust = receivables.reliability(engine, TODAY).set_index("company")
    assert (trust.loc["플리토", "overdue_count"], trust.loc["플리토", "overdue"]) == (1, 456_000)


def test_earned_is_received_plus_to_receive(built):
    engine, _ = built
    earned = income.earned_by_month(engine)
    recorded = sql(engine, "SELECT SUM(net) FROM payment")
    assert int(earned["net"].sum()) == recorded + UNBILLED_NET
    assert int(earned["net"].sum()) == landed_sql(engine, *EVER) + queries.dashboard(engine, TODAY).to_receive
    assert int(earned["gross"].sum()) == sql(engine, "SELECT SUM(gross) FROM payment") + 40_000
    # June-2024 work paid in July: the July rule (3.3%, no 소액부징수 from 2024-07-01), as on 받을 돈.
    june = earned[earned["month"] == "2024-06-01"]
    assert june[["gross", "net"]].values.tolist() == [[20_000, 19_340]]
    owed = receivables.receivables(engine, TODAY)
    assert owed.loc[owed["work_month"] == date(2024, 6, 1), "expected_net"].tolist() == [19_340]
    # The work month paid by a recorded payment counts what it recorded (the real net), once.
    september = earned[(earned["month"] == "2026-09-01") & (earned["company"] == "크라우드웍스")]
    assert september[["gross", "net"]].values.tolist() == [[30_000, 29_010]]


def test_tax_years_are_the_deposits_years(built):
    engine, _ = built
    assert taxyear.paid_years(engine) == [2026, 2025]
    for year in (2025, 2026):
        bounds = (date(year, 1, 1), date(year + 1, 1, 1))
        t = taxyear.year_totals(engine, year)
        assert (t.business_gross, t.business_income_tax, t.business_local_tax) == tuple(
            landed_sql(engine, *bounds, col, "business") for col in ("gross", "income_tax", "local_tax"))
        assert (t.other_gross, t.untaxed_gross) == (landed_sql(engine, *bounds, "gross", "other"),
                                                    landed_sql(engine, *bounds, "gross", "none"))
        received = income.received_by_month(engine)
        in_year = received[received["month"].dt.year == year]
        assert int(in_year["gross"].sum()) == t.business_gross + t.other_gross + t.untaxed_gross
        assert int(taxyear.payer_breakdown(engine, year)["net"].sum()) == int(in_year["net"].sum())
    t2025, t2026 = taxyear.year_totals(engine, 2025), taxyear.year_totals(engine, 2026)
    assert (t2025.business_gross, t2025.business_income_tax, t2025.business_local_tax, t2025.payments) == (
        50_000, 1_500, 150, 1)
    # The split payment's second half, the open payment's first half and the September payment.
    assert (t2026.business_gross, t2026.business_income_tax, t2026.business_local_tax) == (130_000, 3_900, 390)
    assert (t2026.other_gross, t2026.untaxed_gross, t2026.payments) == (1_000_000, 50_000, 5)


# ---------------------------------------------------------------- the pages, as they are drawn

def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page != "views/dashboard.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def krw(amount: int) -> str:
    return f"₩{amount:,}"


@pytest.fixture
def built_app(app_db):
    engine = connect(app_db)
    build(engine)
    yield engine
    engine.dispose()


def test_payments_and_receivables_pages_show_the_same_money_left(built_app):
    open_left = sql(built_app, OPEN_SQL)
    at = open_page("views/payments.py")
    assert metric(at, "미입금 잔액") == krw(open_left) == "₩504,350"
    assert metric(at, "실수령액 합계") == krw(sql(built_app, "SELECT SUM(net) FROM payment"))
    at = open_page("views/receivables.py")
    assert metric(at, "받을 돈 (실수령 예상)") == krw(open_left + UNBILLED_NET)
    assert metric(at, "지급 기록이 없는 작업분") == krw(UNBILLED_NET)


def test_dashboard_shows_the_deposits_of_the_month(built_app):
    at = open_page("views/dashboard.py")
    assert metric(at, "받을 돈") == krw(sql(built_app, OPEN_SQL) + UNBILLED_NET)
    assert any(f"이번 달 입금 {krw(landed_sql(built_app, *NOVEMBER))}" in c.value for c in at.caption)


def test_income_page_totals_agree_with_the_ledger(built_app):
    at = open_page("views/income.py")
    assert metric(at, "받은 돈 합계 (세전)") == krw(landed_sql(built_app, *EVER, "gross"))
    at.radio(key="income_amount").set_value("net").run()
    assert metric(at, "번 돈 합계 (세후)") == krw(sql(built_app, "SELECT SUM(net) FROM payment") + UNBILLED_NET)
    assert metric(at, "받은 돈 합계 (세후)") == krw(landed_sql(built_app, *EVER))


def test_tax_page_counts_the_deposit_in_its_year(built_app):
    at = open_page("views/tax.py")
    at.selectbox(key="tax_year").set_value(2025).run()
    assert not at.exception
    assert metric(at, "사업소득 수입 (세전)") == krw(landed_sql(built_app, date(2025, 1, 1), date(2026, 1, 1),
                                                          "gross", "business")) == "₩50,000"


# ---------------------------------------------------------------- the demo

def test_demo_earned_net_is_the_recorded_net(engine):
    from tracker.demo import generate

    generate(engine, end=date(2026, 11, 1), today=TODAY)
    earned = income.earned_by_month(engine)
    assert int(earned["net"].sum()) == sql(engine, "SELECT SUM(net) FROM payment") == DEMO_NET_TOTAL == 18_436_370
    assert int(earned["gross"].sum()) == sql(engine, "SELECT SUM(gross) FROM payment")
    received = income.received_by_month(engine)
    owed = queries.dashboard(engine, TODAY).to_receive
    assert int(received["net"].sum()) + owed == DEMO_NET_TOTAL
    assert owed == sql(engine, OPEN_SQL) == 2_467_505
