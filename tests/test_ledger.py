"""What the ledger records and derives: frozen rates, earnings, pay dates, statuses, deletes."""
from datetime import date

import pytest
from sqlmodel import Session, select

from tests.conftest import count_rows
from tracker import ledger
from tracker.errors import LedgerError
from tracker.models import Company, Payment, PaymentStatus, WorkLog, days_late, earnings, payment_status
from tracker.schedule import expected_pay_date, holiday_name, is_business_day, nominal_pay_date, terms_label


def test_rate_is_frozen_when_the_entry_is_recorded(engine, project_id):
    first = ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 2),
                                           "minutes": 120, "items_submitted": 200, "items_rejected": 10})
    ledger.update_project(engine, project_id, {"unit_price": 80})
    second = ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 3),
                                            "minutes": 120, "items_submitted": 200, "items_rejected": 10})
    with Session(engine) as s:
        assert (s.get(WorkLog, first).rate, s.get(WorkLog, second).rate) == (50, 80)
        assert s.get(WorkLog, first).pay_scheme == "per_item"


def test_earnings_per_scheme():
    assert earnings("per_item", 50, 120, 200, 10) == 9_500  # 190 accepted × 50
    assert earnings("per_hour", 12_000, 95, 0, 0) == 19_000  # 95 min × 12,000 / 60
    assert earnings("per_hour", 10_030, 1, 0, 0) == 167  # floored to the won
    assert earnings("fixed", 300_000, 600, 0, 0) == 0  # a fixed price is earned by the project


@pytest.mark.parametrize(
    ("work_month", "after", "day", "expected"),
    [
        (date(2026, 10, 1), 1, 10, date(2026, 11, 10)),
        (date(2026, 1, 1), 1, 31, date(2026, 2, 28)),  # 말일 in February
        (date(2027, 12, 1), 1, 15, date(2028, 1, 15)),  # over the year end
        (date(2026, 3, 1), 0, 25, date(2026, 3, 25)),
        (date(2026, 11, 1), 2, 30, date(2027, 1, 30)),
    ],
)
def test_nominal_pay_date(work_month, after, day, expected):
    assert nominal_pay_date(work_month, after, day) == expected


@pytest.mark.parametrize(
    ("work_month", "day", "shift", "expected"),
    [
        # Chuseok 2025: Oct 3 (Fri) 개천절, Oct 5–7 추석, Oct 8 대체공휴일, Oct 9 한글날.
        (date(2025, 9, 1), 6, "next", date(2025, 10, 10)),
        (date(2025, 9, 1), 6, "previous", date(2025, 10, 2)),
        (date(2025, 9, 1), 6, "none", date(2025, 10, 6)),
        # 2026-02-28 is a Saturday, Mar 1 a Sunday and Mar 2 the 삼일절 substitute holiday.
        (date(2026, 1, 1), 31, "next", date(2026, 3, 3)),
        (date(2026, 1, 1), 31, "previous", date(2026, 2, 27)),
        (date(2026, 9, 1), 10, "next", date(2026, 10, 12)),  # Oct 10 2026 is a Saturday
        (date(2026, 10, 1), 10, "next", date(2026, 11, 10)),  # a Tuesday: unchanged
    ],
)
def test_expected_pay_date_moves_off_weekends_and_holidays(work_month, day, shift, expected):
    assert expected_pay_date(work_month, 1, day, shift) == expected


def test_holiday_names_are_korean():
    assert holiday_name(date(2025, 10, 6)) == "추석"
    assert holiday_name(date(2025, 10, 10)) is None
    assert is_business_day(date(2025, 10, 10)) and not is_business_day(date(2025, 10, 8))


def test_terms_label():
    assert terms_label(1, 10) == "다음 달 10일"
    assert terms_label(0, 31) == "당월 말일"
    assert terms_label(2, 25) == "2개월 후 25일"
    assert terms_label(1, 25, "previous") == "다음 달 25일 (휴일이면 앞당김)"


def test_payment_status_is_derived_from_dates():
    expected = date(2026, 11, 10)
    assert payment_status(expected, None, date(2026, 11, 10)) == PaymentStatus.SCHEDULED
    assert payment_status(expected, None, date(2026, 11, 11)) == PaymentStatus.LATE
    assert payment_status(expected, date(2026, 11, 30), date(2026, 12, 1)) == PaymentStatus.RECEIVED
    assert days_late(expected, None, date(2026, 11, 22)) == 12
    assert days_late(expected, date(2026, 11, 30), date(2027, 1, 1)) == 20
    assert days_late(expected, date(2026, 11, 9), date(2027, 1, 1)) == 0


def test_payment_expected_date_from_company_terms(engine, company_id):
    pid = ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 10, 17), "gross": 45_000,
                                         "income_tax": 1_350, "local_tax": 135, "net": 43_515})
    with Session(engine) as s:
        row = s.get(Payment, pid)
        assert (row.work_month, row.expected_date, row.received_date) == (date(2026, 10, 1), date(2026, 11, 10), None)
        assert (row.gross, row.income_tax, row.local_tax, row.net) == (45_000, 1_350, 135, 43_515)


def test_update_company_keeps_unspecified_fields(engine, company_id):
    ledger.update_company(engine, company_id, {"pay_day": 25, "notes": "검수 후 지급"})
    with Session(engine) as s:
        row = s.get(Company, company_id)
        assert (row.name, row.pay_months_after, row.pay_day, row.notes) == ("크라우드웍스", 1, 25, "검수 후 지급")


def _fill(engine, company_id, project_id):
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 2), "minutes": 60})
    ledger.create_payment(engine, {"company_id": company_id, "project_id": project_id, "work_month": date(2026, 11, 1),
                                   "gross": 10_000, "income_tax": 300, "local_tax": 30, "net": 9_670})


def test_company_with_projects_is_not_deleted_silently(engine, company_id, project_id):
    _fill(engine, company_id, project_id)
    before = count_rows(engine)
    with pytest.raises(LedgerError) as info:
        ledger.delete_company(engine, company_id)
    assert info.value.message.startswith("'크라우드웍스'에 프로젝트 1개, 작업 기록 1건, 지급 1건이 연결되어 있어 삭제하지 않았습니다.")
    assert count_rows(engine) == before
    ledger.delete_company(engine, company_id, cascade=True)
    assert count_rows(engine) == {"company": 0, "project": 0, "worklog": 0, "payment": 0}


def test_deleting_a_project_keeps_its_payments_unlinked(engine, company_id, project_id):
    _fill(engine, company_id, project_id)
    with pytest.raises(LedgerError):
        ledger.delete_project(engine, project_id)
    ledger.delete_project(engine, project_id, cascade=True)
    assert count_rows(engine) == {"company": 1, "project": 0, "worklog": 0, "payment": 1}
    with Session(engine) as s:
        (row,) = s.exec(select(Payment)).all()
        assert (row.project_id, row.net) == (None, 9_670)


def test_empty_company_deletes_without_cascade(engine):
    cid = ledger.create_company(engine, {"name": "나초스"})
    ledger.delete_company(engine, cid)
    assert count_rows(engine)["company"] == 0
    assert ledger.is_empty(engine)


def test_delete_missing_row(engine):
    with pytest.raises(LedgerError) as info:
        ledger.delete_payment(engine, 5)
    assert info.value.message == "지급을 찾을 수 없습니다 (id 5)."
