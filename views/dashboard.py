"""대시보드: this month at a glance, and today's work in two clicks (quick entry, timers, the week at once)."""
from datetime import date

import pandas as pd
import streamlit as st

from tracker import health, quicklog
from tracker import timer as timers
from tracker.errors import LedgerError
from tracker.inputs import show_minutes
from tracker.markdown import escape
from tracker.charts import cash_flow as cash_flow_chart
from tracker.taxyear import filing_countdown
from tracker.models.enums import ACTIVE_PROJECT_STATUSES, PayScheme, ProjectStatus, TaskType
from tracker.models.profile import HealthStatus
from views import common as ui
from views import lean

QUICK = "quick_"  # the quick entry's widget keys
QUICK_MESSAGE = "_quick_message"  # a refusal, shown under the form it belongs to
WEEK_EDITOR = "_week_editor_round"  # bumped to give the week editor fresh rows after a save


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


# ---------------------------------------------------------------- today's work


def _quick_save() -> None:
    """The quick entry's submit (Enter or 저장): one work log, then the time and counts are emptied."""
    state = st.session_state
    data = {"project_id": state.get(QUICK + "project"), "work_date": state.get(QUICK + "date"),
            "minutes": state.get(QUICK + "minutes"), "items_submitted": state.get(QUICK + "submitted"),
            "items_rejected": state.get(QUICK + "rejected")}
    try:
        saved = quicklog.save(ui.engine(), data)
    except LedgerError as exc:
        state[QUICK_MESSAGE] = exc.message  # the typed values stay, to be fixed
        return
    state.pop(QUICK_MESSAGE, None)
    for field in ("minutes", "submitted", "rejected"):
        state[QUICK + field] = ""
    ui.flash("success", saved.sentence)


def _timer_start() -> None:
    ui.act(timers.start, st.session_state.get("timer_project"), success="타이머를 시작했습니다. 탭을 닫아도 계속 돕니다.")


def _timer_stop(project_id: int, version: int) -> None:
    """Stop a timer and put its minutes (and project, and the day it started) into the quick entry."""
    try:
        stopped = timers.stop(ui.engine(), project_id, version=version)
    except LedgerError as exc:
        ui.flash("error", exc.message)
        return
    state = st.session_state
    state[QUICK + "project"] = project_id
    state[QUICK + "date"] = min(stopped.work_date, ui.today())  # the day it started (a run past midnight)
    state[QUICK + "minutes"] = show_minutes(stopped.minutes)
    ui.flash("success", stopped.sentence)


def _timer_cancel(project_id: int) -> None:
    ui.act(timers.cancel, project_id, success="타이머를 지웠습니다 (기록하지 않았습니다).")


def _quick_entry(active: pd.DataFrame, recent: pd.DataFrame, today: date) -> None:
    """Project, time, counts; Enter saves. Defaults: the project worked on last, today (Korea)."""
    labels = ui.project_labels(active)
    state = st.session_state
    if state.get(QUICK + "project") not in labels:
        last = [int(p) for p in recent["project_id"] if int(p) in labels] if not recent.empty else []
        state[QUICK + "project"] = last[0] if last else next(iter(labels))
    state.setdefault(QUICK + "date", today)
    with st.form("quick_entry", enter_to_submit=True):
        st.selectbox("프로젝트", list(labels), format_func=labels.get, key=QUICK + "project")
        st.date_input("작업일", key=QUICK + "date", format="YYYY-MM-DD")
        time_col, submitted_col, rejected_col = st.columns(3)  # side by side when wide, stacked on a phone
        time_col.text_input("작업 시간", key=QUICK + "minutes", placeholder="1:30 또는 90",
                            help="1:30, 90(분), 1시간 30분, 1.5시간처럼 적습니다.")
        submitted_col.text_input("제출 건수", key=QUICK + "submitted", placeholder="0")
        rejected_col.text_input("반려 건수", key=QUICK + "rejected", placeholder="0")
        st.form_submit_button("저장", type="primary", on_click=_quick_save, width="stretch")
    message = state.pop(QUICK_MESSAGE, None)  # said once, under the form
    if message:
        st.error(escape(message))


