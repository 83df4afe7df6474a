"""작업 기록: a day's work per project; the project's unit price is frozen into each entry.

The table shows one page of entries (the newest PAGE_SIZE, or one month's), read with the filters and
the paging in SQL; the totals above it are SQL sums over everything the filters keep."""
import streamlit as st

from tracker import ledger, quicklog
from tracker.models.enums import PayScheme
from tracker.queries import PAGE_SIZE
from views import common as ui

FIELDS = ["project_id", "work_date", "minutes", "items_submitted", "items_rejected", "note"]
AMOUNTS = ("items_submitted", "items_rejected", "rate")


def worklog_fields(prefix: str, projects: dict[int, str], current: dict | None = None) -> None:
    cur = current or {}
    ids = list(projects)
    st.selectbox("프로젝트", ids, index=ids.index(cur["project_id"]) if cur.get("project_id") in ids else 0,
                 format_func=projects.get, key=prefix + "project_id")
    a, b = st.columns(2)
    a.date_input("작업일", value=cur.get("work_date", ui.today()), key=prefix + "work_date")
    # No min/max on the widget: the model refuses an out-of-range time with the field's Korean message
    # (a widget bound would refuse it with an English tooltip and submit nothing).
    b.number_input("작업 시간(분)", step=10, value=int(cur.get("minutes", 0)),
                   key=prefix + "minutes", help="하루 모든 작업 기록의 합은 1,440분(24시간)을 넘을 수 없습니다.")
    a, b = st.columns(2)
    ui.amount_input("제출 건수", prefix + "items_submitted", cur.get("items_submitted", 0), container=a,
                    placeholder="예: 120")
    ui.amount_input("반려 건수", prefix + "items_rejected", cur.get("items_rejected", 0), container=b,
                    placeholder="예: 3")
    if "rate" in cur:
        ui.amount_input("적용 단가(원)", prefix + "rate", cur["rate"],
                        help="기록할 때의 프로젝트 단가입니다. 프로젝트 단가를 바꿔도 이 값은 그대로입니다.")
    st.text_input("메모", value=cur.get("note", ""), key=prefix + "note")


def _add() -> None:
    """Save the new entry once (the same entry again within seconds is refused: a double click), then
    empty the time, counts and note for the next one; a refused entry keeps what was typed."""
    data = ui.values("add_worklog_", FIELDS, AMOUNTS)
    if ui.act(lambda engine, values: quicklog.save(engine, values), data, success="작업 기록을 추가했습니다."):
        st.session_state["add_worklog_minutes"] = 0
        for field in ("items_submitted", "items_rejected", "note"):
            st.session_state["add_worklog_" + field] = ""


def _edit(worklog_id: int, prefix: str, shown: dict) -> None:
    ui.act(ledger.update_worklog, worklog_id, ui.changes(prefix, [*FIELDS, "rate"], shown, AMOUNTS),
           success="작업 기록을 저장했습니다.")


def _delete(worklog_id: int, version: int) -> None:
    ui.act(ledger.delete_worklog, worklog_id, version=version, success="작업 기록을 삭제했습니다.")


st.title("작업 기록")
ui.show_flash()
url = ui.url()

projects = ui.projects(url)  # one read for the filter and the forms
project_names = dict(zip(projects["id"].tolist(), (projects["company"] + " · " + projects["name"]).tolist()))
f1, f2, f3 = st.columns(3)
with f1:
    companies = ui.companies(url)
    company_names = dict(zip(companies["id"].tolist(), companies["name"].tolist()))
    company_filter = st.selectbox("회사", [None, *company_names], key="worklogs_filter_company",
                                  format_func=lambda i: "전체" if i is None else company_names[i])
with f2:
    shown = project_names if company_filter is None else {
        i: project_names[i] for i in projects.loc[projects["company_id"] == company_filter, "id"].tolist()}
    project_filter = st.selectbox("프로젝트", [None, *shown], format_func=lambda i: "전체" if i is None else shown[i],
                                  key="worklogs_filter_project")
