"""수입: money by month (earned vs received, by company), seasons, year to date, hours, KRW per hour.

Every figure is kept per (data version, option), so a warm rerun or a radio click finds it at once.
After a write it is rebuilt only when the numbers it draws changed: ui.built keeps figures by the
content of their inputs. Both are st.cache_resource, not st.cache_data: cache_data would pickle each
figure, and unpickling a plotly Figure validates it all over again (about half the cost of building
it). A kept figure is never changed afterwards (st.plotly_chart only reads it).
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from tracker import charts, income
from tracker.models.enums import PayScheme, Role, TaskType
from tracker.tax import minimum_wage
from views import common as ui

BASES = {"earned": "번 돈 (작업월)", "received": "받은 돈 (입금월)"}
AMOUNTS = {"gross": "세전", "net": "실수령(세후)"}
FIGURES = 64  # kept figures per builder and data version, across sessions (each a few tens of kB)
GROUPS = {"task_type": "작업 유형", "role": "역할", "pay_scheme": "단가 방식"}


def _frames(url: str, basis: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the chosen basis' frame, the other one)."""
    earned, received = ui.earned(url), ui.received(url)
    return (earned, received) if basis == "earned" else (received, earned)


@st.cache_data(show_spinner=False)
def _totals(url: str, stamp: tuple) -> dict[str, int]:
    earned, received = ui.earned(url), ui.received(url)
    return {f"{name}_{amount}": int(frame[amount].sum()) for name, frame in (("earned", earned), ("received", received))
            for amount in AMOUNTS} | {"rows": len(earned) + len(received)}


@st.cache_data(show_spinner=False)
def _company_ids(url: str, stamp: tuple) -> dict[str, int]:
    companies = ui.companies(url)
    return dict(zip(companies["name"].astype(str), companies["id"].astype(int)))


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def _monthly_figure(url: str, stamp: tuple, basis: str, amount: str, current: pd.Timestamp):
    shown, other = _frames(url, basis)
    other_name = "받은 돈 합계 (입금월)" if basis == "earned" else "번 돈 합계 (작업월)"
    other_totals, ids = income.monthly_totals(other, amount), _company_ids(url, stamp)
    return ui.built("income_monthly", lambda: charts.monthly_income(
        shown, amount, title="월별 수입 (회사별)", other=other_totals, other_name=other_name, ids=ids, current=current),
        shown, amount, other_totals, other_name, ids, current)


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def _season_figures(url: str, stamp: tuple, basis: str, amount: str, current: pd.Timestamp):
    series = income.monthly_totals(_frames(url, basis)[0], amount)
    return ui.built("income_season", lambda: (
        charts.season_overlay(income.season_table(series), title="해마다 같은 달끼리", current=current),
        charts.year_to_date(income.year_to_date(series), title="연초부터 누적", current=current)), series, current)


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def _hours_figure(url: str, stamp: tuple, current: pd.Timestamp):
    hours = ui.hours_by_month(url)
    return ui.built("income_hours", lambda: charts.hours_and_rate(
        hours, title="월별 작업 시간과 시간당 수입 (최저시급과 비교)", current=current), hours, current)


def _wage(year: int) -> int | None:
    try:
        return minimum_wage(year)
    except LookupError:
        return None


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def _rates_figure(url: str, stamp: tuple, by: str, year: int, target: int | None):
    labels = {"task_type": TaskType.labels(), "role": Role.labels(), "pay_scheme": PayScheme.labels()}[by]
    grouped, wage = income.group_rates(ui.project_rates(url), by), _wage(year)
    return ui.built("income_rates", lambda: charts.rate_bars(
        grouped, by, labels, title="시간당 수입", minimum_wage=wage, target=target), grouped, by, labels, wage, target)


@st.cache_data(show_spinner=False)
def _project_table(url: str, stamp: tuple) -> pd.DataFrame:
    """Per project, as shown: Korean labels, the rejection rate in percent."""
    projects = ui.project_rates(url)
    table = projects.assign(task_type=projects["task_type"].map(TaskType.labels()),
                            role=projects["role"].map(Role.labels()),
                            rejection_rate=projects["rejection_rate"] * 100)
    return table[["company", "project", "task_type", "role", "hours", "earned", "krw_per_hour", "rejection_rate",
                  "rejection_cost"]]