def _timer_panel(active: pd.DataFrame) -> None:
    labels = ui.project_labels(active)
    running = timers.running(ui.engine())
    for item in running:
        st.text(f"⏱️ {item.project} · {item.started_kst:%m-%d %H:%M}부터 "
                f"{show_minutes(item.minutes)} 지남")
        stop_col, cancel_col = st.columns(2)
        stop_col.button("멈추고 시간 채우기", key=f"timer_stop_{item.project_id}", on_click=_timer_stop,
                        args=(item.project_id, item.version), type="primary", width="stretch")
        cancel_col.button("타이머 지우기", key=f"timer_cancel_{item.project_id}", on_click=_timer_cancel,
                          args=(item.project_id,), width="stretch")
    idle = [p for p in labels if p not in {r.project_id for r in running}]
    if idle:
        if st.session_state.get("timer_project") not in idle:
            st.session_state["timer_project"] = idle[0]
        st.selectbox("타이머 프로젝트", idle, format_func=labels.get, key="timer_project")
        st.button("타이머 시작", on_click=_timer_start, width="stretch")


# ---------------------------------------------------------------- the week at once

WEEK_COLUMNS = ["work_date", "project", "minutes", "items_submitted", "items_rejected", "note"]


def _week_rows(all_logs: pd.DataFrame, active: pd.DataFrame, today: date) -> pd.DataFrame:
    """This week's work logs of the active projects, oldest first, as the editor shows them."""
    monday, sunday = quicklog.week_bounds(today)
    labels = ui.project_labels(active)
    logs = all_logs[all_logs["project_id"].isin(list(labels))] if not all_logs.empty else all_logs
    if not logs.empty:
        days = pd.to_datetime(logs["work_date"]).dt.date
        logs = logs[(days >= monday) & (days <= sunday)].sort_values(["work_date", "id"])
    # Typed columns even when empty, so the editor knows a date from a number from text.
    return pd.DataFrame({
        "id": pd.Series([int(i) for i in logs["id"]], dtype="int64"),
        "version": pd.Series([int(v) for v in logs["version"]], dtype="int64"),
        "work_date": pd.to_datetime(pd.Series(list(logs["work_date"]), dtype="object")).astype("datetime64[ns]"),
        "project": pd.Series([labels[int(p)] for p in logs["project_id"]], dtype="object"),
        "minutes": pd.Series([show_minutes(int(m)) for m in logs["minutes"]], dtype="object"),
        "items_submitted": pd.Series([int(n) for n in logs["items_submitted"]], dtype="int64"),
        "items_rejected": pd.Series([int(n) for n in logs["items_rejected"]], dtype="int64"),
        "note": pd.Series(["" if n is None else str(n) for n in logs["note"]], dtype="object"),
    })


def _as_fields(cells: dict, ids: dict[str, int]) -> dict:
    """Editor cells as work-log fields: the project's label becomes its id."""
    fields = {k: v for k, v in cells.items() if k in WEEK_COLUMNS and k != "project"}
    if "project" in cells:
        fields["project_id"] = ids.get(cells["project"])
    return fields


def _week_save(key: str, shown: list[dict], ids: dict[str, int]) -> None:
    delta = st.session_state.get(key) or {}
    rows = [{k: v for k, v in row.items() if k != "project"} | {"project_id": ids.get(row["project"])}
            for row in shown]
    edited = {int(pos): _as_fields(cells, ids) for pos, cells in (delta.get("edited_rows") or {}).items()}
    added = [_as_fields(cells, ids) for cells in delta.get("added_rows") or []]
    result = quicklog.save_week(ui.engine(), rows, edited, added, list(delta.get("deleted_rows") or []))
    wrote = result.created + result.updated + result.deleted
    if wrote:  # the rows changed: the editor starts again from what is saved now
        st.session_state[WEEK_EDITOR] = st.session_state.get(WEEK_EDITOR, 0) + 1
    if result.errors:
        head = ("저장하지 않았습니다. 고칠 줄:" if not wrote else result.sentence + " 저장하지 못한 줄:")
        ui.flash("error", "\n".join([head, *result.errors]))
    else:
        ui.flash("success", result.sentence)


