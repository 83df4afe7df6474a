"""After a write, only what it changed is worked out again: forecasts kept by their input months, reads
shared per data version, figures kept by the content of their inputs. And what a write changes still
shows, to the won."""
from __future__ import annotations

from datetime import date

import pandas as pd

from tests.test_pages import open_page
from tracker import forecast, income, ledger, queries
from tracker.cashflow import cash_flow
from tracker.db import connect
from tracker.forecast import load_prior
from tracker.receivables import receivables

TODAY = date(2026, 11, 22)


def _past_work(engine, project_id: int) -> None:
    """Ten whole months of per-item work (50 won an item) before November 2026."""
    for month in range(1, 11):
        ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, month, 14), "minutes": 60,
                                       "items_submitted": 100 * month})


def _count_forecasts(monkeypatch) -> list[int]:
    calls: list[int] = []
    compute = forecast._compute_core

    def counted(*args, **kwargs):
        calls.append(1)
        return compute(*args, **kwargs)

    monkeypatch.setattr(forecast, "_compute_core", counted)
    forecast._CORES.clear()
    forecast._PATHS.clear()
    forecast._MONTHLY.clear()
    return calls


def _november(engine) -> int:
    earned = income.earned_by_month(engine)
    return int(earned.loc[earned["month"] == pd.Timestamp(2026, 11, 1), "gross"].sum())


def test_a_write_in_the_month_in_progress_reuses_the_forecast(engine, project_id, monkeypatch):
    _past_work(engine, project_id)
    calls = _count_forecasts(monkeypatch)
    prior = load_prior()
    history = income.months_before(income.earned_by_month(engine), TODAY)
    first = forecast.forecast_monthly(history, 12, prior=prior)
    assert len(calls) == 1
    assert _november(engine) == 0

    ledger.create_worklog(engine, {"project_id": project_id, "work_date": TODAY, "minutes": 30,
                                   "items_submitted": 7})
    assert _november(engine) == 350  # the quick entry's 7 items × ₩50, in the month in progress
    again = income.months_before(income.earned_by_month(engine), TODAY)
    pd.testing.assert_series_equal(again, history)
    second = forecast.forecast_monthly(again, 12, prior=prior)
    assert len(calls) == 1  # the same whole months: not forecast again
    pd.testing.assert_frame_equal(second, first, check_exact=True)

    second.iloc[0, 0] = -1.0  # what comes back is a copy: changing it changes no later answer
    pd.testing.assert_frame_equal(forecast.forecast_monthly(again, 12, prior=prior), first, check_exact=True)

    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 10, 2), "minutes": 30,
                                   "items_submitted": 40})
    changed = income.months_before(income.earned_by_month(engine), TODAY)
    assert int(changed.iloc[-1]) == int(history.iloc[-1]) + 2_000  # October + 40 items × ₩50
    third = forecast.forecast_monthly(changed, 12, prior=prior)
    assert len(calls) == 2  # a whole month changed: forecast again
    assert not third.equals(first)


def test_the_cash_flow_after_a_quick_entry_moves_by_its_net_and_reuses_the_forecast(engine, project_id,
                                                                                     monkeypatch):
    _past_work(engine, project_id)
    calls = _count_forecasts(monkeypatch)
    prior = load_prior()
    before = cash_flow(engine, TODAY, prior=prior)
    assert len(calls) == 1
    owed_before = receivables(engine, TODAY)

    ledger.create_worklog(engine, {"project_id": project_id, "work_date": TODAY, "minutes": 30,
                                   "items_submitted": 200})  # ₩10,000, paid on 2026-12-10 (one month after)
    after = cash_flow(engine, TODAY, prior=prior)
    assert len(calls) == 1  # the month in progress is not learned from: the same forecast
    owed = receivables(engine, TODAY)
    november = owed[owed["work_month"] == date(2026, 11, 1)]
    assert november[["source", "gross", "outstanding", "expected_date"]].values.tolist() == [
        ["unbilled", 10_000, 9_670, date(2026, 12, 10)]]  # 3.3% withheld: ₩330
    assert after.scheduled_total - before.scheduled_total == 9_670
    assert int(owed["outstanding"].sum()) - int(owed_before["outstanding"].sum()) == 9_670
    # The forecast of what is still to earn this month shrinks by what is now owed instead.
    assert after.forecast_total <= before.forecast_total


