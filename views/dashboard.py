"""대시보드: this month at a glance."""
from datetime import date

import streamlit as st

from tracker import health
from tracker.charts import cash_flow as cash_flow_chart
from tracker.taxyear import filing_countdown
from tracker.models.enums import ACTIVE_PROJECT_STATUSES, PayScheme, ProjectStatus, TaskType
from tracker.models.profile import HealthStatus
from views import common as ui


def _fill_demo() -> None:
    from tracker.demo import DemoRefused, generate

    try:
        summary = generate(ui.engine())
    except DemoRefused as exc:
        ui.flash("error", str(exc))
        return
    ui.flash("success", f"데모 데이터를 채웠습니다: 프로젝트 {summary.projects}개, 작업 기록 {summary.worklogs:,}건.")


def _health_meter(url: str, today: date) -> None:
    """A compact health-insurance meter for this year (the full one is on the 세금 page)."""
    holder = ui.status_profile(url, today.year)
    status = HealthStatus(holder["health_status"]) if holder else HealthStatus.DEPENDENT
    if status == HealthStatus.NONE:
        return
    projection = ui.year_projection(url, today)
    try:
        m = health.meter(today.year, projection.so_far, projection.projected, employee=status == HealthStatus.EMPLOYEE,
                         registered=bool(holder and holder["business_registered"]))
    except LookupError:
        return
    what = "직장가입자 보수외소득 선" if status == HealthStatus.EMPLOYEE else "피부양자 선"
    st.progress(min(1.0, m.share), text=f"건강보험 {what}: {today.year}년 사업소득 수입 지금까지 {ui.krw(m.so_far)}, "
                                        f"12월까지 예상 {ui.krw(m.projected)} / 선 {ui.krw(m.line)}")
    show = st.warning if m.level in ("over", "over_forecast", "near") else st.caption
    show(m.sentence + (" 건강보험 자격은 세금 페이지의 소득 프로필에서 고릅니다." if holder is None else ""))


st.title("대시보드")
ui.show_flash()
today = ui.today()
url = ui.url()

empty = ui.is_empty(url)
if empty:
    st.info(
        "장부가 비어 있습니다. 회사 → 프로젝트 → 작업 기록 → 지급 순서로 기록하거나, "
        "18개월치 데모 데이터로 둘러보세요."
    )
    st.button("데모 데이터 채우기", on_click=_fill_demo, type="primary", key="fill_demo")

summary = ui.dashboard(url, today)
cols = st.columns(4)
cols[0].metric(f"{today:%m}월 작업 수입", ui.krw(summary.month_earnings),
               help="이번 달 작업 기록으로 번 금액(세전). 고정 금액 프로젝트는 지급으로 잡힙니다.")
cols[1].metric("받을 돈", ui.krw(summary.to_receive), help=f"아직 입금되지 않은 지급 {summary.to_receive_count}건의 실수령 예정액")
cols[2].metric("그중 지연", ui.krw(summary.overdue), help=f"지급 예정일이 지난 {summary.overdue_count}건",
               delta=f"{summary.overdue_count}건 지연" if summary.overdue_count else None, delta_color="inverse")
cols[3].metric("진행 중 프로젝트", f"{summary.active_projects}개")
st.caption(f"{today:%Y-%m-%d} 기준 (한국 시간) · 이번 달 입금 {ui.krw(summary.received_this_month)}"
           + (f" · 받을 돈 중 지급 기록 없는 작업분 {ui.krw(summary.unbilled)}" if summary.unbilled else ""))
countdown = filing_countdown(today)
if countdown:
    st.info(f"{countdown.income_year}년 귀속 종합소득세 신고 마감까지 D-{countdown.days_left} "
            f"({countdown.deadline:%Y-%m-%d}). 세금 페이지에서 예상 환급액을 확인하세요.")

if not empty:
    _health_meter(url, today)

left, right = st.columns(2)
with left:
    st.subheader("진행 중인 프로젝트")
    active = ui.projects(url)
    active = active[active["status"].isin([s.value for s in ACTIVE_PROJECT_STATUSES])]
    if active.empty:
        st.caption("진행 중인 프로젝트가 없습니다.")
    else:
        st.dataframe(
            ui.labeled(active, {"task_type": TaskType, "status": ProjectStatus, "pay_scheme": PayScheme})[
                ["company", "name", "task_type", "status", "pay_scheme", "unit_price", "deadline"]
            ],
            hide_index=True, width="stretch",
            column_config={"company": "회사", "name": "프로젝트", "task_type": "유형", "status": "상태",
                           "pay_scheme": "방식", "unit_price": ui.money_column("단가"),
                           "deadline": ui.date_column("마감일")},
        )
with right:
    st.subheader("최근 작업 기록")
    recent = ui.worklogs(url, limit=10)
    if recent.empty:
        st.caption("작업 기록이 없습니다.")
    else:
        st.dataframe(
            ui.labeled(recent, {})[
                ["work_date", "company", "project", "minutes", "items_submitted", "items_rejected", "earnings"]
            ],
            hide_index=True, width="stretch",
            column_config={"work_date": ui.date_column("작업일"), "company": "회사", "project": "프로젝트", "minutes": "분",
                           "items_submitted": "제출", "items_rejected": "반려",
                           "earnings": ui.money_column("수입")},
        )

if not empty:
    st.subheader("앞으로 6개월 통장에 들어올 돈")
    flow = ui.cash_flow(url, today)
    st.plotly_chart(cash_flow_chart(flow.frame, title=""), width="stretch", key="dashboard_cashflow")
    st.text(flow.sentence)
