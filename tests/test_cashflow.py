"""Cash flow: receivables at their month plus forecast work moved by each company's payment lag."""
from datetime import date

import pandas as pd

from tracker import ledger
from tracker.cashflow import backtest, cash_flow, seasonal_sentence

TODAY = date(2026, 11, 22)


def zero_forecaster(history, horizon, prior=None):
    index = pd.period_range(history.index[-1] + 1, periods=horizon, freq="M")
    return pd.DataFrame({"mean": 0.0, "lower": 0.0, "upper": 0.0}, index=index)


def flat_forecaster(level):
    def forecast(history, horizon, prior=None):
        index = pd.period_range(history.index[-1] + 1, periods=horizon, freq="M")
        return pd.DataFrame({"mean": float(level), "lower": level * 0.5, "upper": level * 1.5}, index=index)
    return forecast


def with_history(engine, company_id, project_id):
    # October work: 2,000 items × 50 = 100,000 gross, paid (recorded) and still owed.
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 10, 5), "minutes": 300,
                                   "items_submitted": 2_000})
    ledger.create_payment(engine, {"company_id": company_id, "project_id": project_id,
                                   "work_month": date(2026, 10, 1), "gross": 100_000, "income_tax": 3_000,
                                   "local_tax": 300, "net": 96_700})  # due 2026-11-10: overdue → counts now


def test_no_new_work_means_the_cash_flow_is_the_receivables(engine, company_id, project_id):
    with_history(engine, company_id, project_id)
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 3), "minutes": 60,
                                   "items_submitted": 400})  # 20,000 unbilled, due 2026-12-10 → net 19,340
    flow = cash_flow(engine, TODAY, forecaster=zero_forecaster)
    assert flow.frame["month"].dt.strftime("%Y-%m").tolist() == [
        "2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04"]
    assert flow.frame["scheduled"].tolist() == [96_700, 19_340, 0, 0, 0, 0]
    assert flow.frame["forecast"].tolist() == [0] * 6
    assert flow.frame["total"].tolist() == flow.frame["scheduled"].tolist()
    assert (flow.scheduled_total, flow.forecast_total) == (116_040, 0)


def test_forecast_work_lands_a_month_later_net_of_withholding(engine, company_id, project_id):
    with_history(engine, company_id, project_id)
    flow = cash_flow(engine, TODAY, forecaster=flat_forecaster(100_000))
    # Work of Nov (nothing earned yet this month), Dec, … paid on the 10th of the next month, 96.7% kept.
    assert flow.frame["forecast"].tolist() == [0, 96_700, 96_700, 96_700, 96_700, 96_700]
    assert flow.frame["lower"].tolist() == [96_700, 48_350, 48_350, 48_350, 48_350, 48_350]
    assert flow.sentence == ("앞으로 6개월(11월–4월) 동안 약 ₩580,000이 들어올 것으로 보입니다: "
                             "받기로 된 돈 ₩96,700과 새로 벌 것으로 보이는 돈 약 ₩480,000.")


def test_empty_ledger(engine):
    flow = cash_flow(engine, TODAY, forecaster=flat_forecaster(1))
    assert flow.frame["total"].sum() == 0 and len(flow.frame) == 6


def test_seasonal_sentence():
    index = pd.period_range("2025-12", periods=12, freq="M")
    history = pd.Series([300, 100, 100, 100, 100, 100, 100, 300, 300, 300, 300, 300], index=index, dtype=float)
    future = pd.DataFrame({"mean": [120.0] * 6, "lower": 0.0, "upper": 0.0},
                          index=pd.period_range("2026-12", periods=6, freq="M"))
    # December comes first, but the lean months that follow are what the labeler needs to hear about.
    assert seasonal_sentence(history, future) == "1–5월은 작년처럼 평균보다 약 40% 적을 것으로 보입니다."
    busy = pd.DataFrame({"mean": [400.0] * 3}, index=pd.period_range("2026-08", periods=3, freq="M"))
    assert seasonal_sentence(history, busy) == "8–10월은 작년처럼 평균보다 약 100% 많을 것으로 보입니다."


