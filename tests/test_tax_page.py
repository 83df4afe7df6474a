"""The 세금 page with the income profile, the combined estimate, the marginal cost and the
health-insurance meter; the dashboard's compact meter; the year the page opens on."""
from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import click, metric, open_page
from tracker import health, ledger, profile
from tracker.db import connect
from tracker.ledger import STALE
from tracker.tax import WageIncome, estimate_annual, marginal_cost

RECEIPT_2024 = {"has_wage": True, "wage_mode": "receipt", "wage_taxable_base": 30_000_000,
                "wage_determined_tax": 1_500_000, "health_status": "employee"}


def breakdown(at: AppTest) -> dict[str, str]:
    return dict(zip(at.dataframe[0].value["항목"], at.dataframe[0].value["금액"]))


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def progress_texts(at: AppTest) -> list[str]:
    return [p.proto.text for p in at.progress]


@pytest.fixture
def side_income_2024(app_db):
    """The issue's example: ₩12,000,000 of 3.3% income received in 2024 (360,000 + 36,000 withheld)."""
    engine = connect(app_db)
    company = ledger.create_company(engine, {"name": "크라우드웍스"})
    payment = ledger.create_payment(engine, {"company_id": company, "work_month": date(2024, 5, 1),
                                             "gross": 12_000_000, "income_tax": 360_000, "local_tax": 36_000,
                                             "net": 11_604_000})
    ledger.record_deposit(engine, {"payment_id": payment, "received_on": date(2024, 6, 10), "gross": 12_000_000,
                                   "income_tax": 360_000, "local_tax": 36_000, "net": 11_604_000})
    yield engine
    engine.dispose()


def test_the_empty_page_offers_the_profile_form_and_saves_it(app_db):
    at = open_page("views/tax.py")
    assert not at.error
    assert at.selectbox(key="tax_year").value == 2026  # 2026-11-22: the 2025 return was due 2026-06-01
    prefix = "edit_profile_2026_1_"
    at.checkbox(key=prefix + "has_wage").check()
    at.text_input(key=prefix + "wage_taxable_base").input("30,000,000")
    at.text_input(key=prefix + "wage_determined_tax").input("1,500,000원")
    at.selectbox(key=prefix + "health_status").set_value(profile.HealthStatus.DEPENDENT)
    click(at, "저장")
    assert [s.value for s in at.success] == ["2026년 소득 프로필을 저장했습니다."]
    saved = profile.get(connect(app_db), 2026)
    assert (saved.has_wage, saved.wage_taxable_base, saved.wage_determined_tax, saved.wage_tax_credits,
            saved.health_status, saved.version) == (True, 30_000_000, 1_500_000, None, "dependent", 1)
    assert "2026년 소득 프로필 — 근로소득: 과세표준 30,000,000원, 결정세액 1,500,000원 (원천징수영수증) · " \
           "건강보험 피부양자 · 사업자등록 없음" in texts(at)


def test_a_refused_profile_shows_its_message_and_saves_nothing(app_db):
    at = open_page("views/tax.py")
    prefix = "edit_profile_2026_1_"
    at.checkbox(key=prefix + "has_wage").check()
    at.text_input(key=prefix + "wage_taxable_base").input("1" + "0" * 30)
    click(at, "저장")
    assert [e.value for e in at.error] == ["근로소득 과세표준은 100,000,000,000원 이하여야 합니다."]
    assert profile.get(connect(app_db), 2026) is None


def test_a_stale_profile_edit_is_refused_through_the_page(side_income_2024):
    engine = side_income_2024
    profile.save(engine, 2024, RECEIPT_2024)
    at = open_page("views/tax.py")
    at.selectbox(key="tax_year").set_value(2024).run()
    profile.save(engine, 2024, {"wage_determined_tax": 1_400_000, "version": 1})  # another tab, meanwhile
    prefix = "edit_profile_2024_2_"  # the form opened for 2026 first, then for 2024
    at.checkbox(key=prefix + "business_registered").check()
    click(at, "저장")
    assert [e.value for e in at.error] == [STALE]
    row = profile.get(engine, 2024)
    assert (row.wage_determined_tax, row.business_registered, row.version) == (1_400_000, False, 2)


