"""받을 돈: everything earned and not yet received, how late it is, who pays late; record deposits."""

import streamlit as st

from tracker import ledger
from tracker.deposits import propose_split, withholding_difference
from tracker.models.enums import WithholdingKind
from tracker.receivables import aging_summary, bucket_label, by_company
from tracker.inputs import parse_amount
from views import common as ui

SOURCE_LABELS = {"payment": "지급 기록", "unbilled": "작업 기록 기준 (지급 미기록)"}


AMOUNTS = ("net", "gross", "income_tax", "local_tax")
MAX_MONEY = 100_000_000_000


def _record(row: dict, prefix: str) -> None:
    deposit = ui.values(prefix, ["received_on", "net", "gross", "income_tax", "local_tax", "note"], AMOUNTS)
    settle = bool(st.session_state[prefix + "settle"])
    done = "입금을 기록했습니다." + (" 지급이 입금 완료로 바뀌었습니다." if settle else " 일부 입금으로 남겨 두었습니다.")
    if row["source"] == "payment":
        ui.act(ledger.record_deposit, deposit | {"payment_id": int(row["payment_id"])}, settle=settle, success=done)
    else:
        ui.act(ledger.record_unbilled_deposit, int(row["project_id"]), row["work_month"], deposit, settle=settle,
               success=done)


st.title("받을 돈")
ui.show_flash()
url, today = ui.url(), ui.today()
owed = ui.receivables(url, today)

if owed.empty:
    st.info("받을 돈이 없습니다. 작업 기록이나 아직 입금되지 않은 지급이 생기면 여기에 모입니다.")
else:
    late = owed[owed["days_late"] > 0]
    m1, m2, m3 = st.columns(3)
    m1.metric("받을 돈 (실수령 예상)", ui.krw(int(owed["outstanding"].sum())),
              help=f"{len(owed)}건. 지급 페이지의 미입금 잔액(일부 입금은 뺀 금액) + 지급 기록이 없는 작업분")
    m2.metric("그중 지급일이 지난 돈", ui.krw(int(late["outstanding"].sum())), help=f"{len(late)}건")
    unbilled = owed[owed["source"] == "unbilled"]
    m3.metric("지급 기록이 없는 작업분", ui.krw(int(unbilled["outstanding"].sum())),
              help="작업 기록으로 번 돈 중 아직 지급을 기록하지 않은 부분 (회사 지급 조건과 원천징수로 추정)")

    left, right = st.columns(2)
    with left:
        st.subheader("지연 구간")
        st.dataframe(aging_summary(owed)[["label", "count", "outstanding"]], hide_index=True, placeholder="", width="stretch",
                     column_config={"label": "구간", "count": "건수", "outstanding": ui.money_column("금액")})
    with right:
        st.subheader("회사별")
        st.dataframe(by_company(owed), hide_index=True, placeholder="", width="stretch",
                     column_config={"company": "회사", "count": "건수", "outstanding": ui.money_column("받을 돈"),
                                    "overdue": ui.money_column("지연"), "worst_days_late": "최장 지연(일)"})

    st.subheader("목록")
    shown = ui.labeled(owed, {})
    shown["source"] = shown["source"].map(SOURCE_LABELS)
    shown["bucket"] = shown["bucket"].map(bucket_label)
    st.dataframe(
        shown[["company", "project", "work_month", "expected_date", "days_late", "bucket", "expected_net",
               "received", "outstanding", "source"]],
        hide_index=True, placeholder="", width="stretch",
        column_config={
            "company": "회사", "project": "프로젝트", "work_month": st.column_config.DateColumn("작업월", format="YYYY-MM"),
            "expected_date": ui.date_column("지급 예정일"), "days_late": "지연(일)", "bucket": "구간",
            "expected_net": ui.money_column("실수령 예상"), "received": ui.money_column("일부 입금"),
            "outstanding": ui.money_column("남은 돈"), "source": "근거",
        },
    )

st.subheader("회사별 지급 신뢰도")
st.caption("제때 = 지급 예정일(주말·공휴일이면 회사 규칙대로 옮긴 날) 안에 입금. 최장 지연에는 아직 안 들어온 지급의 지연도 포함합니다.")
trust = ui.reliability(url, today)
if trust.empty:
    st.caption("지급 기록이 쌓이면 회사별로 제때 주는지 보여 드립니다.")