def test_backtest_against_same_month_last_year():
    index = pd.period_range("2024-01", periods=30, freq="M")
    pattern = [1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3]
    series = pd.Series([100_000 * pattern[p.month - 1] for p in index], index=index)

    def last_value(history, horizon, prior=None):
        idx = pd.period_range(history.index[-1] + 1, periods=horizon, freq="M")
        return pd.DataFrame({"mean": float(history.iloc[-1]), "lower": 0.0, "upper": 0.0}, index=idx)

    result = backtest(series, horizon=1, forecaster=last_value)
    assert (result.origins, result.naive_error, result.naive_share) == (18, 0, 0.0)
    assert result.model_error == round(200_000 * 3 / 18)  # wrong only at the three season turns
    assert "더 정확하지는 않았습니다" in result.sentence()
    assert backtest(series.iloc[:12], forecaster=last_value) is None


def test_a_payment_whose_date_was_cleared_stays_in_the_cash_flow(engine, company_id):
    payment = ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 11, 1),
                                             "gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700,
                                             "expected_date": date(2027, 2, 10)})
    assert cash_flow(engine, TODAY, forecaster=zero_forecaster).frame["scheduled"].tolist() == [0, 0, 0, 96_700, 0, 0]
    ledger.update_payment(engine, payment, {"expected_date": None})  # the terms: 2026-12-10
    assert cash_flow(engine, TODAY, forecaster=zero_forecaster).frame["scheduled"].tolist() == [0, 96_700, 0, 0, 0, 0]


def test_the_current_partial_month_is_not_history(engine, company_id, project_id):
    """November 2026 is 22 days old: the forecaster sees whole months only (up to October), and what
    November has earned so far is owed already, so only the rest of its forecast is added."""
    with_history(engine, company_id, project_id)
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 3), "minutes": 60,
                                   "items_submitted": 400})  # 20,000 gross so far this month
    seen = []

    def spy(history, horizon, prior=None):
        seen.append(history.copy())
        return flat_forecaster(100_000)(history, horizon, prior)

    flow = cash_flow(engine, TODAY, forecaster=spy)
    (history,) = seen
    assert history.index[-1] == pd.Period("2026-10", freq="M") and history.tolist() == [100_000]
    # November's 100,000 forecast less the 20,000 already earned (owed as unbilled), paid on 2026-12-10.
    assert flow.frame["forecast"].tolist() == [0, 77_360, 96_700, 96_700, 96_700, 96_700]
    assert flow.frame["scheduled"].tolist() == [96_700, 19_340, 0, 0, 0, 0]


def test_the_backtest_is_limited_to_the_last_origins_and_kept_by_its_inputs():
    from tracker import cashflow

    index = pd.period_range("2020-01", periods=60, freq="M")
    series = pd.Series([100_000 + 1_000 * (p.month % 7) for p in index], index=index)
    calls = []

    def last_value(history, horizon, prior=None):
        calls.append(len(history))
        idx = pd.period_range(history.index[-1] + 1, periods=horizon, freq="M")
        return pd.DataFrame({"mean": float(history.iloc[-1]), "lower": 0.0, "upper": 0.0}, index=idx)

    result = backtest(series, horizon=3, forecaster=last_value)
    assert result.origins == cashflow.MAX_ORIGINS == 24
    assert calls == list(range(36, 60))  # the last 24 months, each forecast from all months before it
    assert backtest(series, horizon=3, forecaster=last_value) == result and len(calls) == 24  # kept
    changed = series.copy()
    changed.iloc[-1] += 1
    backtest(changed, horizon=3, forecaster=last_value)
    assert len(calls) == 48  # a different month: computed again
    assert backtest(series, horizon=3, forecaster=last_value, max_origins=None).origins == 48
