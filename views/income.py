"""수입: money by month (earned vs received, by company), seasons, year to date, hours, KRW per hour."""
import pandas as pd
import streamlit as st

from tracker import charts, income
from tracker.models.enums import PayScheme, Role, TaskType
from tracker.tax import minimum_wage
from views import common as ui


@st.cache_data(show_spinner=False)
def _read(url: str, stamp: tuple, reader: str) -> pd.DataFrame:
    """One of tracker.income's frames (earned_by_month, received_by_month, …), cached per database."""
    return getattr(income, reader)(ui.engine_for(url))


st.title("수입")
url, today = ui.url(), ui.today()
earned, received = ui.earned(url), _read(url, ui.stamp(url), "received_by_month")
if earned.empty and received.empty:
    st.info("작업 기록이나 입금된 지급이 생기면 달마다 얼마를 벌고 받았는지 그래프로 보여 드립니다.")
    st.stop()

c1, c2 = st.columns(2)
basis = c1.radio("기준", ["earned", "received"], horizontal=True, key="income_basis",
                 format_func={"earned": "번 돈 (작업월)", "received": "받은 돈 (입금월)"}.get)
amount = c2.radio("금액", ["gross", "net"], horizontal=True, key="income_amount",
                  format_func={"gross": "세전", "net": "실수령(세후)"}.get)
shown, other = (earned, received) if basis == "earned" else (received, earned)
suffix = " (세전)" if amount == "gross" else " (세후)"
m1, m2 = st.columns(2)
m1.metric("번 돈 합계" + suffix, ui.krw(int(earned[amount].sum())),
          help="작업월 기준. 지급을 기록한 작업은 그 지급액, 아직 지급 기록이 없는 작업은 작업 기록으로 추정한 금액")
m2.metric("받은 돈 합계" + suffix, ui.krw(int(received[amount].sum())),
          help="입금월 기준. 일부 입금을 포함해 통장에 들어온 돈 전부")
other_name = "받은 돈 합계 (입금월)" if basis == "earned" else "번 돈 합계 (작업월)"
st.plotly_chart(
    charts.monthly_income(shown, amount, title="월별 수입 (회사별)", other=income.monthly_totals(other, amount),
                          other_name=other_name),
    width="stretch", key="chart_monthly")
st.caption("번 돈은 작업한 달에, 받은 돈은 통장에 들어온 달에 셉니다(나눠 들어온 돈은 입금마다 그 달에). "
           "보통 한 달 이상 차이가 납니다. 번 돈은 지급을 기록한 작업이면 그 지급의 금액(실제로 뗀 세금 반영), "
           "아직 지급 기록이 없는 작업이면 회사 지급일의 원천징수로 추정한 금액이라, 번 돈 = 받은 돈 + 받을 돈입니다.")

series = income.monthly_totals(shown, amount)
left, right = st.columns(2)
with left:
    st.plotly_chart(charts.season_overlay(income.season_table(series), title="해마다 같은 달끼리"),
                    width="stretch", key="chart_season")
with right:
    st.plotly_chart(charts.year_to_date(income.year_to_date(series), title="연초부터 누적"),
                    width="stretch", key="chart_ytd")

st.subheader("시간과 시간당 수입")
hours = _read(url, ui.stamp(url), "hours_by_month")
st.plotly_chart(charts.hours_and_rate(hours, title="월별 작업 시간과 시간당 수입 (최저시급과 비교)"),
                width="stretch", key="chart_hours")

st.subheader("프로젝트·작업 유형·역할별")
projects = _read(url, ui.stamp(url), "project_rates")
if projects.empty:
    st.caption("작업 기록이 쌓이면 프로젝트마다 시간당 얼마였는지, 반려가 얼마나 깎아 먹었는지 보여 드립니다.")
else:
    try:
        wage = minimum_wage(today.year)
    except LookupError:
        wage = None
    by = st.radio("묶기", ["task_type", "role", "pay_scheme"], horizontal=True, key="income_group",
                  format_func={"task_type": "작업 유형", "role": "역할", "pay_scheme": "단가 방식"}.get)
    labels = {"task_type": TaskType.labels(), "role": Role.labels(), "pay_scheme": PayScheme.labels()}[by]
    grouped = income.group_rates(projects, by)
    st.plotly_chart(charts.rate_bars(grouped, by, labels, title="시간당 수입", minimum_wage=wage), width="stretch",
                    key="chart_rates")
    table = projects.assign(task_type=projects["task_type"].map(TaskType.labels()),
                            role=projects["role"].map(Role.labels()),
                            rejection_rate=projects["rejection_rate"] * 100)
    st.dataframe(
        table[["company", "project", "task_type", "role", "hours", "earned", "krw_per_hour", "rejection_rate",
               "rejection_cost"]],
        hide_index=True, width="stretch",
        column_config={
            "company": "회사", "project": "프로젝트", "task_type": "유형", "role": "역할",
            "hours": st.column_config.NumberColumn("시간", format="%.1f"), "earned": ui.money_column("번 돈"),
            "krw_per_hour": ui.money_column("시간당"),
            "rejection_rate": st.column_config.NumberColumn("반려율", format="%.1f%%"),
            "rejection_cost": ui.money_column("반려로 못 받은 돈"),
        },
    )
    st.caption("반려로 못 받은 돈 = 반려 건수 × 그때의 건당 단가 (재작업에 든 시간은 빠져 있습니다).")
