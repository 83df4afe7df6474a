"""예측: the coming months' earnings and cash, the lean months' savings plan, and how wrong the forecast
would have been. Figures are kept per data version and day (st.cache_resource: a plotly figure is only
read by st.plotly_chart, and cache_data's pickling would revalidate it on every rerun), and after a write
rebuilt only when what they draw changed (ui.built). The forecasts themselves are kept by their input
months (tracker.forecast): a write to the month in progress does not forecast again."""
import pandas as pd
import streamlit as st

from tracker import charts, income, plan
from tracker.cashflow import backtest
from tracker.forecast import forecast_monthly, load_prior
from views import common as ui
from views import lean

HORIZON = 12


@st.cache_data(show_spinner=False)
def _history(url: str, stamp: tuple, today) -> pd.Series:
    """The whole months before today's: this month is still in progress and is forecast, not learned from."""
    return income.months_before(ui.earned(url), today)


@st.cache_data(show_spinner=False)
def _forecast(url: str, stamp: tuple, today, so_far: int) -> pd.DataFrame:
    """The next 12 months from this one; this month never below what is already earned in it."""
    result = forecast_monthly(_history(url, stamp, today), HORIZON, prior=load_prior())
    this_month = pd.Period(today, freq="M")
    if this_month in result.index:
        result.loc[this_month] = result.loc[this_month].clip(lower=float(so_far))
    return result


@st.cache_resource(show_spinner=False, max_entries=16)
def _view(url: str, stamp: tuple, today) -> dict:
    """What the page shows above the plan: the forecast figure and table, the cash-flow figure and sentence."""
    history = _history(url, stamp, today)
    so_far = lean.so_far(url, today, stamp)
    result = _forecast(url, stamp, today, so_far)
    table = pd.DataFrame({
        "month": [f"{p.year}년 {p.month}월" for p in result.index],
        **{column: result[column].round(-3).astype("int64") for column in ("mean", "lower", "upper")},
    })
    flow = ui.cash_flow(url, today)
    point = (pd.Timestamp(today.year, today.month, 1), so_far)
    return {  # the figures rebuilt only when what they draw changed (ui.built: by content)
        "months": len(history), "so_far": so_far, "table": table, "sentence": flow.sentence,
        "forecast": ui.built("forecast", lambda: charts.forecast(
            history, result, title="월별 번 돈 (세전): 실적과 앞으로 12개월", so_far=point), history, result, point),
        "cash_flow": ui.built("forecast_cash_flow", lambda: charts.cash_flow(
            flow.frame, title="받기로 된 돈 + 앞으로 벌 돈 (세후)"), flow.frame),
    }


def _savings_plan(url: str, stamp: tuple, today) -> None:
    """The lean months: how much of what comes in to put aside (tracker.plan), for a spending the user picks."""
    span = plan.months_label(plan.windows(today)[1])
    field = f"{span}에 매달 쓸 돈"
    st.subheader(f"{span} 대비: 들어오는 돈에서 얼마를 따로 둘까")
    ui.amount_input(field, "plan_spend", lean.default_spend(url, today, stamp),
                    help="처음 값은 지난 12개월 가운데 중간인 달의 실수령 수입입니다. 생활비처럼 매달 나갈 돈을 적어 보세요.",
                    placeholder="예: 1,500,000 또는 150만")
    try:
        spend = plan.read_spend(st.session_state.get("plan_spend"), field)
    except ValueError as exc:
        st.error(str(exc))
        return
    found = lean.lean_plan(url, today, spend, stamp)
    if found is None:
        st.caption("지급해 줄 회사와 지난 달들의 수입이 있어야 계획을 세울 수 있습니다.")
        return
    st.info(found.sentence())
    st.caption(" ".join(filter(None, (found.range_sentence(), found.basis_sentence()))))


@st.cache_data(show_spinner=False)
def _backtest(url: str, stamp: tuple, today):
    return backtest(_history(url, stamp, today), horizon=3, prior=load_prior())


st.title("예측")
url, today = ui.url(), ui.today()
stamp = ui.stamp(url)
history = _history(url, stamp, today)
if history.empty or history.sum() == 0:
    st.info("작업 기록이 쌓이면 앞으로 몇 달의 수입과 통장에 들어올 돈을 예측해 드립니다.")
    st.page_link("views/worklogs.py", label="작업 기록하러 가기", icon="⏱️")
    st.stop()

view = _view(url, stamp, today)
st.plotly_chart(view["forecast"], width="stretch", key="chart_forecast")
st.caption(f"지난 {view['months']}개월의 작업 기록으로 예측했습니다. 이번 달({today.month}월)은 아직 진행 중이라 "
           f"예측에 배우지 않고 예측하는 달로 두었고, 지금까지 번 ₩{view['so_far']:,}(빈 동그라미)보다 낮게 보지 않습니다. "
           "기록이 짧을수록 업계의 계절 흐름(하반기에 몰리고 "
           "상반기는 적음, data/season_prior.toml: 추정치)에 기대고, 기록이 쌓이면 내 흐름을 따릅니다. "
           "색칠한 띠는 10번 중 8번은 그 안에 들어올 범위입니다.")
with st.expander("달마다 숫자로 보기"):
    st.dataframe(view["table"], hide_index=True, placeholder="", width="stretch", column_config={
        "month": "월", "mean": ui.money_column("예상 (천 원 단위)"), "lower": ui.money_column("낮으면"),
        "upper": ui.money_column("높으면"),
    })

st.subheader("통장에 들어올 돈 (앞으로 6개월)")
st.plotly_chart(view["cash_flow"], width="stretch", key="chart_cashflow")
st.text(view["sentence"])

_savings_plan(url, stamp, today)

st.subheader("이 예측은 얼마나 맞았을까")
check = _backtest(url, stamp, today)
if check is None:
    st.caption("13개월 이상 기록이 쌓이면, 지난 달들에 이 예측을 해 봤을 때 얼마나 틀렸는지 보여 드립니다.")
else:
    st.text(check.sentence())
    c1, c2 = st.columns(2)
    c1.metric("이 예측의 월평균 오차", ui.krw(check.model_error), help=f"실제 수입의 약 {check.model_share:.0%}")
    c2.metric("'작년 같은 달' 방법의 월평균 오차", ui.krw(check.naive_error), help=f"실제 수입의 약 {check.naive_share:.0%}")
