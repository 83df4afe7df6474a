"""Every refused input: an exact Korean message naming the field, and nothing written."""
from datetime import date

import pytest

from tests.conftest import count_rows
from tracker import ledger
from tracker.errors import LedgerError, josa


def refused(engine, action, *args, **kwargs) -> LedgerError:
    before = count_rows(engine)
    with pytest.raises(LedgerError) as info:
        action(engine, *args, **kwargs)
    assert count_rows(engine) == before, "a refused input must write nothing"
    return info.value


def payment(company_id, **kw):
    data = {"company_id": company_id, "work_month": date(2026, 10, 1), "gross": 100_000,
            "income_tax": 3_000, "local_tax": 300, "net": 96_700}
    return data | kw


def worklog(project_id, **kw):
    return {"project_id": project_id, "work_date": date(2026, 11, 2), "minutes": 60} | kw


def test_company_needs_a_name(engine):
    err = refused(engine, ledger.create_company, {"name": ""})
    assert (err.field, err.message) == ("name", "이름을 입력하세요.")


def test_company_name_is_unique_ignoring_case_and_spaces(engine):
    ledger.create_company(engine, {"name": "Testworks"})
    err = refused(engine, ledger.create_company, {"name": " testworks "})
    assert (err.field, err.message) == ("name", "같은 이름의 회사가 이미 있습니다: testworks")


def test_company_pay_day_range(engine):
    err = refused(engine, ledger.create_company, {"name": "에이모", "pay_day": 32})
    assert (err.field, err.message) == ("pay_day", "지급일은 31 이하여야 합니다.")


def test_unknown_enum_value_is_named(engine):
    err = refused(engine, ledger.create_company, {"name": "에이모", "withholding_kind": "5%"})
    assert err.field == "withholding_kind"
    assert err.message == "원천징수 종류 값이 올바르지 않습니다: '5%'"


def test_project_for_unknown_company(engine):
    err = refused(engine, ledger.create_project, {"company_id": 999, "name": "폴리곤"})
    assert (err.field, err.message) == ("company_id", "회사를 찾을 수 없습니다 (id 999).")


def test_project_end_before_start(engine, company_id):
    err = refused(engine, ledger.create_project, {"company_id": company_id, "name": "폴리곤",
                                                  "start_date": date(2026, 9, 10), "end_date": date(2026, 9, 9)})
    assert (err.field, err.message) == ("end_date", "종료일은 시작일보다 빠를 수 없습니다.")


def test_project_negative_price(engine, company_id):
    err = refused(engine, ledger.create_project, {"company_id": company_id, "name": "폴리곤", "unit_price": -50})
    assert (err.field, err.message) == ("unit_price", "단가는 0원 이상이어야 합니다.")


def test_project_name_unique_within_company(engine, company_id, project_id):
    err = refused(engine, ledger.create_project, {"company_id": company_id, "name": "간판 OCR"})
    assert (err.field, err.message) == ("name", "이 회사에 같은 이름의 프로젝트가 이미 있습니다: 간판 OCR")


def test_project_edit_is_validated_as_a_whole(engine, project_id):
    err = refused(engine, ledger.update_project, project_id, {"end_date": date(2026, 9, 1)})
    assert err.message == "종료일은 시작일보다 빠를 수 없습니다."


def test_worklog_negative_minutes(engine, project_id):
    err = refused(engine, ledger.create_worklog, worklog(project_id, minutes=-10))
    assert (err.field, err.message) == ("minutes", "작업 시간(분)은 0 이상이어야 합니다.")


def test_worklog_more_than_a_day_in_one_entry(engine, project_id):
    err = refused(engine, ledger.create_worklog, worklog(project_id, minutes=1441))
    assert (err.field, err.message) == ("minutes", "작업 시간(분)은 1,440 이하여야 합니다.")


def test_worklog_more_than_a_day_across_entries(engine, project_id):
    ledger.create_worklog(engine, worklog(project_id, minutes=900))
    err = refused(engine, ledger.create_worklog, worklog(project_id, minutes=600))
    assert err.field == "minutes"
    assert err.message == ("작업 시간(분)이 하루 24시간을 넘습니다: 2026-11-02에 이미 900분이 기록되어 있어 "
                           "600분을 더할 수 없습니다 (하루 최대 1,440분).")


def test_worklog_edit_does_not_count_itself_twice(engine, project_id):
    log = ledger.create_worklog(engine, worklog(project_id, minutes=900))
    ledger.update_worklog(engine, log, {"minutes": 1440})
    err = refused(engine, ledger.create_worklog, worklog(project_id, minutes=1))
    assert err.field == "minutes"


