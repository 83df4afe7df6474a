"""지급: what each company paid or owes, per work month; status comes from the dates.

The table shows one page of payments (the newest PAGE_SIZE, or one work month's), read with the
filters and the paging in SQL; the totals above it are SQL sums over everything the filters keep.
The entry form is a fragment: typing in it reruns only the form, not the page."""
import pandas as pd
import streamlit as st

from tracker import ledger
from tracker.models.enums import PaymentStatus, WithholdingKind
from tracker.queries import PAGE_SIZE
from tracker.tax import withhold
from views import common as ui

FIELDS = ["company_id", "project_id", "work_month", "gross", "income_tax", "local_tax", "net", "expected_date",
          "received_date", "note"]
AMOUNTS = ("gross", "income_tax", "local_tax", "net")
MAX_MONEY = 100_000_000_000


def payment_fields(prefix: str, companies: dict[int, str], projects, current: dict | None = None) -> None:
    cur = current or {}
    ids = list(companies)
    company_id = st.selectbox("회사", ids, index=ids.index(cur["company_id"]) if cur.get("company_id") in ids else 0,
                              format_func=companies.get, key=prefix + "company_id")
    own = projects[projects["company_id"] == company_id]
    options = [None, *[int(i) for i in own["id"]]]
    names = dict(zip(own["id"].tolist(), own["name"].tolist()))
    st.selectbox("프로젝트 (선택)", options, index=options.index(cur.get("project_id")) if cur.get("project_id") in options else 0,
                 format_func=lambda i: "—" if i is None else names[i], key=prefix + "project_id")
    a, b = st.columns(2)
    a.date_input("작업월 (그 달의 아무 날)", value=cur.get("work_month", ui.today().replace(day=1)),
                 key=prefix + "work_month")
    ui.amount_input("지급액 (세전, 원)", prefix + "gross", cur.get("gross"), container=b, placeholder="예: 450,000")
    a, b, c = st.columns(3)
    ui.amount_input("소득세 원천징수액", prefix + "income_tax", cur.get("income_tax", 0), container=a)
    ui.amount_input("지방소득세 원천징수액", prefix + "local_tax", cur.get("local_tax", 0), container=b)
    ui.amount_input("실수령액", prefix + "net", cur.get("net"), container=c, placeholder="예: 435,150",
                    help="지급액 − 소득세 − 지방소득세. 통장에 들어온 (들어올) 금액입니다.")
    a, b = st.columns(2)
    a.date_input("지급 예정일 (비우면 회사 지급 조건으로)", value=cur.get("expected_date"), key=prefix + "expected_date",
                 help="비워 두면 회사의 지급 조건(예: 다음 달 10일, 휴일이면 옮김)으로 계산한 날짜를 저장합니다.")
    b.date_input("입금일 (아직이면 비움)", value=cur.get("received_date"), key=prefix + "received_date")
    st.text_input("메모", value=cur.get("note", ""), key=prefix + "note")


def _edit(payment_id: int, prefix: str, shown: dict) -> None:
    ui.act(ledger.update_payment, payment_id, ui.changes(prefix, FIELDS, shown, AMOUNTS), success="지급을 저장했습니다.")


def _delete(payment_id: int, version: int) -> None:
    ui.act(ledger.delete_payment, payment_id, version=version, success="지급 기록을 삭제했습니다.")


@st.fragment
def _entry(company_names: dict[int, str], projects: pd.DataFrame, today) -> None:
    """New payment: its inputs rerun only this fragment; a save reruns the page so the table shows it."""
    with st.expander("세전 금액으로 원천징수 계산하기"):
        gross = st.number_input("지급액 (세전)", min_value=0, max_value=MAX_MONEY, step=1000, key="payment_calc_gross")
        kind = ui.enum_select("원천징수 종류", WithholdingKind, "payment_calc_kind", None)
        expected = withhold(int(gross), kind.value, today)
        st.text(f"소득세 {expected.income_tax:,}원 · 지방소득세 {expected.local_tax:,}원 · 실수령 {expected.net:,}원 "
                "(플랫폼마다 다를 수 있으니 실제 뗀 금액을 입력하세요)")
    # Not an st.form: the project list has to follow the chosen company as it changes.
    payment_fields("add_payment_", company_names, projects)
    if st.button("지급 기록", type="primary", key="add_payment_button"):
        if ui.act(ledger.create_payment, ui.values("add_payment_", FIELDS, AMOUNTS), success="지급을 기록했습니다."):
            st.rerun()  # the whole page: the new row, the totals, the toast
        ui.show_flash()  # refused: the reason, here by the form


st.title("지급")
ui.show_flash()
url = ui.url()
today = ui.today()
companies = ui.companies(url)
company_names = dict(zip(companies["id"].tolist(), companies["name"].tolist()))

