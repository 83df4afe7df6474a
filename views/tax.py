"""세금: the year's withholding, the estimated May return, and the breakdown by payer."""
from decimal import Decimal
from functools import partial

import streamlit as st

from tracker import sheetsafe, taxyear
from tracker.tax import (
    bookkeeping_warnings,
    confirmed_figures,
    estimate_annual,
    filing_deadline,
    other_income_separate_limit,
)
from views import common as ui

UNCONFIRMED = " (미확인 값 적용)"


def _csv(frame) -> bytes:
    """The CSV download: a payer named like "=HYPERLINK(…)" is written as text ('=…), never a formula."""
    return taxyear.to_csv(sheetsafe.safe_frame(frame))


def _xlsx(frame, year: int) -> bytes:
    """The Excel download: formula-like names stored as text cells, numbers as numbers."""
    return sheetsafe.safe_xlsx(taxyear.to_xlsx(frame, year))


@st.cache_data(show_spinner=False)
def _years(url: str, stamp: tuple) -> list[int]:
    return taxyear.paid_years(ui.engine_for(url))


@st.cache_data(show_spinner=False)
def _totals(url: str, stamp: tuple, year: int) -> taxyear.YearTotals:
    return taxyear.year_totals(ui.engine_for(url), year)


@st.cache_data(show_spinner=False)
def _payers(url: str, stamp: tuple, year: int):
    return taxyear.payer_breakdown(ui.engine_for(url), year)


st.title("세금")
ui.show_flash()
url, today = ui.url(), ui.today()
stamp = ui.stamp(url, ("company", "payment", "deposit"))
years = _years(url, stamp)
if not years:
    st.info("입금된 지급이 없어 계산할 것이 없습니다. 지급을 기록하고 입금일을 넣으면 해마다 원천징수와 5월 종합소득세 "
            "예상액을 보여 드립니다.")
    st.stop()

# In the filing season (January–May) the year to look at is last year's.
default_year = today.year - 1 if today.month <= 5 else today.year
options = sorted(set(years) | {default_year}, reverse=True)
c1, c2, c3 = st.columns(3)
year = c1.selectbox("귀속 연도 (입금일 기준)", options, index=options.index(default_year), key="tax_year")
dependents = int(c2.number_input("부양가족 수 (본인 제외)", min_value=0, max_value=20, step=1, key="tax_dependents"))
own_rate = c3.checkbox("경비율 직접 입력", key="tax_own_rate",
                       help="장부를 쓰거나 기준경비율로 신고할 때처럼 단순경비율이 아닌 경비율로 계산합니다.")
expense_rate = None
if own_rate:
    percent = c3.number_input("경비율 (%)", min_value=0.0, max_value=100.0, value=60.0, step=0.1,
                              key="tax_expense_rate")
    expense_rate = Decimal(str(percent)) / 100  # 0.7 → 0.007 exactly; a float would give 0.006999…

totals = _totals(url, stamp, year)
try:
    estimate = estimate_annual(year, totals.business_gross, totals.business_income_tax, totals.business_local_tax,
                               dependents=dependents, expense_rate=expense_rate)
except LookupError as exc:
    st.error(str(exc))
    st.stop()
checked = confirmed_figures(year)

m1, m2, m3, m4 = st.columns(4)
m1.metric("사업소득 수입 (세전)", ui.krw(totals.business_gross), help="3.3% 원천징수된 지급의 합계 (입금일 기준)")
m2.metric("원천징수 소득세", ui.krw(totals.business_income_tax))
m3.metric("원천징수 지방소득세", ui.krw(totals.business_local_tax))
refund = estimate.refund_total
m4.metric("5월 예상 환급" if refund >= 0 else "5월 예상 추가 납부", ui.krw(abs(refund)),
          help="소득세와 지방소득세 합계. 아래 가정에 따른 추정치입니다.")

if year == today.year:
    st.caption(f"{year}년은 아직 진행 중입니다: {today:%m월 %d일}까지 입금된 돈으로 계산한 중간 추정입니다.")
deadline = filing_deadline(year)
st.caption(f"{year}년 귀속 종합소득세 신고·납부 기한: {deadline:%Y-%m-%d}"
           + (" (5월 31일이 주말·공휴일이라 다음 영업일)" if (deadline.month, deadline.day) != (5, 31) else ""))

