"""The 수입 page under AppTest: top companies and 기타, fixed colours, the month in progress, figures
rebuilt only when their inputs change."""
from __future__ import annotations

import json

from tests.test_pages import open_page, values
from tracker import charts, income, queries
from tracker.db import connect


def figures(at) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def test_empty_ledger_explains_and_links_to_the_work_log(app_db):
    at = open_page("views/income.py")
    assert at.info[0].value == "작업 기록이나 입금된 지급이 생기면 달마다 얼마를 벌고 받았는지 그래프로 보여 드립니다."
    (link,) = at.get("page_link")
    assert link.proto.label == "작업 기록하러 가기" and link.proto.page.endswith("worklogs")
    assert not at.get("plotly_chart") and not at.exception


def test_demo_shows_the_top_eight_companies_and_others_in_fixed_colours(demo_db):
    engine = connect(demo_db)
    earned = income.earned_by_month(engine)
    ids = dict(zip(queries.companies(engine)["name"], queries.companies(engine)["id"]))
    engine.dispose()
    totals = earned.groupby("company")["gross"].sum().sort_values(ascending=False, kind="stable")
    at = open_page("views/income.py")
    monthly = figures(at)[0]
    bars = [t for t in monthly["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == list(totals.index[:8]) + ["기타"]
    assert sum(values(bars[-1])) == int(totals.iloc[8:].sum()) == 790_661  # the ninth company, 테스트웍스
    assert sum(sum(values(t)) for t in bars) == int(earned["gross"].sum())
    colours = charts.company_colors(list(totals.index[:8]), ids)
    assert {t["name"]: t["marker"]["color"] for t in bars[:8]} == colours
    assert bars[-1]["marker"]["color"] == charts.OTHER_COLOR
    line = next(t for t in monthly["data"] if t.get("name") == "받은 돈 합계 (입금월)")
    assert line["line"] == {"color": charts.LINE_COLOR, "width": 3}


def test_demo_marks_november_as_in_progress(demo_db):
    at = open_page("views/income.py")
    monthly, season, ytd, hours, _ = figures(at)
    first = monthly["data"][0]
    assert first["marker"]["pattern"]["shape"][-1] == "/" and set(first["marker"]["pattern"]["shape"][:-1]) == {""}
    assert first["customdata"][-1] == " · 이번 달(진행 중)"
    assert first["x"][-1].startswith("2026-11-01")
    for figure in (season, ytd):
        partial = [t for t in figure["data"] if "이번 달(진행 중)" in (t.get("hovertemplate") or "")]
        assert [t["x"] for t in partial] == [["11월"]]
        whole = next(t for t in figure["data"] if t.get("name") == "2026년")
        assert whole["x"][-1] == "10월"
        dotted = next(t for t in figure["data"] if t.get("line", {}).get("dash") == "dot")
        assert dotted["x"] == ["10월", "11월"]
    assert hours["data"][0]["customdata"][-1] == " · 이번 달(진행 중)"
    assert "빗금 친 막대와 점선은 아직 끝나지 않은 이번 달(11월, 22일까지)입니다." in at.caption[0].value


def test_a_radio_click_rebuilds_only_the_figures_it_changes(demo_db, monkeypatch):
    calls: dict[str, int] = {}
    for name in ("monthly_income", "season_overlay", "year_to_date", "hours_and_rate", "rate_bars"):
        real = getattr(charts, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name] = calls.get(_name, 0) + 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(charts, name, counted)
    at = open_page("views/income.py")
    built = dict(calls)
    assert built == {"monthly_income": 1, "season_overlay": 1, "year_to_date": 1, "hours_and_rate": 1, "rate_bars": 1}
    at.run()
    assert calls == built, "a rerun with nothing changed builds nothing"
    at.radio(key="income_group").set_value("role").run()
    assert calls == built | {"rate_bars": 2}
    at.radio(key="income_amount").set_value("net").run()
    assert calls == built | {"rate_bars": 2, "monthly_income": 2, "season_overlay": 2, "year_to_date": 2}
    at.radio(key="income_amount").set_value("gross").run()  # seen before: kept
    assert calls == built | {"rate_bars": 2, "monthly_income": 2, "season_overlay": 2, "year_to_date": 2}
    assert not at.exception


def test_project_table_is_korean_with_blank_cells_for_missing_values(demo_db):
    at = open_page("views/income.py")
    table = at.dataframe[0].value
    assert list(table.columns) == ["company", "project", "task_type", "role", "hours", "earned", "krw_per_hour",
                                   "rejection_rate", "rejection_cost"]
    assert set(table["role"]) <= {"작업자", "검수자"}
    assert at.dataframe[0].proto.placeholder == ""
