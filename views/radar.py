"""모집 공고: every new opening once, from news, blogs, boards and job APIs.

Scraped text is untrusted: titles and organisations appear only in dataframe text/link columns,
selectbox options and st.text, never as Markdown or HTML. Source names and error text that do go
into a Markdown element (error boxes, captions, the progress line) pass through
tracker.markdown.escape first; flash messages are escaped by views.common.show_flash.
"""
import os

import pandas as pd
import streamlit as st

from tracker.errors import LedgerError
from tracker.markdown import escape
from tracker.models.enums import Certificate, PayUnit, PostingStatus, TaskType
from tracker.scrapers import postings as radar
from tracker.scrapers.config import ConfigError, load_sources, sources_path
from tracker.scrapers.registry import KINDS
from views import common as ui


RADAR_TABLES = ("posting", "source_state")


@st.cache_data(show_spinner=False)
def _postings(url: str, stamp: tuple, include_hidden: bool) -> pd.DataFrame:
    return radar.list_postings(ui.engine_for(url), include_hidden=include_hidden)


@st.cache_data(show_spinner=False)
def _health(url: str, stamp: tuple) -> pd.DataFrame:
    return radar.source_health(ui.engine_for(url))


def _refresh(configs) -> None:
    from tracker.scrapers.runner import SWITCHED_OFF, run_sources

    enabled = [c for c in configs if c.enabled]
    bar = st.progress(0.0, text="모집 공고를 가져오는 중…")
    done: list = []

    def progress(result) -> None:
        if result.disabled == SWITCHED_OFF:
            return
        done.append(result)
        bar.progress(min(1.0, len(done) / max(1, len(enabled))),
                     text=f"{escape(result.name)} 완료 ({len(done)}/{len(enabled)})")

    results = run_sources(ui.engine(), configs, on_result=progress)
    bar.empty()
    new = sum(r.new for r in results)
    failed = [r for r in results if not r.ok and not r.disabled]
    ui.flash("success" if not failed else "error",
             f"새 공고 {new}건을 찾았습니다." + (f" {len(failed)}곳은 실패했습니다: 아래 소스 상태를 보세요." if failed else ""))


def _set_status(ids: list[int], status: str, message: str) -> None:
    ui.act(radar.set_status, ids, status, success=message)


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

left, right = st.columns([3, 1])
left.caption(f"켜 둔 소스 {sum(c.enabled for c in configs)}곳 · {escape(sources_path().name)}에서 바꿉니다.")
if right.button("새로 가져오기", type="primary", key="radar_refresh", disabled=not configs):
    _refresh(configs)
    st.rerun()

frame = _postings(url, ui.stamp(url, RADAR_TABLES), st.session_state.get("radar_show_hidden", False))
f1, f2, f3, f4, f5 = st.columns([2, 2, 1, 1, 2])
sources = f1.multiselect("소스", sorted(frame["source"].unique()) if not frame.empty else [], key="radar_sources",
                         placeholder="전체")
task = f2.selectbox("작업 유형", [None, *TaskType], format_func=lambda t: "전체" if t is None else t.label,
                    key="radar_task")
remote_only = f3.checkbox("재택만", key="radar_remote")
within = f4.number_input("마감 N일 안", min_value=0, max_value=365, value=0, step=1, key="radar_within",
                         help="0이면 마감일로 거르지 않습니다.")
keyword = f5.text_input("낱말", key="radar_keyword")
st.checkbox("숨긴 공고도 보기", key="radar_show_hidden")

shown = radar.filter_postings(frame, sources=sources, task_type=task.value if task else None,
                              remote_only=remote_only, deadline_within=int(within) or None, keyword=keyword,
                              today=today)
if frame.empty:
    st.info("아직 모은 공고가 없습니다. '새로 가져오기'를 누르거나 명령줄에서 `python -m tracker.scrapers run`을 "
            "실행하세요 (README에 cron 예시가 있습니다).")
