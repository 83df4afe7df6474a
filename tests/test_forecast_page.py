"""The 예측 page under AppTest: the month in progress and the lean-months savings plan, to the won."""
from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd

from tests.test_pages import open_page
from tracker import income, plan, queries
from tracker.db import connect
from tracker.forecast import load_prior
from tracker.receivables import receivables

TODAY = date(2026, 11, 22)
# The plan's shape; its amounts come from the forecaster's simulated futures (seed 0) and are checked to
# the won against the same plan computed straight from the database.
PLAN = re.compile(r"1–6월에 매달 ₩878,000를 쓰려면 지금부터 들어오는 돈의 ₩(\d{1,3}(?:,\d{3})*,000)\(약 (\d+)%\)를 따로 두세요\.")


def plan_from_the_ledger(url: str, spend: int) -> plan.LeanPlan:
    """The same plan computed straight from the database, without the page or its caches."""
    engine = connect(url)
    earned = income.earned_by_month(engine)
    so_far = int(earned[earned["month"] == pd.Timestamp("2026-11-01")]["gross"].sum())
    found = plan.lean_plan(income.months_before(earned, TODAY), TODAY, spend,
                           mix=plan.company_mix(earned, queries.companies(engine), TODAY),
                           owed=receivables(engine, TODAY), so_far=so_far, prior=load_prior())
    engine.dispose()
    return found


def test_empty_ledger_shows_no_plan(app_db):
    at = open_page("views/forecast.py")
    assert at.info[0].value == "작업 기록이 쌓이면 앞으로 몇 달의 수입과 통장에 들어올 돈을 예측해 드립니다."
    assert not at.text_input and not at.exception
    assert [(link.proto.label, link.proto.page.endswith("worklogs")) for link in at.get("page_link")] == [
        ("작업 기록하러 가기", True)]


def test_demo_plan_for_the_median_month(demo_db):
    at = open_page("views/forecast.py")
    spend = at.text_input(key="plan_spend")
    assert spend.label == "1–6월에 매달 쓸 돈" and spend.value == "878,000"
    expected = plan_from_the_ledger(demo_db, 878_000)
    (shown,) = [i.value for i in at.info]
    assert shown == expected.sentence()
    save, percent = PLAN.fullmatch(shown).groups()
    assert int(save.replace(",", "")) == expected.save and int(percent) == round(expected.save / expected.incoming * 100)
    assert expected.half <= expected.save <= expected.high and 0 < expected.save < expected.incoming
    caption = next(c.value for c in at.caption if c.value.startswith("10번 중 8번은"))
    assert caption == f"{expected.range_sentence()} {expected.basis_sentence()}"
    assert f"10번 중 9번을 대비하려면 ₩{expected.high:,}입니다. 12월까지 들어올 돈은 약 ₩{expected.incoming:,}, " \
           f"1–6월에 들어올 돈은 약 ₩{expected.lean_income:,}입니다" in caption
    assert "지금 가진 돈은 알 수 없어 0원에서 시작한다고 셈했습니다" in caption


def test_typed_spending_changes_the_plan_and_bad_text_is_refused(demo_db):
    at = open_page("views/forecast.py")
    at.text_input(key="plan_spend").input("150만").run()
    expected = plan_from_the_ledger(demo_db, 1_500_000)
    assert expected.spend == 1_500_000 and expected.save > 1_521_000
    assert [i.value for i in at.info] == [expected.sentence()]
    assert at.info[0].value.startswith("1–6월에 매달 ₩1,500,000를 쓰려면 ")
    at.text_input(key="plan_spend").input("많이").run()
    assert [e.value for e in at.error] == ["1–6월에 매달 쓸 돈을 읽지 못했습니다. 예: 1,500,000 또는 150만"]
    assert not at.info and not at.exception


def test_the_month_in_progress_is_forecast_never_below_what_it_has_earned(demo_db):
    at = open_page("views/forecast.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    history = next(t for t in spec["data"] if t.get("name") == "실적")
    assert history["x"][-1].startswith("2026-10-01"), "the partial month is not learned from"
    marker = spec["data"][-1]
    assert marker["y"] == [1_847_595] and marker["hovertemplate"].startswith("지금까지 ₩")
    assert "이번 달(진행 중)" in marker["hovertemplate"]
    table = at.dataframe[0].value
    november = table[table["month"] == "2026년 11월"].iloc[0]
    assert november["lower"] >= 1_847_000 and november["mean"] >= 1_847_000
    assert any("지금까지 번 ₩1,847,595(빈 동그라미)보다 낮게 보지 않습니다" in c.value for c in at.caption)


def test_dashboard_summary_carries_the_plan_and_a_link_to_change_it(demo_db):
    at = open_page("views/dashboard.py")
    expected = plan_from_the_ledger(demo_db, 878_000).sentence()
    assert [m.value for m in at.markdown if m.value.startswith("1–6월에 매달")] == [expected]
    links = [link.proto for link in at.get("page_link") if link.proto.page.endswith("forecast")]
    assert [link.label for link in links] == ["예측 페이지에서 계획 바꿔 보기"]


def test_dashboard_summary_says_nothing_on_an_empty_ledger(app_db):
    at = open_page("views/dashboard.py")
    assert not [m for m in at.markdown if "1–6월" in m.value]
    assert not [link for link in at.get("page_link") if link.proto.page.endswith("forecast")]
