"""회사·플랫폼: list, add, edit, delete."""
import streamlit as st

from tracker import ledger
from tracker.errors import josa
from tracker.models.enums import CompanyKind, PayShift, WithholdingKind
from views import common as ui

FIELDS = ["name", "kind", "website", "pay_months_after", "pay_day", "pay_shift", "withholding_kind", "active",
          "notes"]


def company_fields(prefix: str, current: dict | None = None) -> None:
    cur = current or {}
    st.text_input("이름", value=cur.get("name", ""), key=prefix + "name", placeholder="예: 크라우드웍스")
    ui.enum_select("종류", CompanyKind, prefix + "kind", cur.get("kind"))
    st.text_input("웹사이트", value=cur.get("website", ""), key=prefix + "website")
    left, right = st.columns(2)
    # No min/max on the widgets: the browser would refuse out-of-range text in English and submit nothing;
    # the model refuses it with the field's Korean message instead.
    left.number_input("지급 시기: 작업월 후 몇 개월", step=1,
                      value=int(cur.get("pay_months_after", 1)), key=prefix + "pay_months_after",
                      help="0 = 당월, 1 = 다음 달")
    right.number_input("지급일 (31 = 말일)", step=1,
                       value=int(cur.get("pay_day", 10)), key=prefix + "pay_day")
    ui.enum_select("지급일이 주말·공휴일이면", PayShift, prefix + "pay_shift", cur.get("pay_shift"))
    ui.enum_select("원천징수 종류", WithholdingKind, prefix + "withholding_kind",
                   cur.get("withholding_kind") or ui.preferences(ui.url())["default_withholding_kind"])
    st.checkbox("거래 중", value=bool(cur.get("active", True)), key=prefix + "active")
    st.text_area("메모", value=cur.get("notes", ""), key=prefix + "notes")


def _add() -> None:
    data = ui.values("add_company_", FIELDS)
    ui.act(ledger.create_company, data, success=f"회사 '{data['name']}'를 추가했습니다.")


def _edit(company_id: int, prefix: str, shown: dict) -> None:
    ui.act(ledger.update_company, company_id, ui.changes(prefix, FIELDS, shown), success="회사 정보를 저장했습니다.")


def _delete(company_id: int, name: str, version: int) -> None:
    cascade = bool(st.session_state.get("delete_company_cascade"))
    ui.act(ledger.delete_company, company_id, cascade=cascade, version=version,
           success=f"회사 '{name}'를 삭제했습니다.")


st.title("회사·플랫폼")
ui.show_flash()
frame = ui.companies(ui.url())

if frame.empty:
    st.info("아직 회사가 없습니다. 아래에서 일하는 플랫폼이나 업체를 추가하세요.")
else:
    st.dataframe(
        ui.labeled(frame, {"kind": CompanyKind, "withholding_kind": WithholdingKind})[["name", "kind", "terms", "withholding_kind", "active", "projects", "website", "notes"]],
        hide_index=True, placeholder="",
        width="stretch",
        column_config={
            "name": "이름", "kind": "종류", "terms": "지급 조건", "withholding_kind": "원천징수",
            "active": st.column_config.CheckboxColumn("거래 중"), "projects": "프로젝트 수",
            "website": st.column_config.LinkColumn("웹사이트"), "notes": "메모",
        },
    )

add_tab, edit_tab, delete_tab = st.tabs(["추가", "수정", "삭제"])
with add_tab:
    with st.form("add_company", clear_on_submit=False):
        company_fields("add_company_")
        st.form_submit_button("회사 추가", on_click=_add, type="primary")

names = dict(zip(frame["id"].tolist(), frame["name"].tolist()))
with edit_tab:
    company_id = ui.pick("수정할 회사", names, "edit_company_id", empty="수정할 회사가 없습니다.")
    if company_id is not None:
        row = frame[frame["id"] == company_id].iloc[0].to_dict()
        ui.edit_form("company", row, lambda prefix, opened: company_fields(prefix, opened), _edit)

with delete_tab:
    company_id = ui.pick("삭제할 회사", names, "delete_company_id", empty="삭제할 회사가 없습니다.")
    if company_id is not None:
        deps = ledger.company_dependents(ui.engine(), company_id)
        note = f"이 회사에는 {josa(deps.describe(), '이/가')} 연결되어 있습니다." if deps else None
        version = int(frame.loc[frame["id"] == company_id, "version"].iloc[0])
        ui.confirm_delete("회사", "delete_company", _delete, (company_id, names[company_id], version), cascade_note=note,
                          name=names[company_id])