else:
    trust = trust.assign(on_time_share=trust["on_time_share"] * 100)
    st.dataframe(
        trust[["company", "received_count", "on_time_share", "avg_delay_days", "worst_delay_days", "overdue_count",
               "overdue"]],
        hide_index=True, placeholder="", width="stretch",
        column_config={
            "company": "회사", "received_count": "입금된 지급", "on_time_share": st.column_config.NumberColumn(
                "제때 입금 비율", format="%.0f%%"),
            "avg_delay_days": st.column_config.NumberColumn("평균 지연(일)", format="%.1f"),
            "worst_delay_days": "최장 지연(일)", "overdue_count": "지금 지연 중", "overdue": ui.money_column("지연 금액"),
        },
    )

@st.fragment
def _deposit_entry(owed, today) -> None:
    """Recording a deposit reruns only this part while typing; a recorded deposit reruns the page."""
    st.subheader("입금 기록")
    if owed.empty:
        st.caption("기록할 받을 돈이 없습니다.")
    else:
        labels = {
            i: f"{r.company} · {r.project or '—'} · {r.work_month:%Y-%m} · {r.outstanding:,}원 남음"
               + (f" ({r.days_late}일 지연)" if r.days_late else "")
            for i, r in owed.iterrows()
        }
        choice = st.selectbox("어느 돈이 들어왔나요?", list(labels), format_func=labels.get, key="deposit_choice")
        row = owed.loc[choice].to_dict()
        kind = WithholdingKind(row["withholding_kind"])
        a, b = st.columns(2)
        received_on = a.date_input("입금일", value=today, key="deposit_received_on_input")
        ui.amount_input("통장에 들어온 금액 (원)", f"deposit_net_input_{choice}", int(row["outstanding"]), container=b)
        net = parse_amount(st.session_state[f"deposit_net_input_{choice}"])
        if not isinstance(net, int) or not 1 <= net <= MAX_MONEY:
            # Refused by name; nothing is proposed, and no pre-filled amount is saved in its place.
            st.error(f"통장에 들어온 금액은 1원부터 {MAX_MONEY:,}원까지의 정수로 입력하세요.")
            return
        days = 1
        if kind == WithholdingKind.DAILY:  # 일용근로 is taxed day by day
            days = int(st.number_input("이 입금이 치른 일한 날 수", value=1, step=1, key=f"deposit_days_{choice}"))
            if not 1 <= days <= 31:  # checked in Korean, not by the widget's English tooltip
                st.error("이 입금이 치른 일한 날 수는 1일부터 31일까지 입력하세요.")
                return
        remaining_gross = int(row["gross"]) if row["received"] == 0 else None
        split = propose_split(net, kind.value, received_on, remaining_gross, days)
        st.text(f"{kind.label} 기준으로는 세전 {split.gross:,}원에서 소득세 {split.income_tax:,}원, "
                f"지방소득세 {split.local_tax:,}원을 뗀 금액으로 보입니다. 다르면 고치세요.")
        if split.note:
            st.text(split.note)
        # Keys carry the proposal, so a new amount or row shows a fresh proposal.
        prefix = f"deposit_{choice}_{net}_{received_on}_{days}_"
        c1, c2, c3 = st.columns(3)
        ui.amount_input("세전 금액", prefix + "gross", split.gross, container=c1)
        ui.amount_input("소득세 원천징수", prefix + "income_tax", split.income_tax, container=c2)
        ui.amount_input("지방소득세 원천징수", prefix + "local_tax", split.local_tax, container=c3)
        st.session_state[prefix + "net"] = net
        st.session_state[prefix + "received_on"] = received_on
        typed = ui.values(prefix, ["gross", "income_tax", "local_tax"], AMOUNTS)
        if all(isinstance(v, int) and 0 <= v <= MAX_MONEY for v in typed.values()):
            difference = withholding_difference(typed["gross"], typed["income_tax"], typed["local_tax"], kind.value,
                                                received_on, days)
            if difference:
                st.warning(f"뗀 세금이 {kind.label} 기준 예상과 {difference:+,}원 다릅니다. 지급명세서와 맞는지 확인하세요 "
                           "(장부에는 실제로 뗀 금액을 그대로 남깁니다).")
        st.checkbox("이 입금으로 지급 완료", value=net >= int(row["outstanding"]), key=prefix + "settle",
                    help="끄면 일부 입금으로 남고, 나머지는 계속 받을 돈에 남습니다.")
        st.text_input("메모", key=prefix + "note")
        if st.button("입금 기록", type="primary", key="deposit_submit"):
            _record(row, prefix)
            st.rerun()  # the whole page: the totals above changed


_deposit_entry(owed, today)
