"""세금: the year's withholding, the estimated May return (with wage income when the year's profile has
it), the health-insurance line, and the breakdown by payer."""
from datetime import date
from decimal import Decimal
from functools import partial

import streamlit as st

from tracker import health, sheetsafe, taxyear
from tracker import profile as profiles
from tracker.markdown import escape
from tracker.models.profile import HealthStatus, WageMode
from tracker.tax import (
    bookkeeping_warnings,
    confirmed_figures,
    estimate_annual,
    filing_deadline,
    marginal_cost,
    other_income_separate_limit,
    withhold,
)
from views import common as ui

UNCONFIRMED = " (미확인 값 적용)"
PROFILE_TABLES = ("income_profile",)


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


@st.cache_data(show_spinner=False)
def _profile(url: str, stamp: tuple, year: int) -> dict | None:
    """The year's saved profile as plain values, or None."""
    found = profiles.get(ui.engine_for(url), year)
    return None if found is None else profiles.as_dict(found, year)


def default_year(today: date) -> int:
    """The income year whose return is due next: last year's until its June deadline, then this year."""
    return today.year - 1 if today <= filing_deadline(today.year - 1) else today.year


# ---------------------------------------------------------------- the profile form


def _profile_fields(prefix: str, opened: dict) -> None:
    st.checkbox("근로소득이 있습니다 (회사에서 연말정산을 받음)", value=bool(opened.get("has_wage")), key=prefix + "has_wage")
    modes = list(WageMode)
    st.radio("근로소득 입력 방식", modes, index=modes.index(WageMode(opened.get("wage_mode") or "receipt")),
             format_func=lambda m: m.label, key=prefix + "wage_mode", horizontal=True)
    c1, c2, c3 = st.columns(3)
    ui.amount_input("과세표준 (근로소득 원천징수영수증)", prefix + "wage_taxable_base", opened.get("wage_taxable_base"),
                    container=c1, placeholder="예: 30,000,000")
    ui.amount_input("결정세액 (소득세)", prefix + "wage_determined_tax", opened.get("wage_determined_tax"), container=c2,
                    placeholder="예: 1,500,000")
    ui.amount_input("세액공제·감면 합계 (선택)", prefix + "wage_tax_credits", opened.get("wage_tax_credits"),
                    container=c3, placeholder="비우면 자동 계산",
                    help="비워 두면 '과세표준의 산출세액 − 결정세액'을 세액공제·감면으로 봅니다.")
    ui.amount_input("총급여 (간편 계산일 때)", prefix + "total_salary", opened.get("total_salary"),
                    placeholder="예: 36,000,000",
                    help="원천징수영수증이 없을 때: 총급여로 근로소득공제·기본공제·근로자 세액공제를 어림합니다.")
    left, right = st.columns(2)
    ui.enum_select("건강보험 자격", HealthStatus, prefix + "health_status", opened.get("health_status") or "none",
                   container=left)
    right.checkbox("사업자등록이 있습니다", value=bool(opened.get("business_registered")),
                   key=prefix + "business_registered")
    st.caption("근로소득이 없으면 근로소득 칸은 비워 두세요. 고른 입력 방식에 쓰지 않는 칸은 계산에 넣지 않습니다.")


def _save_profile(year: int, prefix: str, opened: dict) -> None:
    ui.act(profiles.save, year, ui.changes(prefix, profiles.FIELDS, opened, amounts=profiles.AMOUNTS),
           success=f"{year}년 소득 프로필을 저장했습니다.")