def test_shared_reads_follow_their_tables(engine, company_id, project_id):
    assert queries.company_rows(engine)[company_id].name == "크라우드웍스"
    first = queries.company_rows(engine)
    assert queries.company_rows(engine) is first  # nothing written: the same read
    ledger.update_company(engine, company_id, {"name": "크라우드웍스 2", "version": first[company_id].version})
    assert queries.company_rows(engine)[company_id].name == "크라우드웍스 2"
    assert set(queries.companies_by_name(engine)) == {"크라우드웍스 2"}

    by_project, by_company = queries.payment_keys(engine)
    assert len(by_project) == 0 and len(by_company) == 0 and queries.paid_by_month(engine).empty
    ledger.create_payment(engine, {"company_id": company_id, "project_id": project_id, "work_month": date(2026, 10, 1),
                                   "gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700})
    ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 9, 1), "gross": 30_000,
                                   "income_tax": 900, "local_tax": 90, "net": 29_010})
    by_project, by_company = queries.payment_keys(engine)
    assert list(by_project) == [(project_id, date(2026, 10, 1))]
    assert list(by_company) == [(company_id, date(2026, 9, 1))]
    paid = queries.paid_by_month(engine).sort_values("work_month")
    assert paid.values.tolist() == [[date(2026, 9, 1), company_id, 30_000, 29_010],
                                    [date(2026, 10, 1), company_id, 100_000, 96_700]]


def test_content_key_follows_values_not_identity():
    from views.common import content_key

    frame = pd.DataFrame({"month": pd.to_datetime(["2026-10-01", "2026-11-01"]), "gross": [1_000, 2_000]})
    assert content_key(frame, "gross") == content_key(frame.copy(), "gross")
    assert content_key(frame, "gross") != content_key(frame, "net")
    changed = frame.copy()
    changed.loc[1, "gross"] = 2_001
    assert content_key(changed, "gross") != content_key(frame, "gross")
    assert content_key(frame.rename(columns={"gross": "net"}), "gross") != content_key(frame, "gross")
    assert content_key(frame["gross"]) != content_key(frame["gross"].astype("float64"))


def _so_far(at) -> int:
    caption = next(c.value for c in at.caption if "지금까지 번 ₩" in c.value)
    return int(caption.split("지금까지 번 ₩", 1)[1].split("(", 1)[0].replace(",", ""))


def test_a_quick_entry_still_moves_the_pages_by_its_amount(demo_db):
    """The 예측 and 수입 pages after a real entry in the month in progress: the month's figures move by
    exactly what it earned, while the whole months (and the forecast from them) stay as they were."""
    at = open_page("views/forecast.py")
    before = _so_far(at)
    table_before = at.dataframe[0].value.copy()
    engine = connect(demo_db)
    with engine.connect() as conn:
        project = conn.exec_driver_sql("SELECT id FROM project WHERE pay_scheme = 'per_item' AND unit_price = 50 "
                                       "ORDER BY id LIMIT 1").scalar_one()
    ledger.create_worklog(engine, {"project_id": project, "work_date": TODAY, "minutes": 20, "items_submitted": 120})
    at.run()
    assert not at.exception
    assert _so_far(at) == before + 6_000  # 120 items × ₩50
    # The table is the forecast from the whole months, this month raised to what is earned so far at least.
    table = at.dataframe[0].value
    pd.testing.assert_frame_equal(table.iloc[1:].reset_index(drop=True), table_before.iloc[1:].reset_index(drop=True))
    earned = income.earned_by_month(engine)
    assert int(earned.loc[earned["month"] == pd.Timestamp(2026, 11, 1), "gross"].sum()) == before + 6_000
    engine.dispose()


def test_no_page_changes_the_frames_kept_per_engine(demo_db):
    """The pages read the kept earned, unbilled and project-rate frames as they are (no copy): drawing
    every page that reads them leaves them equal to a fresh computation."""
    from tracker.receivables import unbilled_work
    from views.common import engine_for

    engine = engine_for(demo_db)  # the pages' own engine: what they keep is kept on it

    def kept():
        companies = queries.company_rows(engine)
        with engine.connect() as conn:
            unbilled = unbilled_work(conn, companies)
        return income.earned_by_month(engine), unbilled, income.project_rates(engine)

    before = [frame.copy(deep=True) for frame in kept()]
    for page in ("views/dashboard.py", "views/income.py", "views/forecast.py", "views/tax.py",
                 "views/receivables.py", "views/radar.py"):
        assert not open_page(page).exception, page
    for got, want in zip(kept(), before):
        pd.testing.assert_frame_equal(got, want)