_, months = ui.worklog_summary(url, company_filter, project_filter)
with f3:
    month_filter = ui.month_picker("작업월", "worklogs_filter_month", months)
filters = (company_filter, project_filter, month_filter)
if st.session_state.get("_worklogs_filters") != filters:  # new filters start from the newest entries
    st.session_state["_worklogs_filters"] = filters
    st.session_state["worklogs_offset"] = 0
totals, _ = ui.worklog_summary(url, company_filter, project_filter, month_filter)
offset = int(st.session_state.get("worklogs_offset", 0))
if offset >= totals.entries:  # fewer entries than when the page was turned: the last page
    offset = max(0, (totals.entries - 1) // PAGE_SIZE * PAGE_SIZE)
frame = ui.worklogs(url, company_filter, project_filter, PAGE_SIZE, month=month_filter, offset=offset)

if frame.empty:
    st.info("조건에 맞는 작업 기록이 없습니다." if (company_filter or project_filter or month_filter)
            else "아직 작업 기록이 없습니다.")
else:
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("기록", f"{totals.entries:,}건")
    m2.metric("작업 시간", f"{totals.minutes / 60:,.1f}시간")
    m3.metric("제출 / 반려", f"{totals.submitted:,} / {totals.rejected:,}")
    m4.metric("수입(세전)", ui.krw(totals.earnings))
    st.dataframe(
        ui.labeled(frame, {"pay_scheme": PayScheme})[
            ["work_date", "company", "project", "minutes", "items_submitted", "items_rejected", "pay_scheme",
             "rate", "earnings", "note"]
        ],
        hide_index=True, width="stretch", placeholder="",
        column_config={
            "work_date": ui.date_column("작업일"), "company": "회사", "project": "프로젝트", "minutes": "분",
            "items_submitted": "제출", "items_rejected": "반려", "pay_scheme": "방식",
            "rate": ui.money_column("적용 단가"), "earnings": ui.money_column("수입"), "note": "메모",
        },
    )
    ui.pager("worklogs", offset, len(frame), totals.entries, newest="최근 작업일부터", size=PAGE_SIZE)

add_tab, edit_tab, delete_tab = st.tabs(["추가", "수정", "삭제"])
with add_tab:
    if not project_names:
        st.caption("작업 기록은 프로젝트마다 남깁니다. 먼저 프로젝트를 추가하세요.")
        st.page_link("views/projects.py", label="프로젝트 추가하러 가기", icon="🗂️")
    else:
        with st.form("add_worklog"):
            worklog_fields("add_worklog_", project_names)
            st.caption("적용 단가는 지금의 프로젝트 단가로 기록됩니다.")
            st.form_submit_button("작업 기록 추가", on_click=_add, type="primary")

labels = {int(i): f"{d} · {p} · {m}분" for i, d, p, m in zip(frame["id"], frame["work_date"], frame["project"],
                                                              frame["minutes"])}
with edit_tab:
    worklog_id = ui.pick("수정할 기록 (위 표에 보이는 기록)", labels, "edit_worklog_id", empty="수정할 기록이 없습니다.")
    if worklog_id is not None:
        row = frame[frame["id"] == worklog_id].iloc[0].to_dict()
        ui.edit_form("worklog", row, lambda prefix, opened: worklog_fields(prefix, project_names, opened), _edit)

with delete_tab:
    worklog_id = ui.pick("삭제할 기록 (위 표에 보이는 기록)", labels, "delete_worklog_id", empty="삭제할 기록이 없습니다.")
    if worklog_id is not None:
        version = int(frame.loc[frame["id"] == worklog_id, "version"].iloc[0])
        ui.confirm_delete("기록", "delete_worklog", _delete, (worklog_id, version), cascade_note=None,
                          name=labels[worklog_id])