def _meter_section(url: str, today: date, year: int, totals: taxyear.YearTotals) -> None:
    """The health-insurance line for `year`: so far and (this year) forecast to December."""
    st.subheader("건강보험 선")
    holder = ui.status_profile(url, year)
    status = HealthStatus(holder["health_status"]) if holder else None
    registered = bool(holder and holder["business_registered"])
    if status == HealthStatus.NONE:
        st.caption(f"{holder['year']}년 소득 프로필의 건강보험 자격이 '지역가입자·해당 없음'이라 피부양자·직장가입자 "
                   "선은 보여 드리지 않습니다. 지역가입자 보험료는 신고한 소득으로 11월부터 다시 매겨집니다.")
        return
    if holder is None:
        st.caption("소득 프로필에 건강보험 자격이 없어 피부양자 기준으로 보여 드립니다. 위의 소득 프로필에서 "
                   "피부양자·직장가입자·지역가입자를 고르세요.")
    elif holder["year"] != year:
        st.caption(f"{holder['year']}년 소득 프로필의 건강보험 자격({status.label})을 적용했습니다.")
    if year == today.year:
        projection = ui.year_projection(url, today)
        so_far, projected, method = projection.so_far, projection.projected, projection.method
    else:
        so_far = projected = totals.business_gross
        method = f"{year}년은 끝난 해라 입금된 사업소득(3.3%) 수입 그대로입니다."
    try:
        m = health.meter(year, so_far, projected, employee=status == HealthStatus.EMPLOYEE, registered=registered)
    except LookupError as exc:
        st.warning(escape(exc))
        return
    _draw_meter(m, compact=False)
    st.caption(method)
    check = m.forecast
    st.text(check.text)
    st.caption(("기준이 확인된 값입니다" if check.confirmed else "미확인 값이 들어 있습니다") + f" (출처: {escape(check.source)}). "
               "다른 소득(근로·연금·금융 등)은 넣지 않았습니다: 피부양자 소득 합계 기준에는 그것도 더해집니다.")


def _draw_meter(m: health.Meter, *, compact: bool) -> None:
    employee = isinstance(m.now, health.EmployeeCheck)
    what = "직장가입자 보수외소득 선" if employee else ("피부양자 선 (사업자등록 있음)" if m.now.registered
                                                       else "피부양자 선")
    st.progress(min(1.0, m.share), text=f"{what}: 12월까지 예상 수입 {ui.krw(m.projected)} / 선 {ui.krw(m.line)}")
    if not compact:
        c1, c2, c3 = st.columns(3)
        c1.metric("올해 사업소득 수입 (지금까지)" if m.so_far != m.projected else "사업소득 수입", ui.krw(m.so_far))
        c2.metric("12월까지 예상 수입", ui.krw(m.projected))
        c3.metric("남은 여유 (수입)", ui.krw(m.now.revenue_headroom),
                  help="지금까지 수입에서 이만큼 더 벌어도 선을 넘지 않습니다.")
    show = st.warning if m.level in ("over", "over_forecast", "near") else st.caption
    show(m.sentence)