def test_the_issue_example_with_a_receipt_profile(side_income_2024):
    profile.save(side_income_2024, 2024, RECEIPT_2024)
    at = open_page("views/tax.py")
    at.selectbox(key="tax_year").set_value(2024).run()
    assert not at.exception and not at.error
    assert metric(at, "사업소득 수입 (세전)") == "₩12,000,000"
    # 286,200 more income tax + 28,620 more local tax.
    assert metric(at, "5월 예상 추가 납부") == "₩314,820"
    rows = breakdown(at)
    assert rows["사업소득금액"] == "₩4,308,000"
    assert rows["근로소득 과세표준 (연말정산)"] == "₩30,000,000"
    assert rows["과세표준 (연말정산 과세표준 + 사업소득금액)"] == "₩34,308,000"
    assert rows["산출세액 (세율 15% 구간)"] == "₩3,886,200"
    assert rows["세액공제·감면 (연말정산 그대로)"] == "−₩1,740,000"
    assert rows["결정세액"] == "₩2,146,200"
    assert rows["기납부세액 (연말정산 결정세액)"] == "−₩1,500,000"
    assert rows["기납부세액 (원천징수 소득세)"] == "−₩360,000"
    assert rows["소득세 환급(+) / 납부(−)"] == "−₩286,200"
    assert rows["지방소득세 (결정세액의 10%)"] == "₩214,620"
    assert rows["기납부 지방소득세 (연말정산)"] == "−₩150,000"
    assert rows["기납부 지방소득세 (원천징수)"] == "−₩36,000"
    assert rows["지방소득세 환급(+) / 납부(−)"] == "−₩28,620"
    assert "표준세액공제" not in " ".join(rows)
    assert any(c.value.startswith("근로소득 원천징수영수증의 과세표준 30,000,000원, 결정세액 1,500,000원으로 계산했습니다.")
               and "기본공제는 이미 연말정산에 들어 있어 다시 빼지 않음" in c.value for c in at.caption)
    # 12,100,000 of 수입: 소득금액 +35,900 → 결정세액 +5,385, 지방 +538, less the 3,300 withheld from it.
    cost = marginal_cost(2024, 12_000_000, 360_000, 36_000, wage=WageIncome(30_000_000, 1_500_000))
    assert cost == 2_623
    assert ("₩100,000 더 벌면 5월에 약 ₩2,623를 더 냅니다 (소득세 15% 구간, 지방소득세 포함; 지급할 때 떼는 3.3% "
            "₩3,300는 별도, 합쳐 세금 약 ₩5,923).") in texts(at)


def test_without_a_profile_the_estimate_is_side_income_only(side_income_2024):
    at = open_page("views/tax.py")
    at.selectbox(key="tax_year").set_value(2024).run()
    expected = estimate_annual(2024, 12_000_000, 360_000, 36_000)
    assert expected.refund_total > 0
    assert metric(at, "5월 예상 환급") == f"₩{expected.refund_total:,}"
    assert "표준세액공제" in " ".join(breakdown(at))
    # 6% bracket: 100,000 more adds 35,900 of 소득금액 → 2,154 + 215 local = 2,369 of tax, less than the 3,300
    # withheld from it, so 931 of that comes back in May.
    assert marginal_cost(2024, 12_000_000, 360_000, 36_000) == -931
    assert ("₩100,000 더 벌면 지급할 때 떼는 3.3% ₩3,300 중 약 ₩931는 5월에 돌려받습니다 (소득세 6% 구간, 지방소득세 포함; "
            "세금은 약 ₩2,369).") in texts(at)


def test_the_meter_on_the_tax_page_for_a_past_year(side_income_2024):
    profile.save(side_income_2024, 2024, {"health_status": "dependent"})
    at = open_page("views/tax.py")
    at.selectbox(key="tax_year").set_value(2024).run()
    assert progress_texts(at) == ["피부양자 선: 12월까지 예상 수입 ₩12,000,000 / 선 ₩13,927,576"]
    assert metric(at, "사업소득 수입") == "₩12,000,000"
    assert metric(at, "남은 여유 (수입)") == "₩1,927,576"
    expected = health.meter(2024, 12_000_000, 12_000_000)
    assert expected.level == "near"
    assert [w.value for w in at.warning if w.value.startswith("2024년 사업소득 수입")] == [expected.sentence]
    assert health.dependent_check(2024, 12_000_000).text in texts(at)


def test_an_employee_sees_the_non_wage_income_line(side_income_2024):
    profile.save(side_income_2024, 2024, RECEIPT_2024)
    at = open_page("views/tax.py")
    at.selectbox(key="tax_year").set_value(2024).run()
    line = health.employee_check(2024, 0).revenue_headroom
    assert progress_texts(at) == [f"직장가입자 보수외소득 선: 12월까지 예상 수입 ₩12,000,000 / 선 ₩{line:,}"]
    assert health.employee_check(2024, 12_000_000).text in texts(at)


def test_no_meter_for_a_regional_member(side_income_2024):
    profile.save(side_income_2024, 2024, {"health_status": "none"})
    at = open_page("views/tax.py")
    at.selectbox(key="tax_year").set_value(2024).run()
    assert progress_texts(at) == []
    assert any("지역가입자·해당 없음" in c.value for c in at.caption)