def test_worklog_rejected_more_than_submitted(engine, project_id):
    err = refused(engine, ledger.create_worklog, worklog(project_id, items_submitted=10, items_rejected=11))
    assert (err.field, err.message) == ("items_rejected", "반려 건수(11)는 제출 건수(10)보다 많을 수 없습니다.")


def test_worklog_unknown_project(engine, project_id):
    err = refused(engine, ledger.create_worklog, worklog(404))
    assert (err.field, err.message) == ("project_id", "프로젝트를 찾을 수 없습니다 (id 404).")


def test_worklog_fractional_items_refused(engine, project_id):
    err = refused(engine, ledger.create_worklog, worklog(project_id, items_submitted=1.5))
    assert (err.field, err.message) == ("items_submitted", "제출 건수는 정수(건 단위)로 입력하세요.")


def test_payment_negative_gross(engine, company_id):
    err = refused(engine, ledger.create_payment, payment(company_id, gross=-1))
    assert (err.field, err.message) == ("gross", "지급액(세전)은 1원 이상이어야 합니다.")


def test_payment_of_nothing_is_refused(engine, company_id):
    err = refused(engine, ledger.create_payment, payment(company_id, gross=0, income_tax=0, local_tax=0, net=0))
    assert (err.field, err.message) == ("gross", "지급액(세전)은 1원 이상이어야 합니다.")
    err = refused(engine, ledger.create_payment, {"company_id": company_id, "work_month": date(2026, 10, 1)})
    assert (err.field, err.message) == ("gross", "지급액(세전)을 입력하세요.")


def test_payment_amount_over_the_limit(engine, company_id):
    err = refused(engine, ledger.create_payment, payment(company_id, gross=100_000_000_001))
    assert (err.field, err.message) == ("gross", "지급액(세전)은 100,000,000,000원 이하여야 합니다.")


def test_payment_amount_not_a_number(engine, company_id):
    for value in (float("nan"), float("inf"), 1.5, True, "45,000"):
        err = refused(engine, ledger.create_payment, payment(company_id, gross=value))
        assert (err.field, err.message) == ("gross", "지급액(세전)은 정수(원 단위)로 입력하세요.")


def test_company_name_of_spaces(engine):
    for value in ("   ", "\t\u200b\ufeff", "\x00"):
        err = refused(engine, ledger.create_company, {"name": value})
        assert (err.field, err.message) == ("name", "이름을 입력하세요.")


def test_dates_outside_2000_to_2100(engine, company_id):
    err = refused(engine, ledger.create_payment, payment(company_id, work_month=date(9999, 12, 1)))
    assert (err.field, err.message) == ("work_month", "작업월은 2000-01-01부터 2100-12-31까지의 날짜만 입력할 수 있습니다.")


def test_worklog_date_after_tomorrow(engine, project_id, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2026-11-02")
    err = refused(engine, ledger.create_worklog, worklog(project_id, work_date=date(2026, 11, 4)))
    assert (err.field, err.message) == ("work_date", "작업일은 내일(2026-11-03)까지만 입력할 수 있습니다.")


def test_payment_unknown_company(engine, company_id):
    err = refused(engine, ledger.create_payment, payment(77))
    assert (err.field, err.message) == ("company_id", "회사를 찾을 수 없습니다 (id 77).")


def test_payment_net_must_add_up(engine, company_id):
    err = refused(engine, ledger.create_payment, payment(company_id, net=96_000))
    assert err.field == "net"
    assert err.message == "실수령액은 지급액 − 소득세 − 지방소득세 = 96,700원이어야 합니다 (입력: 96,000원)."


def test_payment_withheld_more_than_gross(engine, company_id):
    err = refused(engine, ledger.create_payment,
                  payment(company_id, gross=1_000, income_tax=1_000, local_tax=100, net=1))
    assert err.field == "income_tax"
    assert err.message == "원천징수액 합계(1,100원)가 지급액(세전 1,000원)보다 클 수 없습니다."


def test_payment_project_of_another_company(engine, company_id, project_id):
    other = ledger.create_company(engine, {"name": "에이모"})
    err = refused(engine, ledger.create_payment, payment(other, project_id=project_id))
    assert (err.field, err.message) == ("project_id", "프로젝트 '간판 OCR'은 '에이모'의 프로젝트가 아닙니다.")


def test_josa_follows_the_last_syllable():
    assert josa("지급액", "은/는") == "지급액은"
    assert josa("회사", "은/는") == "회사는"
    assert josa("프로젝트 3개", "이/가") == "프로젝트 3개가"
    assert josa("작업 기록 1건", "이/가") == "작업 기록 1건이"
    assert josa("'간판 OCR'", "은/는") == "'간판 OCR'은"
    assert josa("단가", "을/를") == "단가를"
