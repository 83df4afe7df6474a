"""프로젝트: list with filters, add, edit, delete."""
import streamlit as st

from tracker import ledger
from tracker.errors import josa
from tracker.models.enums import Certificate, PayScheme, ProjectStatus, Role, TaskType
from views import common as ui

FIELDS = ["company_id", "name", "task_type", "role", "pay_scheme", "unit_price", "status", "start_date",
          "end_date", "deadline", "remote", "certificate", "notes"]
AMOUNTS = ("unit_price",)
ENUMS = {"task_type": TaskType, "role": Role, "pay_scheme": PayScheme, "status": ProjectStatus,
         "certificate": Certificate}


def project_fields(prefix: str, companies: dict[int, str], current: dict | None = None) -> None:
    cur = current or {}
    ids = list(companies)
    st.selectbox("회사", ids, index=ids.index(cur["company_id"]) if cur.get("company_id") in ids else 0,
                 format_func=companies.get, key=prefix + "company_id")
    st.text_input("프로젝트 이름", value=cur.get("name", ""), key=prefix + "name")
    a, b, c = st.columns(3)
    ui.enum_select("작업 유형", TaskType, prefix + "task_type", cur.get("task_type"), container=a)
    ui.enum_select("역할", Role, prefix + "role", cur.get("role"), container=b)
    ui.enum_select("상태", ProjectStatus, prefix + "status", cur.get("status"), container=c)
    a, b = st.columns(2)
    ui.enum_select("단가 방식", PayScheme, prefix + "pay_scheme", cur.get("pay_scheme"), container=a)
    ui.amount_input("단가 (원: 건당·시간당·총액)", prefix + "unit_price", cur.get("unit_price", 0), container=b,
                    help="단가를 바꿔도 이미 기록한 작업의 단가는 그대로입니다.")
    a, b, c = st.columns(3)
    a.date_input("시작일", value=cur.get("start_date"), key=prefix + "start_date")
    b.date_input("종료일", value=cur.get("end_date"), key=prefix + "end_date")
    c.date_input("마감일", value=cur.get("deadline"), key=prefix + "deadline")
    a, b = st.columns(2)
    a.checkbox("재택", value=bool(cur.get("remote", True)), key=prefix + "remote")
    ui.enum_select("필요 자격증", Certificate, prefix + "certificate", cur.get("certificate"), container=b)
    st.text_area("메모", value=cur.get("notes", ""), key=prefix + "notes")


def _add() -> None:
    data = ui.values("add_project_", FIELDS, AMOUNTS)
    ui.act(ledger.create_project, data, success=f"프로젝트 '{data['name']}'를 추가했습니다.")


def _edit(project_id: int, prefix: str, shown: dict) -> None:
    ui.act(ledger.update_project, project_id, ui.changes(prefix, FIELDS, shown, AMOUNTS), success="프로젝트를 저장했습니다.")


def _delete(project_id: int, name: str, version: int) -> None:
    cascade = bool(st.session_state.get("delete_project_cascade"))
    ui.act(ledger.delete_project, project_id, cascade=cascade, version=version,
           success=f"프로젝트 '{name}'를 삭제했습니다.")


st.title("프로젝트")
ui.show_flash()
url = ui.url()
companies = ui.companies(url)
company_names = dict(zip(companies["id"].tolist(), companies["name"].tolist()))

f1, f2 = st.columns(2)
with f1:
    company_filter = ui.company_picker("회사", "projects_filter_company", include_all=True, frame=companies)
with f2:
    status_filter = st.multiselect("상태", list(ProjectStatus), format_func=lambda s: s.label,
                                   key="projects_filter_status", placeholder="전체 상태")
frame = ui.projects(url, company_filter)
if status_filter:
    frame = frame[frame["status"].isin([s.value for s in status_filter])]

if frame.empty:
    st.info("조건에 맞는 프로젝트가 없습니다." if company_filter or status_filter else "아직 프로젝트가 없습니다.")
else:
    st.dataframe(
        ui.labeled(frame, ENUMS)[["company", "name", "task_type", "role", "pay_scheme", "unit_price", "status",
                                  "start_date", "end_date", "deadline", "remote", "certificate", "notes"]],
        hide_index=True, placeholder="", width="stretch",
        column_config={
            "company": "회사", "name": "프로젝트", "task_type": "유형", "role": "역할", "pay_scheme": "방식",
            "unit_price": ui.money_column("단가"), "status": "상태", "start_date": ui.date_column("시작일"),
            "end_date": ui.date_column("종료일"), "deadline": ui.date_column("마감일"), "remote": st.column_config.CheckboxColumn("재택"), "certificate": "자격증",
            "notes": "메모",
        },
    )
    st.caption(f"{len(frame)}개")

add_tab, edit_tab, delete_tab = st.tabs(["추가", "수정", "삭제"])
with add_tab:
    if not company_names:
        st.caption("프로젝트는 회사에 딸립니다. 먼저 회사를 추가하세요.")
        st.page_link("views/companies.py", label="회사 추가하러 가기", icon="🏢")
    else:
        with st.form("add_project"):
            project_fields("add_project_", company_names)
            st.form_submit_button("프로젝트 추가", on_click=_add, type="primary")

names = ui.project_labels(frame)
with edit_tab:
    project_id = ui.pick("수정할 프로젝트", names, "edit_project_id", empty="수정할 프로젝트가 없습니다.")
    if project_id is not None:
        row = frame[frame["id"] == project_id].iloc[0].to_dict()
        ui.edit_form("project", row, lambda prefix, opened: project_fields(prefix, company_names, opened), _edit)

with delete_tab:
    project_id = ui.pick("삭제할 프로젝트", names, "delete_project_id", empty="삭제할 프로젝트가 없습니다.")
    if project_id is not None:
        deps = ledger.project_dependents(ui.engine(), project_id)
        note = (f"이 프로젝트에는 {josa(deps.describe(), '이/가')} 연결되어 있습니다. 함께 삭제하면 작업 기록은 "
                "지워지고 지급 기록은 남되 프로젝트 연결만 풀립니다.") if deps else None
        version = int(frame.loc[frame["id"] == project_id, "version"].iloc[0])
        ui.confirm_delete("프로젝트", "delete_project", _delete, (project_id, names[project_id], version),
                          cascade_note=note, name=names[project_id])