projects = ui.projects(url)  # one read for the filter and the forms
project_names = dict(zip(projects["id"].tolist(), (projects["company"] + " · " + projects["name"]).tolist()))
f1, f2, f3 = st.columns(3)
with f1:
    company_filter = st.selectbox("회사", [None, *company_names], key="payments_filter_company",
                                  format_func=lambda i: "전체" if i is None else company_names[i])
with f2:
    shown = project_names if company_filter is None else {
        i: project_names[i] for i in projects.loc[projects["company_id"] == company_filter, "id"].tolist()}
    project_filter = st.selectbox("프로젝트", [None, *shown], format_func=lambda i: "전체" if i is None else shown[i],
                                  key="payments_filter_project")
_, months = ui.payment_summary(url, today, company_filter, project_filter)
with f3:
    month_filter = ui.month_picker("작업월", "payments_filter_month", months)
filters = (company_filter, project_filter, month_filter)
if st.session_state.get("_payments_filters") != filters:  # new filters start from the newest payments
    st.session_state["_payments_filters"] = filters
    st.session_state["payments_offset"] = 0
totals, _ = ui.payment_summary(url, today, company_filter, project_filter, month_filter)
offset = int(st.session_state.get("payments_offset", 0))
if offset >= totals.count:  # fewer payments than when the page was turned: the last page
    offset = max(0, (totals.count - 1) // PAGE_SIZE * PAGE_SIZE)
frame = ui.payments(url, today, company_filter, project_filter, month=month_filter, limit=PAGE_SIZE, offset=offset)

if frame.empty:
    st.info("조건에 맞는 지급이 없습니다." if (company_filter or project_filter or month_filter)
            else "아직 지급 기록이 없습니다.")
else:
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("실수령액 합계", ui.krw(totals.net), help="입금 예정분 포함")
    m2.metric("지급액(세전) 합계", ui.krw(totals.gross))
    m3.metric("원천징수 합계", ui.krw(totals.income_tax + totals.local_tax))
    m4.metric("미입금 잔액", ui.krw(totals.outstanding),
              delta=f"{totals.late}건 지연" if totals.late else None, delta_color="inverse",
              help="아직 입금 완료되지 않은 지급의 실수령액에서 일부 입금된 돈을 뺀 금액 (받을 돈 페이지의 지급 기록분과 같음)")
    st.dataframe(
        ui.labeled(frame, {"status": PaymentStatus})[
            ["work_month", "company", "project", "gross", "income_tax", "local_tax", "net", "expected_date",
             "received_date", "status", "days_late", "deposited", "outstanding", "note"]
        ],
        hide_index=True, width="stretch", placeholder="",
        column_config={
            "work_month": st.column_config.DateColumn("작업월", format="YYYY-MM"), "company": "회사",
            "project": "프로젝트", "gross": ui.money_column("지급액"), "income_tax": ui.money_column("소득세"),
            "local_tax": ui.money_column("지방소득세"), "net": ui.money_column("실수령액"),
            "expected_date": ui.date_column("예정일"), "received_date": ui.date_column("입금일"), "status": "상태", "days_late": "지연(일)",
            "deposited": ui.money_column("입금된 돈"), "outstanding": ui.money_column("미입금 잔액"), "note": "메모",
        },
    )
    ui.pager("payments", offset, len(frame), totals.count, newest="최근 작업월부터", size=PAGE_SIZE)
    st.caption("입금은 받을 돈 페이지에서 나눠 들어온 금액까지 기록합니다.")
    st.page_link("views/receivables.py", label="받을 돈 페이지에서 입금 기록하기", icon="⏳")

add_tab, edit_tab, delete_tab = st.tabs(["추가", "수정", "삭제"])
with add_tab:
    if not company_names:
        st.caption("지급은 회사마다 기록합니다. 먼저 회사를 추가하세요.")
        st.page_link("views/companies.py", label="회사 추가하러 가기", icon="🏢")
    else:
        _entry(company_names, projects, today)

labels = {int(i): f"{m:%Y-%m} · {c} · {p or '—'} · {n:,}원" for i, m, c, p, n in
          zip(frame["id"], frame["work_month"], frame["company"], frame["project"], frame["net"])}
with edit_tab:
    payment_id = ui.pick("수정할 지급 (위 표에 보이는 지급)", labels, "edit_payment_id", empty="수정할 지급이 없습니다.")
    if payment_id is not None:
        row = frame[frame["id"] == payment_id].iloc[0].to_dict()
        row["project_id"] = None if pd.isna(row["project_id"]) else int(row["project_id"])
        ui.edit_form("payment", row, lambda prefix, opened: payment_fields(prefix, company_names, projects, opened),
                     _edit, form=False)

with delete_tab:
    payment_id = ui.pick("삭제할 지급 (위 표에 보이는 지급)", labels, "delete_payment_id", empty="삭제할 지급이 없습니다.")
    if payment_id is not None:
        version = int(frame.loc[frame["id"] == payment_id, "version"].iloc[0])
        ui.confirm_delete("지급", "delete_payment", _delete, (payment_id, version), cascade_note=None,
                          name=labels[payment_id])