def _week_editor(url: str, active: pd.DataFrame, today: date) -> None:
    monday, sunday = quicklog.week_bounds(today)
    labels = ui.project_labels(active)
    ids = {label: pid for pid, label in labels.items()}
    rows = _week_rows(ui.worklogs(url, between=(monday, sunday)), active, today)  # the week only, in SQL
    key = f"week_editor_{st.session_state.get(WEEK_EDITOR, 0)}"
    st.caption(f"{monday:%m-%d}(월)–{sunday:%m-%d}(일), 진행 중인 프로젝트의 작업 기록. 줄을 고치거나 더하거나 지운 뒤 "
               "저장하세요. 모든 줄을 먼저 확인하고, 한 줄이라도 틀리면 아무것도 저장하지 않습니다.")
    st.data_editor(
        rows, key=key, num_rows="dynamic", hide_index=True, placeholder="", width="stretch",
        column_order=WEEK_COLUMNS,
        column_config={
            "id": None, "version": None,
            "work_date": st.column_config.DateColumn("작업일", format="YYYY-MM-DD", default=today, required=True),
            "project": st.column_config.SelectboxColumn("프로젝트", options=list(ids), default=next(iter(ids)),
                                                        required=True),
            "minutes": st.column_config.TextColumn("작업 시간", default="", help="1:30, 90(분), 1시간 30분"),
            "items_submitted": st.column_config.NumberColumn("제출 건수", default=0, step=1, format="%d"),
            "items_rejected": st.column_config.NumberColumn("반려 건수", default=0, step=1, format="%d"),
            "note": st.column_config.TextColumn("메모", default=""),
        },
    )
    st.button("이번 주 저장", key="week_save", on_click=_week_save, args=(key, rows.to_dict("records"), ids))


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
cols = st.columns(4)  # four across on a wide screen; Streamlit stacks them on a phone
cols[0].metric(f"{today:%m}월 작업 수입", ui.krw(summary.month_earnings),
               help="이번 달 작업 기록으로 번 금액(세전). 고정 금액 프로젝트는 지급으로 잡힙니다.")
cols[1].metric("받을 돈", ui.krw(summary.to_receive), help=f"아직 입금되지 않은 지급 {summary.to_receive_count}건의 실수령 예정액")
cols[2].metric("그중 지연", ui.krw(summary.overdue), help=f"지급 예정일이 지난 {summary.overdue_count}건",
               delta=f"{summary.overdue_count}건 지연" if summary.overdue_count else None, delta_color="inverse")
cols[3].metric("진행 중 프로젝트", f"{summary.active_projects}개")
st.caption(f"{today:%Y-%m-%d} 기준 (한국 시간) · 이번 달 입금 {ui.krw(summary.received_this_month)}"
           + (f" · 받을 돈 중 지급 기록 없는 작업분 {ui.krw(summary.unbilled)}" if summary.unbilled else ""))
lean.show_summary(url, today)
# Today's work right under the figures, so on a phone it is the first thing after them.
active = ui.projects(url)
active = active[active["status"].isin([s.value for s in ACTIVE_PROJECT_STATUSES])]
recent = ui.worklogs(url, limit=10)
st.subheader("오늘 작업 적기")
if active.empty:
    st.caption("진행 중(또는 검수 중)인 프로젝트가 있어야 여기서 바로 적을 수 있습니다.")
    st.page_link("views/projects.py", label="프로젝트 추가하러 가기", icon="🗂️")
else:
    entry, clock = st.columns([3, 2])  # stacked on a phone: the form first, then the timers
    with entry:
        _quick_entry(active, recent, today)
    with clock:
        st.markdown("**타이머**")
        _timer_panel(active)
    with st.expander("이번 주 한꺼번에"):
        _week_editor(url, active, today)

countdown = filing_countdown(today)
if countdown:
    st.info(f"{countdown.income_year}년 귀속 종합소득세 신고 마감까지 D-{countdown.days_left} "
            f"({countdown.deadline:%Y-%m-%d}). 세금 페이지에서 예상 환급액을 확인하세요.")

if not empty:
    _health_meter(url, today)

left, right = st.columns(2)
with left:
    st.subheader("진행 중인 프로젝트")
    if active.empty:
        st.caption("진행 중인 프로젝트가 없습니다.")
    else:
        st.dataframe(
            ui.labeled(active, {"task_type": TaskType, "status": ProjectStatus, "pay_scheme": PayScheme})[
                ["company", "name", "task_type", "status", "pay_scheme", "unit_price", "deadline"]
            ],
            hide_index=True, placeholder="", width="stretch",
            column_config={"company": "회사", "name": "프로젝트", "task_type": "유형", "status": "상태",
                           "pay_scheme": "방식", "unit_price": ui.money_column("단가"),
                           "deadline": ui.date_column("마감일")},
        )
with right:
    st.subheader("최근 작업 기록")
    if recent.empty:
        st.caption("작업 기록이 없습니다.")
    else:
        st.dataframe(
            ui.labeled(recent, {})[
                ["work_date", "company", "project", "minutes", "items_submitted", "items_rejected", "earnings"]
            ],
            hide_index=True, placeholder="", width="stretch",
            column_config={"work_date": ui.date_column("작업일"), "company": "회사", "project": "프로젝트", "minutes": "분",
                           "items_submitted": "제출", "items_rejected": "반려",
                           "earnings": ui.money_column("수입")},
        )

if not empty:
    st.subheader("앞으로 6개월 통장에 들어올 돈")
    flow = ui.cash_flow(url, today)
    st.plotly_chart(cash_flow_chart(flow.frame, title=""), width="stretch", key="dashboard_cashflow")
    st.text(flow.sentence)
