"""모집 공고: every new opening once, from news, blogs, boards and job APIs, ranked by how it fits me.

The page reads only what it shows: how many postings match the filters and the rows of one page
(filters, order and paging in SQL, tracker.scrapers.listing); ranked by fit, it reads the few
columns the score needs and scores them per column (tracker.fit). '새로 가져오기' starts a
background run (tracker.scrapers.runner.start_refresh) and returns at once; a fragment polls the
run's row and shows one line per source in `st.status`, and the database refuses a second run
while one goes on (another tab's click included).

Scraped text is untrusted: titles and organisations appear only in dataframe text/link columns,
selectbox options and st.text, never as Markdown or HTML. Source names and error text that do go
into a Markdown element (error boxes, captions, status labels) pass through
tracker.markdown.escape first; flash messages are escaped by views.common.show_flash.
"""
import os

import pandas as pd
import streamlit as st

from tracker import fit as fitting
from tracker import market
from tracker.errors import LedgerError
from tracker.markdown import escape
from tracker.models.enums import PayUnit, PostingStatus, TaskType
from tracker.scrapers import listing
from tracker.scrapers import postings as radar
from tracker.scrapers.config import ConfigError, load_sources, sources_path
from tracker.scrapers.registry import KINDS
from views import common as ui

RADAR_TABLES = ("posting", "source_state")
FIT_TABLES = ("company", "project", "worklog", "payment")
PAGE_SIZE = 50
POLL_SECONDS = 1.0
ORDERS = {"new": "최신순", "fit": "맞는 순"}
LINE_ICONS = {"ok": "✅", "same": "⏸️", "failed": "❌", "off": "⚪"}


@st.cache_data(show_spinner=False)
def _profile(url: str, stamp: tuple) -> fitting.FitProfile:
    return fitting.profile(ui.engine_for(url))


@st.cache_data(show_spinner=False)
def _count(url: str, stamp: tuple, filters: listing.PostingFilter) -> tuple[int, int]:
    return listing.count_postings(ui.engine_for(url), filters)


@st.cache_data(show_spinner=False)
def _page(url: str, stamp: tuple, filters: listing.PostingFilter, offset: int) -> pd.DataFrame:
    return listing.page_postings(ui.engine_for(url), filters, offset=offset, limit=PAGE_SIZE)


@st.cache_data(show_spinner=False)
def _ranked(url: str, stamp: tuple, filters: listing.PostingFilter, only_fitting: bool, by_fit: bool) -> list[int]:
    """Posting ids newest first, or best fit first (newest first among equals); only the fitting
    ones when asked."""
    me = _profile(url, stamp[len(RADAR_TABLES):])
    inputs = listing.fit_inputs(ui.engine_for(url), filters)
    scored = fitting.assess(inputs, me)
    if only_fitting:
        inputs, scored = inputs[scored["fits"]], scored[scored["fits"]]
    if by_fit:
        inputs = inputs.loc[scored["fit"].sort_values(ascending=False, kind="stable").index]
    return [int(i) for i in inputs["id"]]


@st.cache_data(show_spinner=False)
def _rows(url: str, stamp: tuple, ids: tuple[int, ...]) -> pd.DataFrame:
    return listing.postings_by_ids(ui.engine_for(url), list(ids))


@st.cache_data(show_spinner=False)
def _sources(url: str, stamp: tuple) -> list[str]:
    return listing.source_names(ui.engine_for(url))


@st.cache_data(show_spinner=False)
def _health(url: str, stamp: tuple) -> pd.DataFrame:
    return radar.source_health(ui.engine_for(url))


@st.cache_data(show_spinner=False)
def _posted_prices(url: str, stamp: tuple, unit: str) -> pd.DataFrame:
    return market.posted_prices(ui.engine_for(url), unit)


@st.cache_data(show_spinner=False)
def _earned_prices(url: str, stamp: tuple, unit: str) -> pd.DataFrame:
    return market.earned_prices(ui.engine_for(url), unit)


def _market(url: str, radar_stamp: tuple, ledger_stamp: tuple, unit: str):
    """The postings' prices (read again after a write to postings), mine (after a write to the ledger)
    and the figure of both, rebuilt only when what it draws changed (ui.built)."""
    posted = _posted_prices(url, radar_stamp, unit)
    earned = _earned_prices(url, ledger_stamp, unit)
    return posted, earned, ui.built("radar_market", lambda: market.figure(posted, earned, unit), posted, earned, unit)