def test_the_meter_on_the_demo_forecasts_to_december(demo_db):
    engine = connect(demo_db)
    from tracker.forecast import load_prior

    projection = health.project_year(engine, date(2026, 11, 22), prior=load_prior())
    assert projection.so_far > 0 and projection.projected >= projection.so_far
    expected = health.meter(2026, projection.so_far, projection.projected)
    at = open_page("views/tax.py")
    assert at.selectbox(key="tax_year").value == 2026
    assert progress_texts(at) == [f"피부양자 선: 12월까지 예상 수입 ₩{projection.projected:,} / "
                                  f"선 ₩{expected.line:,}"]
    assert metric(at, "올해 사업소득 수입 (지금까지)") == f"₩{projection.so_far:,}"
    assert metric(at, "12월까지 예상 수입") == f"₩{projection.projected:,}"
    assert projection.method in [c.value for c in at.caption]

    dash = open_page("views/dashboard.py")
    assert not dash.error
    assert progress_texts(dash) == [
        f"건강보험 피부양자 선: 2026년 사업소득 수입 지금까지 ₩{projection.so_far:,}, 12월까지 예상 "
        f"₩{projection.projected:,} / 선 ₩{expected.line:,}"]
    engine.dispose()


def test_the_dashboard_has_no_meter_when_empty_or_regional(app_db):
    at = open_page("views/dashboard.py")
    assert progress_texts(at) == []


@pytest.mark.parametrize(("today", "year"), [("2026-05-01", 2025), ("2026-06-01", 2025), ("2026-06-02", 2026),
                                             ("2027-01-15", 2026)])
def test_the_page_opens_on_the_year_due_next(app_db, monkeypatch, today, year):
    monkeypatch.setenv("TRACKER_TODAY", today)
    at = open_page("views/tax.py")
    assert at.selectbox(key="tax_year").value == year


def test_quick_mode_uses_the_salary(side_income_2024):
    from tracker.tax import wage_from_salary

    profile.save(side_income_2024, 2024, {"has_wage": True, "wage_mode": "quick", "total_salary": 36_000_000})
    at = open_page("views/tax.py")
    at.selectbox(key="tax_year").set_value(2024).run()
    assert not at.exception and not at.error
    wage = wage_from_salary(36_000_000, 2024)
    expected = estimate_annual(2024, 12_000_000, 360_000, 36_000, wage=wage)
    label = "5월 예상 환급" if expected.refund_total >= 0 else "5월 예상 추가 납부"
    assert metric(at, label) == f"₩{abs(expected.refund_total):,}"
    assert breakdown(at)["근로소득 과세표준 (연말정산)"] == f"₩{wage.taxable_base:,}"
    assert any(c.value.startswith("총급여 36,000,000원에서 근로소득공제") for c in at.caption)


def test_daily_wages_are_shown_apart(side_income_2024):
    engine = side_income_2024
    site = ledger.create_company(engine, {"name": "현장 검수", "withholding_kind": "daily"})
    payment = ledger.create_payment(engine, {"company_id": site, "work_month": date(2024, 7, 1), "gross": 200_000,
                                             "income_tax": 1_350, "local_tax": 130, "net": 198_520})
    ledger.update_payment(engine, payment, {"received_date": date(2024, 8, 5)})
    at = open_page("views/tax.py")
    at.selectbox(key="tax_year").set_value(2024).run()
    assert metric(at, "사업소득 수입 (세전)") == "₩12,000,000"  # not in the May return
    assert [i.value for i in at.info if i.value.startswith("일용근로소득")] == [
        "일용근로소득 200,000원(원천징수 소득세 1,350원, 지방소득세 130원)은 원천징수로 끝나는 분리과세 소득이라 "
        "5월 종합소득세 신고와 위 계산에 넣지 않았습니다."]


def test_the_dashboard_meter_follows_the_profile(demo_db):
    engine = connect(demo_db)
    profile.save(engine, 2025, {"health_status": "employee"})
    at = open_page("views/dashboard.py")
    assert [p for p in progress_texts(at) if p.startswith("건강보험 직장가입자 보수외소득 선: 2026년")]
    profile.save(engine, 2026, {"health_status": "none"})
    at = open_page("views/dashboard.py")
    assert progress_texts(at) == []
    engine.dispose()


def test_a_registered_business_has_crossed_the_line(side_income_2024):
    profile.save(side_income_2024, 2024, {"health_status": "dependent", "business_registered": True})
    at = open_page("views/tax.py")
    at.selectbox(key="tax_year").set_value(2024).run()
    assert not at.error
    assert progress_texts(at) == ["피부양자 선 (사업자등록 있음): 12월까지 예상 수입 ₩12,000,000 / 선 ₩0"]
    assert [w.value for w in at.warning if w.value.startswith("2024년 사업소득 수입")] == [
        "2024년 사업소득 수입: 지금까지 12,000,000원, 12월까지 예상 12,000,000원. 피부양자 자격을 잃는 선은 수입 "
        "0원입니다: 이미 넘었습니다."]
    assert any(t.endswith("2025년 5월 종합소득세 신고 뒤 2025년 11월부터 지역가입자로 바뀌어 건강보험료를 따로 냅니다.")
               for t in texts(at))
