"""예측: the coming months' earnings and cash, with how wrong the forecast would have been."""
import pandas as pd
import streamlit as st

from tracker import charts, income
from tracker.cashflow import backtest
from tracker.forecast import forecast_monthly, load_prior
from views import common as ui

HORIZON = 12


@st.cache_data(show_spinner=False)
def _history(url: str, stamp: tuple, today) -> pd.Series:
    return income.months_before(ui.earned(url), today)


@st.cache_data(show_spinner=False)
def _backtest(url: str, stamp: tuple, today):
    return backtest(_history(url, stamp, today), horizon=3, prior=load_prior())


st.title("예측")
url, today = ui.url(), ui.today()
history = _history(url, ui.stamp(url), today)
if history.empty or history.sum() == 0:
    st.info("작업 기록이 쌓이면 앞으로 몇 달의 수입과 통장에 들어올 돈을 예측해 드립니다.")
    st.stop()

prior = load_prior()
result = forecast_monthly(history, HORIZON, prior=prior)
st.plotly_chart(charts.forecast(history, result, title="월별 번 돈 (세전): 실적과 앞으로 12개월"),
                width="stretch", key="chart_forecast")
st.caption(f"지난 {len(history)}개월의 작업 기록으로 예측했습니다. 기록이 짧을수록 업계의 계절 흐름(하반기에 몰리고 "
           "상반기는 적음, data/season_prior.toml: 추정치)에 기대고, 기록이 쌓이면 내 흐름을 따릅니다. "
           "색칠한 띠는 10번 중 8번은 그 안에 들어올 범위입니다.")
table = pd.DataFrame({
    "month": [f"{p.year}년 {p.month}월" for p in result.index],
    **{column: result[column].round(-3).astype("int64") for column in ("mean", "lower", "upper")},
})
with st.expander("달마다 숫자로 보기"):
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "month": "월", "mean": ui.money_column("예상 (천 원 단위)"), "lower": ui.money_column("낮으면"),
        "upper": ui.money_column("높으면"),
    })

st.subheader("통장에 들어올 돈 (앞으로 6개월)")
flow = ui.cash_flow(url, today)
st.plotly_chart(charts.cash_flow(flow.frame, title="받기로 된 돈 + 앞으로 벌 돈 (세후)"), width="stretch",
                key="chart_cashflow")
st.text(flow.sentence)

st.subheader("이 예측은 얼마나 맞았을까")
check = _backtest(url, ui.stamp(url), today)
if check is None:
    st.caption("13개월 이상 기록이 쌓이면, 지난 달들에 이 예측을 해 봤을 때 얼마나 틀렸는지 보여 드립니다.")
else:
    st.text(check.sentence())
    c1, c2 = st.columns(2)
    c1.metric("이 예측의 월평균 오차", ui.krw(check.model_error), help=f"실제 수입의 약 {check.model_share:.0%}")
    c2.metric("'작년 같은 달' 방법의 월평균 오차", ui.krw(check.naive_error), help=f"실제 수입의 약 {check.naive_share:.0%}")