# ── refreshing in the background ───────────────────────────────────────────────────────────────

def _start(configs) -> None:
    from tracker.scrapers.runner import ALREADY_RUNNING, start_refresh

    run = start_refresh(ui.engine(), configs)
    if run is None:
        ui.flash("error", ALREADY_RUNNING)
        return
    st.session_state["radar_watch"] = run


def _summary(status) -> str:
    text = f"새 공고 {status.new}건을 찾았습니다."
    if status.failed:
        text += f" {status.failed}곳은 실패했습니다: 아래 소스 상태를 보세요."
    return text + (f" {status.error}" if status.error else "")


def _lines(status) -> None:
    for line in status.lines:
        st.text(f"{LINE_ICONS.get(line['state'], '')} {line['line']}")  # source names and errors: plain text


def _progress() -> None:
    """The latest run: its lines while it goes on (polled); once it ends, the result, once."""
    from tracker.scrapers.runner import refresh_status

    status = refresh_status(ui.engine())
    if status is None:
        return
    if status.active:
        with st.status(f"모집 공고를 가져오는 중… ({status.done}/{status.total}곳 끝남)", state="running",
                       expanded=True):
            _lines(status)
        return
    if st.session_state.get("radar_watch") == status.id:  # the run this tab started (or saw) has just ended
        del st.session_state["radar_watch"]
        ui.flash("success" if not status.failed and not status.error else "error", _summary(status))
        st.rerun()  # the whole page: the new postings and the source states
    finished = status.finished.strftime("%m-%d %H:%M") if status.finished else ""
    with st.status(f"지난 새로 가져오기 ({finished}): 새 공고 {status.new}건, 실패 {status.failed}곳",
                   state="error" if status.failed or status.error else "complete", expanded=False):
        _lines(status)
        if status.error:
            st.text(status.error)


def _running() -> bool:
    from tracker.scrapers.runner import refresh_status

    status = refresh_status(ui.engine())
    if status is not None and status.active:
        st.session_state.setdefault("radar_watch", status.id)  # started elsewhere: report it here too
        return True
    return False


# ── acting on a posting ────────────────────────────────────────────────────────────────────────

def _set_status(ids: list[int], status: str, message: str) -> None:
    ui.act(radar.set_status, ids, status, success=message)


def _set_flag(value: bool) -> None:
    st.session_state["_dialog_radar_apply"] = value


def _apply(posting_id: int) -> None:
    choice = st.session_state.get("radar_apply_company")
    try:
        if choice == "__new__":
            project = radar.apply_to_posting(ui.engine(), posting_id,
                                             new_company_name=st.session_state.get("radar_apply_new_name", ""))
        else:
            project = radar.apply_to_posting(ui.engine(), posting_id, company_id=int(choice))
    except LedgerError as exc:
        ui.flash("error", exc.message)
        return
    ui.flash("success", f"지원한 공고로 표시하고 프로젝트(상태: 지원)를 만들었습니다 (id {project}).")


def _apply_dialog(posting_id: int, title: str, organization: str) -> None:
    st.text(title)  # scraped: plain text
    companies = ui.companies(url)
    options = {"__new__": f"새 회사로: {organization or '(이름 입력)'}"}
    options |= {str(i): n for i, n in zip(companies["id"], companies["name"])}
    match = next((str(i) for i, n in zip(companies["id"], companies["name"]) if n == organization), "__new__")
    st.selectbox("회사", list(options), index=list(options).index(match), format_func=options.get,
                 key="radar_apply_company")
    if st.session_state.get("radar_apply_company") == "__new__":
        st.text_input("새 회사 이름", value=organization, key="radar_apply_new_name")
    left, right = st.columns(2)
    if left.button("지원함으로 표시하고 프로젝트 만들기", type="primary", key="radar_apply"):
        _set_flag(False)
        _apply(posting_id)
        st.rerun()
    if right.button("취소", key="radar_apply_cancel"):
        _set_flag(False)
        st.rerun()


# ── the page ───────────────────────────────────────────────────────────────────────────────────

st.title("모집 공고")
ui.show_flash()
url, today = ui.url(), ui.today()

try:
    configs, problems = load_sources()
except ConfigError as exc:
    configs, problems = [], []
    st.error(escape(str(exc)))