def _estimate_rows(estimate, dependents: int, checked: dict, expense_rate, wage, totals) -> list[tuple[str, int]]:
    expense_label = "필요경비"
    if expense_rate is None:
        expense_label += (f" (단순경비율 {estimate.expense_rate_basic * 100:.1f}% / "
                          f"초과 {estimate.expense_rate_excess * 100:.1f}%)")
        if not checked["expense_rates"]:
            expense_label += UNCONFIRMED
    else:
        expense_label += f" (입력 경비율 {expense_rate * 100:.1f}%)"
    if wage is None:
        credit_label = "표준세액공제" + ("" if checked["standard_tax_credit"] else UNCONFIRMED)
        return [
            ("수입금액", estimate.business_income),
            (expense_label, -estimate.expenses),
            ("소득금액", estimate.income_amount),
            (f"기본공제 ({1 + dependents}명)" + ("" if checked["basic_deduction"] else UNCONFIRMED),
             -estimate.deductions),
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
    # With wages: what was prepaid follows from the estimate itself (refund = prepaid − determined), so
    # these rows add up whatever the estimate counted in.
    prepaid = estimate.determined_tax + estimate.refund_income_tax
    prepaid_local = estimate.local_tax + estimate.refund_local_tax
    return [
        ("사업소득 수입금액", estimate.business_income),
        (expense_label, -estimate.expenses),
        ("사업소득금액", estimate.income_amount),
        ("근로소득 과세표준 (연말정산)", int(wage.taxable_base)),
        ("과세표준 (연말정산 과세표준 + 사업소득금액)", estimate.taxable_base),
        (f"산출세액 (세율 {estimate.bracket_rate * 100:.0f}% 구간)", estimate.computed_tax),
        ("세액공제·감면 (연말정산 그대로)", -(estimate.computed_tax - estimate.determined_tax)),
        ("결정세액", estimate.determined_tax),
        ("기납부세액 (연말정산 결정세액)", -(prepaid - totals.business_income_tax)),
        ("기납부세액 (원천징수 소득세)", -totals.business_income_tax),
        ("소득세 환급(+) / 납부(−)", estimate.refund_income_tax),
        (f"지방소득세 (결정세액의 {estimate.local_tax_rate * 100:.0f}%)", estimate.local_tax),
        ("기납부 지방소득세 (연말정산)", -(prepaid_local - totals.business_local_tax)),
        ("기납부 지방소득세 (원천징수)", -totals.business_local_tax),
        ("지방소득세 환급(+) / 납부(−)", estimate.refund_local_tax),
    ]


def _wage_method(saved: dict, wage) -> str:
    if WageMode(saved["wage_mode"]) == WageMode.QUICK:
        source = (f"총급여 {int(saved['total_salary']):,}원에서 근로소득공제·기본공제(본인)·근로자 세액공제로 연말정산을 "
                  f"어림했습니다(과세표준 {int(wage.taxable_base):,}원, 결정세액 {int(wage.determined_tax):,}원; "
                  "data 파일의 값이며 미확인 값이 들어 있을 수 있습니다). ")
    else:
        credits = ("산출세액 − 결정세액" if saved.get("wage_tax_credits") is None
                   else f"입력한 합계 {int(saved['wage_tax_credits']):,}원")
        source = (f"근로소득 원천징수영수증의 과세표준 {int(saved['wage_taxable_base']):,}원, 결정세액 "
                  f"{int(saved['wage_determined_tax']):,}원으로 계산했습니다. 세액공제·감면은 {credits}입니다. ")
    return (source + "방법: 합산 과세표준 = 연말정산 과세표준 + 사업소득금액(기본공제는 이미 연말정산에 들어 있어 다시 빼지 "
            "않음), 그해 세율표로 산출세액, 연말정산의 세액공제·감면은 그대로, 근로소득이 있어 표준세액공제는 없음, "
            "기납부세액 = 연말정산 결정세액 + 원천징수 3%, 지방소득세는 10%씩 같은 방식으로 정산. 가정: 실제 신고는 "
            "근로소득세액공제를 근로소득 몫으로 다시 계산하므로 결과가 조금 다를 수 있습니다.")


st.title("세금")
ui.show_flash()
url, today = ui.url(), ui.today()
stamp = ui.stamp(url, ("company", "payment", "deposit"))
profile_stamp = ui.stamp(url, PROFILE_TABLES)
years = _years(url, stamp)
if not years:
    st.info("입금된 지급이 없어 계산할 것이 없습니다. 지급을 기록하고 입금일을 넣으면 해마다 원천징수와 5월 종합소득세 "
            "예상액을 보여 드립니다.")
    st.page_link("views/payments.py", label="지급 기록하러 가기", icon="💰")

first = default_year(today)
options = sorted(set(years) | {first}, reverse=True)
c1, c2, c3 = st.columns(3)
year = c1.selectbox("귀속 연도 (입금일 기준)", options, index=options.index(first), key="tax_year",
                    help="처음에는 다음에 신고할 해가 열립니다: 6월 신고 기한까지는 지난해, 그 뒤로는 올해.")
# Bounds are checked here in Korean: a widget's own min/max would refuse typed text with an English tooltip.
dependents = int(c2.number_input("부양가족 수 (본인 제외)", step=1, key="tax_dependents"))
if not 0 <= dependents <= 20:
    st.error("부양가족 수는 0명부터 20명까지 입력하세요.")
    st.stop()
own_rate = c3.checkbox("경비율 직접 입력", key="tax_own_rate",
                       help="장부를 쓰거나 기준경비율로 신고할 때처럼 단순경비율이 아닌 경비율로 계산합니다.")
expense_rate = None
if own_rate:
    percent = c3.number_input("경비율 (%)", value=60.0, step=0.1, key="tax_expense_rate")
    if not 0 <= percent <= 100:
        st.error("경비율은 0%부터 100%까지 입력하세요.")
        st.stop()
    expense_rate = Decimal(str(percent)) / 100  # 0.7 → 0.007 exactly; a float would give 0.006999…

saved = _profile(url, profile_stamp, year)
with st.expander(f"{year}년 소득 프로필: 근로소득·건강보험·사업자등록", expanded=saved is None):
    st.text(profiles.wage_summary(saved))
    shown = {**(saved or profiles.defaults(year)), "id": year}
    ui.edit_form("profile", shown, _profile_fields, _save_profile)
if not years and not (saved and saved["has_wage"]):
    st.stop()

totals = _totals(url, stamp, year)
try:
    wage = profiles.wage_income(saved)  # None without wage income
    estimate = estimate_annual(year, totals.business_gross, totals.business_income_tax, totals.business_local_tax,
                               dependents=dependents, expense_rate=expense_rate, wage=wage)
except LookupError as exc:
    st.error(escape(exc))
    st.stop()
checked = confirmed_figures(year)

m1, m2, m3, m4 = st.columns(4)
m1.metric("사업소득 수입 (세전)", ui.krw(totals.business_gross), help="3.3% 원천징수된 지급의 합계 (입금일 기준)")
m2.metric("원천징수 소득세", ui.krw(totals.business_income_tax))
m3.metric("원천징수 지방소득세", ui.krw(totals.business_local_tax))
refund = estimate.refund_total
m4.metric("5월 예상 환급" if refund >= 0 else "5월 예상 추가 납부", ui.krw(abs(refund)),
          help="소득세와 지방소득세 합계" + (" (근로소득과 합산)" if wage is not None else "")
          + ". 아래 가정에 따른 추정치입니다.")
if wage is not None:
    st.caption(_wage_method(saved, wage))

cost = marginal_cost(year, totals.business_gross, totals.business_income_tax, totals.business_local_tax,
                     dependents=dependents, expense_rate=expense_rate, wage=wage, extra=100_000)
at_source = withhold(100_000, "business", date(year, 12, 31)).total
bracket = f"소득세 {estimate.bracket_rate * 100:.0f}% 구간, 지방소득세 포함"
if cost >= 0:
    st.text(f"₩100,000 더 벌면 5월에 약 ₩{cost:,}를 더 냅니다 ({bracket}; 지급할 때 떼는 3.3% ₩{at_source:,}는 별도, "
            f"합쳐 세금 약 ₩{cost + at_source:,}).")
else:  # the tax on it is less than what is withheld from it: part of that comes back in May
    st.text(f"₩100,000 더 벌면 지급할 때 떼는 3.3% ₩{at_source:,} 중 약 ₩{-cost:,}는 5월에 돌려받습니다 ({bracket}; "
            f"세금은 약 ₩{max(0, cost + at_source):,}).")

if year == today.year:
    st.caption(f"{year}년은 아직 진행 중입니다: {today:%m월 %d일}까지 입금된 돈으로 계산한 중간 추정입니다.")
deadline = filing_deadline(year)
st.caption(f"{year}년 귀속 종합소득세 신고·납부 기한: {deadline:%Y-%m-%d}"
           + (" (5월 31일이 주말·공휴일이라 다음 영업일)" if (deadline.month, deadline.day) != (5, 31) else ""))

prior = _totals(url, stamp, year - 1).business_gross if (year - 1) in years else None
for warning in bookkeeping_warnings(prior, totals.business_gross):
    st.warning(warning)

st.subheader("예상 계산")
rows = _estimate_rows(estimate, dependents, checked, expense_rate, wage, totals)
st.dataframe({"항목": [r[0] for r in rows], "금액": [ui.krw_signed(r[1]) for r in rows]}, hide_index=True, placeholder="",
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
if totals.daily_gross:
    st.info(f"일용근로소득 {totals.daily_gross:,}원(원천징수 소득세 {totals.daily_income_tax:,}원, 지방소득세 "
            f"{totals.daily_local_tax:,}원)은 원천징수로 끝나는 분리과세 소득이라 5월 종합소득세 신고와 위 계산에 "
            "넣지 않았습니다.")
if totals.untaxed_gross:
    st.info(f"원천징수 없이 받은 {totals.untaxed_gross:,}원은 위 계산에 넣지 않았습니다. 사업소득이라면 수입에 더해 신고하세요.")

_meter_section(url, today, year, totals)

st.subheader("지급처별 내역")
st.caption("회사가 세무서에 내는 지급명세서처럼 지급처마다 지급액과 원천징수액을 모았습니다. 홈택스 자료와 맞춰 보세요.")
payers = _payers(url, stamp, year)
st.dataframe(
    payers, hide_index=True, placeholder="", width="stretch",
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