else:
    table = shown.assign(
        task_types=shown["task_types"].apply(lambda s: ", ".join(TaskType(t).label for t in s.split(",") if t)),
        pay=shown.apply(lambda r: f"{PayUnit(r.pay_unit).label} {int(r.pay_amount):,}원"
                        if r.pay_unit and not pd.isna(r.pay_amount) else "", axis=1),
        certificate=shown["certificate"].map(Certificate.labels()),
        published=pd.to_datetime(shown["published"].apply(lambda d: d.replace(tzinfo=None) if d else None)),
        deadline=pd.to_datetime(shown["deadline"]),
    )
    st.caption(f"{len(shown)}건 (새 공고 {int((shown['status'] == 'new').sum())}건)")
    st.dataframe(
        table[["status_label", "title", "organization", "published", "deadline", "pay", "task_types", "remote",
               "certificate", "source", "url"]],
        hide_index=True, width="stretch",
        column_config={
            "status_label": "상태", "title": st.column_config.TextColumn("제목", width="large"),
            "organization": "기관·출처", "published": st.column_config.DatetimeColumn("게시", format="YYYY-MM-DD HH:mm"),
            "deadline": ui.date_column("마감"), "pay": "단가", "task_types": "작업 유형",
            "remote": st.column_config.CheckboxColumn("재택"), "certificate": "자격증", "source": "소스",
            "url": st.column_config.LinkColumn("링크", display_text="열기"),
        },
    )

    labels = {int(r.id): f"[{r.status_label}] {r.title[:80]} — {r.organization or r.source}" for r in shown.itertuples()}
    posting_id = ui.pick("공고 고르기", labels, "radar_pick", empty="조건에 맞는 공고가 없습니다.")
    if posting_id is not None:
        row = shown[shown["id"] == posting_id].iloc[0]
        st.text(f"{row.title}\n{row.organization} · {row.url}")
        if row.pay_text:
            st.text(f"단가 표기: {row.pay_text}")
        b1, b2, b3 = st.columns(3)
        b1.button("저장", key="radar_save", on_click=_set_status, args=([posting_id], "saved", "공고를 저장했습니다."))
        b2.button("숨기기", key="radar_hide", on_click=_set_status, args=([posting_id], "hidden", "공고를 숨겼습니다."))
        if row.status == PostingStatus.HIDDEN:
            b3.button("다시 보이기", key="radar_unhide",
                      on_click=_set_status, args=([posting_id], "new", "공고를 다시 보이게 했습니다."))
        with st.expander("지원했어요 → 프로젝트 만들기", expanded=False):
            companies = ui.companies(url)
            options = {"__new__": f"새 회사로: {row.organization or '(이름 입력)'}"}
            options |= {str(i): n for i, n in zip(companies["id"], companies["name"])}
            match = next((str(i) for i, n in zip(companies["id"], companies["name"]) if n == row.organization), "__new__")
            st.selectbox("회사", list(options), index=list(options).index(match), format_func=options.get,
                         key="radar_apply_company")
            if st.session_state.get("radar_apply_company") == "__new__":
                st.text_input("새 회사 이름", value=row.organization, key="radar_apply_new_name")
            st.button("지원함으로 표시하고 프로젝트 만들기", key="radar_apply", on_click=_apply, args=(posting_id,))

st.subheader("소스 상태")
health = _health(url, ui.stamp(url, RADAR_TABLES))
states = {r.name: r for r in health.itertuples()} if not health.empty else {}
rows = []
for config in configs:
    state = states.get(config.name)
    reason = "" if config.enabled else "설정에서 꺼 둠"
    if config.enabled:
        reason = KINDS[config.kind](config, os.environ).disabled_reason() or ""
    rows.append({
        "name": config.name, "kind": config.kind,
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
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config={
        "name": "소스", "kind": "종류", "state": "상태",
        "last_success": st.column_config.DatetimeColumn("마지막 성공", format="YYYY-MM-DD HH:mm"),
        "items": "건수", "new": "새 공고", "failures": "연속 실패", "message": "메시지",
    })