prior = _totals(url, stamp, year - 1).business_gross if (year - 1) in years else None
for warning in bookkeeping_warnings(prior, totals.business_gross):
    st.warning(warning)

st.subheader("예상 계산")
expense_label = "필요경비"
if expense_rate is None:
    expense_label += (f" (단순경비율 {estimate.expense_rate_basic * 100:.1f}% / "
                      f"초과 {estimate.expense_rate_excess * 100:.1f}%)")
    if not checked["expense_rates"]:
        expense_label += UNCONFIRMED
else:
    expense_label += f" (입력 경비율 {expense_rate * 100:.1f}%)"
credit_label = "표준세액공제" + ("" if checked["standard_tax_credit"] else UNCONFIRMED)
rows = [
    ("수입금액", estimate.business_income),
    (expense_label, -estimate.expenses),
    ("소득금액", estimate.income_amount),
    (f"기본공제 ({1 + dependents}명)" + ("" if checked["basic_deduction"] else UNCONFIRMED), -estimate.deductions),
    ("과세표준", estimate.taxable_base),
    (f"산출세액 (세율 {estimate.bracket_rate * 100:.0f}% 구간)", estimate.computed_tax),
    (credit_label, -estimate.tax_credit),
    ("결정세액", estimate.determined_tax),
    ("기납부세액 (원천징수 소득세)", -estimate.withheld_income_tax),
    ("소득세 환급(+) / 납부(−)", estimate.refund_income_tax),
    (f"지방소득세 (결정세액의 {estimate.local_tax_rate * 100:.0f}%)", estimate.local_tax),
    ("기납부 지방소득세", -estimate.withheld_local_tax),
    ("지방소득세 환급(+) / 납부(−)", estimate.refund_local_tax),
]
st.dataframe({"항목": [r[0] for r in rows], "금액": [ui.krw_signed(r[1]) for r in rows]}, hide_index=True,
             width="stretch", height=(len(rows) + 1) * 35 + 3)
with st.expander("가정과 출처", expanded=False):
    for sentence in estimate.assumptions:
        st.text("• " + sentence)

if totals.other_gross:
    st.info(
        f"기타소득(8.8%) 지급액 {totals.other_gross:,}원, 기타소득금액 {totals.other_income_amount:,}원, "
        f"원천징수 {totals.other_income_tax + totals.other_local_tax:,}원은 위 계산에 넣지 않았습니다. "
        f"기타소득금액이 연 {other_income_separate_limit(year):,}원 이하면 분리과세로 끝낼 수 있고, "
        "넘으면 종합소득에 합산해 신고해야 합니다."
    )
if totals.untaxed_gross:
    st.info(f"원천징수 없이 받은 {totals.untaxed_gross:,}원은 위 계산에 넣지 않았습니다. 사업소득이라면 수입에 더해 신고하세요.")

st.subheader("지급처별 내역")
st.caption("회사가 세무서에 내는 지급명세서처럼 지급처마다 지급액과 원천징수액을 모았습니다. 홈택스 자료와 맞춰 보세요.")
payers = _payers(url, stamp, year)
st.dataframe(
    payers, hide_index=True, width="stretch",
    column_config={"company": "지급처", "withholding_kind": "소득 구분", "payments": "건수",
                   "gross": ui.money_column("지급액(세전)"), "income_tax": ui.money_column("소득세"),
                   "local_tax": ui.money_column("지방소득세"), "net": ui.money_column("실수령액"),
                   "differs": "예상과 다른 원천징수(건)"},
)
if totals.withheld_differs:
    st.warning(f"원천징수액이 통상 계산과 다른 지급이 {totals.withheld_differs}건 있습니다. 장부에는 실제로 뗀 금액이 "
               "들어 있으니, 지급명세서와 같다면 그대로 두면 됩니다.")
d1, d2 = st.columns(2)
# Built when clicked, not on every rerun.
d1.download_button("CSV로 받기", partial(_csv, payers), file_name=f"지급처별_{year}.csv", mime="text/csv",
                   key="tax_csv")
d2.download_button("Excel로 받기", partial(_xlsx, payers, year), file_name=f"지급처별_{year}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="tax_xlsx")
