"""The per-year income profile: saved and read back, validated in Korean, stale edits refused."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tracker import dataversion, profile
from tracker.errors import LedgerError
from tracker.ledger import STALE
from tracker.models import HealthStatus, IncomeProfile, WageMode
from tracker.models.base import MONEY_MAX

RECEIPT = {"has_wage": True, "wage_mode": "receipt", "wage_taxable_base": 30_000_000,
           "wage_determined_tax": 1_500_000, "health_status": "employee"}


def test_round_trip(engine):
    assert profile.get(engine, 2024) is None
    profile.save(engine, 2024, {**RECEIPT, "version": 0})
    row = profile.get(engine, 2024)
    assert (row.year, row.has_wage, row.wage_mode, row.wage_taxable_base, row.wage_determined_tax,
            row.wage_tax_credits, row.total_salary, row.health_status, row.business_registered, row.version) == (
        2024, True, WageMode.RECEIPT, 30_000_000, 1_500_000, None, None, HealthStatus.EMPLOYEE, False, 1)
    profile.save(engine, 2024, {"business_registered": True, "wage_tax_credits": 1_740_000, "version": 1})
    row = profile.get(engine, 2024)
    assert (row.business_registered, row.wage_tax_credits, row.wage_taxable_base, row.version) == (
        True, 1_740_000, 30_000_000, 2)
    assert profile.as_dict(row, 2024) == {
        "year": 2024, "has_wage": True, "wage_mode": "receipt", "wage_taxable_base": 30_000_000,
        "wage_determined_tax": 1_500_000, "wage_tax_credits": 1_740_000, "total_salary": None,
        "health_status": "employee", "business_registered": True, "version": 2}


def test_saving_without_a_change_keeps_the_version(engine):
    profile.save(engine, 2025, {"health_status": "dependent"})
    profile.save(engine, 2025, {"health_status": "dependent", "version": 1})
    assert profile.get(engine, 2025).version == 1


def test_a_stale_edit_is_refused_and_writes_nothing(engine):
    profile.save(engine, 2024, {**RECEIPT, "version": 0})
    profile.save(engine, 2024, {"wage_determined_tax": 1_400_000, "version": 1})  # another tab
    with pytest.raises(LedgerError) as stale:
        profile.save(engine, 2024, {"wage_determined_tax": 1_500_000, "version": 1})
    assert (stale.value.message, stale.value.field) == (STALE, "version")
    assert (profile.get(engine, 2024).wage_determined_tax, profile.get(engine, 2024).version) == (1_400_000, 2)


def test_a_profile_created_elsewhere_since_the_form_opened_is_stale(engine):
    profile.save(engine, 2024, {"health_status": "dependent", "version": 0})
    with pytest.raises(LedgerError) as stale:
        profile.save(engine, 2024, {"health_status": "none", "version": 0})
    assert stale.value.message == STALE
    assert profile.get(engine, 2024).health_status == HealthStatus.DEPENDENT


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"has_wage": True, "wage_taxable_base": 30_000_000}, "wage_determined_tax",
     "근로소득 원천징수영수증의 결정세액(소득세)을 입력하세요 (없으면 0)."),
    ({"has_wage": True, "wage_determined_tax": 0}, "wage_taxable_base",
     "근로소득 원천징수영수증의 과세표준을 입력하세요 (없으면 0)."),
    ({"has_wage": True, "wage_taxable_base": 1_000, "wage_determined_tax": 2_000}, "wage_determined_tax",
     "결정세액(2,000원)이 과세표준(1,000원)보다 클 수 없습니다. 원천징수영수증의 값을 확인하세요."),
    ({"has_wage": True, "wage_mode": "quick"}, "total_salary", "총급여를 입력하세요 (1원 이상)."),
    ({"total_salary": MONEY_MAX + 1}, "total_salary", "총급여는 100,000,000,000원 이하여야 합니다."),
    ({"wage_taxable_base": -1}, "wage_taxable_base", "근로소득 과세표준은 0원 이상이어야 합니다."),
    ({"wage_tax_credits": 1.5}, "wage_tax_credits", "세액공제·감면 합계는 정수(원 단위)로 입력하세요."),
    ({"health_status": "family"}, "health_status", "건강보험 자격 값이 올바르지 않습니다: 'family'"),
    ({"wage_mode": None}, "wage_mode", "근로소득 입력 방식을 입력하세요."),
])
def test_refused_input_names_the_field_in_korean(engine, changes, field, message):
    with pytest.raises(LedgerError) as refused:
        profile.save(engine, 2024, changes)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert profile.get(engine, 2024) is None


def test_the_year_is_bounded(engine):
    with pytest.raises(LedgerError) as refused:
        profile.save(engine, 1999, {})
    assert refused.value.field == "year"
    assert profile.get(engine, 1999) is None and profile.get(engine, True) is None


def test_wage_fields_without_wage_income_are_kept_but_not_required(engine):
    profile.save(engine, 2024, {"has_wage": False, "wage_taxable_base": 30_000_000})
    row = profile.get(engine, 2024)
    assert (row.has_wage, row.wage_taxable_base) == (False, 30_000_000)
    assert profile.wage_income(row) is None


def test_wage_income_from_the_receipt_and_from_the_salary(engine):
    from tracker.tax import WageIncome, wage_from_salary

    profile.save(engine, 2024, {**RECEIPT, "wage_tax_credits": 1_740_000})
    assert profile.wage_income(profile.get(engine, 2024)) == WageIncome(30_000_000, 1_500_000, 1_740_000)
    profile.save(engine, 2025, {"has_wage": True, "wage_mode": "quick", "total_salary": 36_000_000})
    quick = profile.get(engine, 2025)
    assert profile.wage_income(quick) == wage_from_salary(36_000_000, 2025)
    assert profile.wage_income(profile.as_dict(quick, 2025)) == wage_from_salary(36_000_000, 2025)
    assert profile.wage_income(None) is None


def test_latest_carries_the_status_forward(engine):
    profile.save(engine, 2023, {"health_status": "dependent"})
    profile.save(engine, 2025, {"health_status": "employee"})
    assert profile.latest(engine, 2024).year == 2023
    assert profile.latest(engine, 2026).year == 2025
    assert profile.latest(engine, 2022) is None


def test_a_save_bumps_only_the_profile_data_version(engine):
    before = dataversion.versions(engine)
    profile.save(engine, 2024, RECEIPT)
    after = dataversion.versions(engine)
    assert {t for t in after if after[t] != before[t]} == {"income_profile"}


def test_wage_summary_says_what_is_saved(engine):
    assert profile.wage_summary(None) == "저장된 소득 프로필이 없습니다: 근로소득이 없다고 보고 계산합니다."
    profile.save(engine, 2024, RECEIPT)
    assert profile.wage_summary(profile.get(engine, 2024)) == (
        "2024년 소득 프로필 — 근로소득: 과세표준 30,000,000원, 결정세액 1,500,000원 (원천징수영수증) · "
        "건강보험 직장가입자 · 사업자등록 없음")


def test_the_table_is_in_the_schema(engine):
    columns = {c["name"] for c in sa.inspect(engine).get_columns("income_profile")}
    assert columns == set(IncomeProfile.model_fields)