for problem in problems:
    st.error(escape(f"소스 설정 오류 — {problem.name}: {problem.message}"))

running = _running()
left, right = st.columns([3, 1])
left.caption(f"켜 둔 소스 {sum(c.enabled for c in configs)}곳 · {escape(sources_path().name)}에서 바꿉니다.")
right.button("새로 가져오기", type="primary", key="radar_refresh", disabled=not configs or running,
             on_click=_start, args=(configs,), help="가져오는 동안에도 이 페이지를 그대로 쓸 수 있습니다.")
st.fragment(run_every=POLL_SECONDS if running else None)(_progress)()

stamp = ui.stamp(url, RADAR_TABLES)
f1, f2, f3, f4, f5 = st.columns([2, 2, 1, 1, 2])
sources = f1.multiselect("소스", _sources(url, stamp), key="radar_sources", placeholder="전체")
task = f2.selectbox("작업 유형", ["", *(t.value for t in TaskType)],  # "" (not None: that shows "Choose an option")
                    format_func=lambda t: TaskType(t).label if t else "전체", key="radar_task")
remote_only = f3.checkbox("재택만", key="radar_remote")
within = f4.number_input("마감 N일 안", min_value=0, max_value=365, value=0, step=1, key="radar_within",
                         help="0이면 마감일로 거르지 않습니다.")
keyword = f5.text_input("낱말", key="radar_keyword")
g1, g2, g3 = st.columns([2, 2, 2])
order = g1.radio("정렬", list(ORDERS), format_func=ORDERS.get, horizontal=True, key="radar_order")
only_fitting = g2.checkbox("내게 맞는 공고만", key="radar_fitting",
                           help=f"내 장부로 매긴 점수가 {fitting.FIT_AT}점 이상이고 필요한 자격증이 있는 공고")
g3.checkbox("숨긴 공고도 보기", key="radar_show_hidden")

filters = listing.PostingFilter(
    sources=tuple(sources), task_type=task or None, remote_only=remote_only,
    deadline_within=int(within) or None, keyword=keyword.strip(),
    include_hidden=st.session_state.get("radar_show_hidden", False), today=today)
fit_stamp = stamp + ui.stamp(url, FIT_TABLES)
me = _profile(url, ui.stamp(url, FIT_TABLES))
if order == "fit" or only_fitting:
    ranked = _ranked(url, fit_stamp, filters, only_fitting, order == "fit")
    total = len(ranked)
    new = None
else:
    ranked = None
    total, new = _count(url, stamp, filters)

if total == 0 and not (sources or task or remote_only or within or keyword or only_fitting):
    st.info("아직 모은 공고가 없습니다. '새로 가져오기'를 누르거나 명령줄에서 `python -m tracker.scrapers run`을 "
            "실행하세요 (README에 cron 예시가 있습니다).")