def _chart(figure, key: str) -> None:
    st.plotly_chart(figure, width="stretch", key=key)


st.title("수입")
url, today = ui.url(), ui.today()
stamp = ui.stamp(url)
current = pd.Timestamp(date(today.year, today.month, 1))
totals = _totals(url, stamp)
if not totals["rows"]:
    st.info("작업 기록이나 입금된 지급이 생기면 달마다 얼마를 벌고 받았는지 그래프로 보여 드립니다.")
    st.page_link("views/worklogs.py", label="작업 기록하러 가기", icon="⏱️")
    st.stop()

c1, c2 = st.columns(2)
basis = c1.radio("기준", list(BASES), horizontal=True, key="income_basis", format_func=BASES.get)
amount = c2.radio("금액", list(AMOUNTS), horizontal=True, key="income_amount", format_func=AMOUNTS.get)
suffix = " (세전)" if amount == "gross" else " (세후)"
m1, m2 = st.columns(2)
m1.metric("번 돈 합계" + suffix, ui.krw(totals[f"earned_{amount}"]),
          help="작업월 기준. 지급을 기록한 작업은 그 지급액, 아직 지급 기록이 없는 작업은 작업 기록으로 추정한 금액")
m2.metric("받은 돈 합계" + suffix, ui.krw(totals[f"received_{amount}"]),
          help="입금월 기준. 일부 입금을 포함해 통장에 들어온 돈 전부")
_chart(_monthly_figure(url, stamp, basis, amount, current), "chart_monthly")
st.caption("번 돈은 작업한 달에, 받은 돈은 통장에 들어온 달에 셉니다(나눠 들어온 돈은 입금마다 그 달에). "
           "보통 한 달 이상 차이가 납니다. 번 돈은 지급을 기록한 작업이면 그 지급의 금액(실제로 뗀 세금 반영), "
           "아직 지급 기록이 없는 작업이면 회사 지급일의 원천징수로 추정한 금액이라, 번 돈 = 받은 돈 + 받을 돈입니다. "
           f"회사는 많은 순서로 {charts.TOP}곳까지 보여 주고 나머지는 '기타'로 합칩니다. "
           f"빗금 친 막대와 점선은 아직 끝나지 않은 이번 달({today.month}월, {today.day}일까지)입니다.")

left, right = st.columns(2)
season, ytd = _season_figures(url, stamp, basis, amount, current)
with left:
    _chart(season, "chart_season")
with right:
    _chart(ytd, "chart_ytd")

st.subheader("시간과 시간당 수입")
_chart(_hours_figure(url, stamp, current), "chart_hours")

st.subheader("프로젝트·작업 유형·역할별")
table = _project_table(url, stamp)
if table.empty:
    st.caption("작업 기록이 쌓이면 프로젝트마다 시간당 얼마였는지, 반려가 얼마나 깎아 먹었는지 보여 드립니다.")
else:
    by = st.radio("묶기", list(GROUPS), horizontal=True, key="income_group", format_func=GROUPS.get)
    target = ui.preferences(url)["min_hourly_target"]  # 설정 page; None: the 최저시급 line only
    _chart(_rates_figure(url, stamp, by, today.year, target), "chart_rates")
    st.dataframe(
        table, hide_index=True, width="stretch", placeholder="",
        column_config={
            "company": "회사", "project": "프로젝트", "task_type": "유형", "role": "역할",
            "hours": st.column_config.NumberColumn("시간", format="%.1f"), "earned": ui.money_column("번 돈"),
            "krw_per_hour": ui.money_column("시간당"),
            "rejection_rate": st.column_config.NumberColumn("반려율", format="%.1f%%"),
            "rejection_cost": ui.money_column("반려로 못 받은 돈"),
        },
    )
    st.caption("반려로 못 받은 돈 = 반려 건수 × 그때의 건당 단가 (재작업에 든 시간은 빠져 있습니다). "
               "시간 기록이 없는 프로젝트는 시간당 수입 칸이 비어 있습니다.")