else:
    pages = max(1, -(-total // PAGE_SIZE))
    if st.session_state.get("radar_page", 1) > pages:
        st.session_state["radar_page"] = 1
    page = int(st.number_input("쪽", min_value=1, max_value=pages, step=1, key="radar_page"))
    offset = (page - 1) * PAGE_SIZE
    if ranked is None:
        shown = _page(url, stamp, filters, offset)
    else:
        shown = _rows(url, stamp, tuple(ranked[offset:offset + PAGE_SIZE]))
    scored = fitting.assess(shown, me)
    table = shown.assign(fit=scored["fit"], hourly=scored["hourly"])
    head = f"{total:,}건" + (f" (새 공고 {new:,}건)" if new is not None else "")
    if total:
        head += f" · {offset + 1:,}–{min(total, offset + PAGE_SIZE):,}번째"
    st.caption(head + (" · 맞는 순" if order == "fit" else " · 최신순"))
    st.dataframe(
        table[["status_label", "fit", "title", "organization", "published", "deadline", "pay", "hourly",
               "task_labels", "remote", "certificate_label", "source", "url"]],
        hide_index=True, width="stretch", placeholder="",
        column_config={
            "status_label": "상태",
            "fit": st.column_config.ProgressColumn("맞춤", min_value=0, max_value=100, format="%d점",
                                                   help="내 장부로 매긴 점수 (공고를 고르면 이유가 나옵니다)"),
            "title": st.column_config.TextColumn("제목", width="large"),
            "organization": "기관·출처", "published": st.column_config.DatetimeColumn("게시", format="YYYY-MM-DD HH:mm"),
            "deadline": ui.date_column("마감"), "pay": "단가",
            "hourly": st.column_config.NumberColumn("시간당 환산", format="₩%,d",
                                                    help="건당 단가는 내가 이 작업을 한 속도로 시간당으로 바꿉니다"),
            "task_labels": "작업 유형", "remote": st.column_config.CheckboxColumn("재택"),
            "certificate_label": "자격증", "source": "소스",
            "url": st.column_config.LinkColumn("링크", display_text="열기"),
        },
    )

    labels = {int(r.id): f"[{r.status_label}] {r.title[:80]} — {r.organization or r.source}" for r in shown.itertuples()}
    posting_id = ui.pick("공고 고르기", labels, "radar_pick", empty="조건에 맞는 공고가 없습니다.")
    if posting_id is not None:
        position = shown.index[shown["id"] == posting_id][0]
        row = shown.loc[position]
        st.text(f"{row.title}\n{row.organization} · {row.kind_label} · {row.url}")
        if row.pay_text:
            st.text(f"단가 표기: {row.pay_text}")
        st.text(f"맞춤 {int(scored.loc[position, 'fit'])}점" + (" (내게 맞는 공고)" if scored.loc[position, "fits"] else "")
                + "\n" + "\n".join("· " + reason for reason in fitting.explain(row, me, scored.loc[position])))
        b1, b2, b3, b4 = st.columns(4)
        b1.button("저장", key="radar_save", on_click=_set_status, args=([posting_id], "saved", "공고를 저장했습니다."))
        b2.button("숨기기", key="radar_hide", on_click=_set_status, args=([posting_id], "hidden", "공고를 숨겼습니다."))
        if row.status == PostingStatus.HIDDEN:
            b3.button("다시 보이기", key="radar_unhide",
                      on_click=_set_status, args=([posting_id], "new", "공고를 다시 보이게 했습니다."))
        b4.button("지원했어요 → 프로젝트…", key="radar_apply_open", on_click=_set_flag, args=(True,))
        if st.session_state.get("_dialog_radar_apply"):
            st.dialog("지원함 → 프로젝트 만들기", on_dismiss=lambda: _set_flag(False))(_apply_dialog)(
                posting_id, row.title, row.organization)

st.subheader("시세: 공고의 단가와 내가 받은 단가")
unit = st.radio("단위", [PayUnit.ITEM.value, PayUnit.HOUR.value], format_func=lambda u: PayUnit(u).label,
                horizontal=True, key="radar_market_unit")
posted, earned, chart = _market(url, stamp, ui.stamp(url, ("project", "worklog")), unit)
if posted.empty and earned.empty:
    st.caption("단가를 적은 공고도, 이 단위로 일한 기록도 아직 없습니다.")
else:
    st.plotly_chart(chart, width="stretch", key="radar_market_chart")
    st.caption("실선: 그 달 공고에 적힌 단가의 가운데값 · 점선: 그 달 내가 받은 단가 (건당은 승인된 건 기준).")

st.subheader("소스 상태")
health = _health(url, stamp)
states = {r.name: r for r in health.itertuples()} if not health.empty else {}
rows = []
for config in configs:
    state = states.get(config.name)
    reason = "" if config.enabled else "설정에서 꺼 둠"
    if config.enabled:
        reason = KINDS[config.kind](config, os.environ).disabled_reason() or ""
    rows.append({
        "name": config.name, "kind": listing.kind_label(config.kind),
        "state": ("꺼짐: " + reason) if reason else ("정상" if state is not None and not state.last_error
                                                     else ("실패" if state is not None else "아직 안 읽음")),
        "last_success": state.last_success.replace(tzinfo=None) if state is not None and state.last_success else None,
        "items": state.item_count if state is not None else None,
        "new": state.new_count if state is not None else None,
        "failures": state.consecutive_failures if state is not None else None,
        "message": (state.last_error if state is not None else "")
        + ("  ⚠ 지난번과 달리 0건: 페이지 구조가 바뀌었을 수 있습니다." if state is not None and state.layout_warning else ""),
    })
if rows:
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder="", column_config={
        "name": "소스", "kind": "종류", "state": "상태",
        "last_success": st.column_config.DatetimeColumn("마지막 성공", format="YYYY-MM-DD HH:mm"),
        "items": "건수", "new": "새 공고", "failures": "연속 실패", "message": "메시지",
    })
