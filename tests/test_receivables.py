"""Deposits, what is still owed, how late, and who pays late — to the won and the day."""
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from tests.conftest import count_rows
from tracker import ledger
from tracker.deposits import propose_split, withholding_difference
from tracker.errors import LedgerError
from tracker.models import Payment
from tracker.receivables import aging_bucket, aging_summary, by_company, receivables, reliability

TODAY = date(2026, 11, 22)


def pay(company_id, month, gross, **kw):
    income, local = gross * 3 // 100 // 10 * 10, 0
    local = income // 10 // 10 * 10
    return {"company_id": company_id, "work_month": month, "gross": gross, "income_tax": income,
            "local_tax": local, "net": gross - income - local} | kw


def test_propose_split_prefers_the_round_or_expected_gross():
    assert propose_split(967_000, "business", TODAY) == propose_split(967_000, "business", TODAY, 1_000_000)
    split = propose_split(967_000, "business", TODAY)
    assert (split.gross, split.income_tax, split.local_tax, split.exact) == (1_000_000, 30_000, 3_000, True)
    split = propose_split(967_000, "business", TODAY, expected_gross=999_980)
    assert (split.gross, split.income_tax, split.local_tax) == (999_980, 29_990, 2_990)
    split = propose_split(912_000, "other", TODAY)
    assert (split.gross, split.income_tax, split.local_tax) == (1_000_000, 80_000, 8_000)


def test_propose_split_without_an_exact_gross_keeps_the_net(monkeypatch):
    # Under today's rates every net is reachable; a future rate table may leave gaps.
    monkeypatch.setattr("tracker.deposits.gross_from_net", lambda *a, **k: [])
    split = propose_split(43_515, "business", TODAY)
    assert (split.gross, split.income_tax, split.local_tax, split.net, split.exact) == (45_000, 1_355, 130, 43_515, False)


def test_withholding_difference_flags_a_platform_that_rounds_its_own_way():
    # One platform withheld 1,485 KRW on 45,000 (DOMAIN.md); the rule gives 1,350 + 130 = 1,480.
    assert withholding_difference(45_000, 1_350, 135, "business", TODAY) == 5
    assert withholding_difference(45_000, 1_350, 130, "business", TODAY) == 0


def test_two_deposits_settle_one_payment(engine, company_id):
    payment = ledger.create_payment(engine, pay(company_id, date(2026, 9, 1), 1_000_000))
    ledger.record_deposit(engine, {"payment_id": payment, "received_on": date(2026, 10, 12), "net": 500_000,
                                   "gross": 517_060, "income_tax": 15_510, "local_tax": 1_550}, settle=False)
    owed = receivables(engine, TODAY)
    assert owed[["source", "expected_net", "received", "outstanding"]].values.tolist() == [
        ["payment", 967_000, 500_000, 467_000]]
    ledger.record_deposit(engine, {"payment_id": payment, "received_on": date(2026, 10, 20), "net": 467_000,
                                   "gross": 482_940, "income_tax": 14_490, "local_tax": 1_450})
    with Session(engine) as s:
        row = s.get(Payment, payment)
        assert (row.received_date, row.gross, row.income_tax, row.local_tax, row.net) == (
            date(2026, 10, 20), 1_000_000, 30_000, 3_000, 967_000)
    assert receivables(engine, TODAY).empty


def test_a_settled_payment_refuses_more_deposits(engine, company_id):
    payment = ledger.create_payment(engine, pay(company_id, date(2026, 9, 1), 100_000, received_date=date(2026, 10, 12)))
    before = count_rows(engine)
    with pytest.raises(LedgerError) as info:
        ledger.record_deposit(engine, {"payment_id": payment, "received_on": date(2026, 10, 13), "net": 96_700,
                                       "gross": 100_000, "income_tax": 3_000, "local_tax": 300})
    assert info.value.message.startswith("이 지급은 2026-10-12에 이미 입금 완료로 기록되어 있습니다.")
    assert count_rows(engine) == before


def test_deposit_amounts_must_add_up(engine, company_id):
    payment = ledger.create_payment(engine, pay(company_id, date(2026, 9, 1), 100_000))
    with pytest.raises(LedgerError) as info:
        ledger.record_deposit(engine, {"payment_id": payment, "received_on": date(2026, 10, 13), "net": 96_000,
                                       "gross": 100_000, "income_tax": 3_000, "local_tax": 300})
    assert (info.value.field, info.value.message) == (
        "net", "입금액은 세전 금액 − 소득세 − 지방소득세 = 96,700원이어야 합니다 (입력: 96,000원).")


def test_deleting_a_deposit_reopens_the_payment(engine, company_id):
    payment = ledger.create_payment(engine, pay(company_id, date(2026, 9, 1), 100_000))
    deposit = ledger.record_deposit(engine, {"payment_id": payment, "received_on": date(2026, 10, 13),
                                             "net": 96_700, "gross": 100_000, "income_tax": 3_000, "local_tax": 300})
    ledger.delete_deposit(engine, deposit)
    assert receivables(engine, TODAY)["outstanding"].tolist() == [96_700]


@pytest.mark.parametrize(("days", "bucket"), [(0, "not_due"), (1, "1_30"), (30, "1_30"), (31, "31_60"),
                                              (60, "31_60"), (61, "61_90"), (90, "61_90"), (91, "over_90")])
def test_aging_buckets(days, bucket):
    assert aging_bucket(days) == bucket


def test_receivables_aging_and_by_company(engine, company_id, project_id):
    late_payer = ledger.create_company(engine, {"name": "누리AI데이터", "pay_day": 25})
    ledger.create_payment(engine, pay(late_payer, date(2026, 6, 1), 300_000))  # due 2026-07-27 (Sat 25th → Mon)
    ledger.create_payment(engine, pay(late_payer, date(2026, 9, 1), 200_000))  # due 2026-10-26
    ledger.create_payment(engine, pay(company_id, date(2026, 10, 1), 100_000))  # due 2026-11-10
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 2), "minutes": 60,
                                   "items_submitted": 100, "items_rejected": 0})  # 5,000 gross, due 2026-12-10
    owed = receivables(engine, TODAY)
    assert owed[["company", "work_month", "expected_date", "days_late", "outstanding", "source"]].values.tolist() == [
        ["누리AI데이터", date(2026, 6, 1), date(2026, 7, 27), 118, 290_100, "payment"],
        ["누리AI데이터", date(2026, 9, 1), date(2026, 10, 26), 27, 193_400, "payment"],
        ["크라우드웍스", date(2026, 10, 1), date(2026, 11, 10), 12, 96_700, "payment"],
        ["크라우드웍스", date(2026, 11, 1), date(2026, 12, 10), 0, 4_840, "unbilled"],  # 5,000 − 150 − 10
    ]
    summary = aging_summary(owed)
    assert summary[["label", "count", "outstanding"]].values.tolist() == [
        ["기한 전", 1, 4_840], ["1–30일 지연", 2, 290_100], ["31–60일 지연", 0, 0], ["61–90일 지연", 0, 0],
        ["90일 넘게 지연", 1, 290_100]]
    assert by_company(owed)[["company", "count", "outstanding", "overdue", "worst_days_late"]].values.tolist() == [
        ["누리AI데이터", 2, 483_500, 483_500, 118], ["크라우드웍스", 2, 101_540, 96_700, 12]]


def test_reliability_of_each_company(engine, company_id):
    nuri = ledger.create_company(engine, {"name": "누리AI데이터", "pay_day": 25})
    # 크라우드웍스 (due 7-10, 8-10, 9-10): on time, a day early, 3 days late.
    ledger.create_payment(engine, pay(company_id, date(2026, 6, 1), 100_000, received_date=date(2026, 7, 10)))
    ledger.create_payment(engine, pay(company_id, date(2026, 7, 1), 100_000, received_date=date(2026, 8, 9)))
    ledger.create_payment(engine, pay(company_id, date(2026, 8, 1), 100_000, received_date=date(2026, 9, 13)))
    # 누리: due 8-25, paid 40 days late; and one unpaid since 2026-10-26 (27 days so far).
    ledger.create_payment(engine, pay(nuri, date(2026, 7, 1), 200_000, received_date=date(2026, 10, 4)))
    ledger.create_payment(engine, pay(nuri, date(2026, 9, 1), 200_000))
    frame = reliability(engine, TODAY)
    assert frame[["company", "received_count", "on_time_share", "avg_delay_days", "worst_delay_days",
                  "overdue_count", "overdue"]].values.tolist() == [
        ["누리AI데이터", 1, 0.0, 40.0, 40, 1, 193_400],
        ["크라우드웍스", 3, 0.6667, 1.0, 3, 0, 0],
    ]


def test_money_for_unbilled_work_creates_the_payment_and_the_deposit(engine, company_id, project_id):
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 10, 5), "minutes": 240,
                                   "items_submitted": 2_000, "items_rejected": 40})  # 1,960 × 50 = 98,000
    (row,) = receivables(engine, TODAY).to_dict("records")
    assert (row["source"], row["gross"], row["outstanding"], row["expected_date"]) == (
        "unbilled", 98_000, 94_770, date(2026, 11, 10))
    ledger.record_unbilled_deposit(engine, project_id, date(2026, 10, 1),
                                   {"received_on": date(2026, 11, 12), "net": 94_770, "gross": 98_000,
                                    "income_tax": 2_940, "local_tax": 290})
    assert receivables(engine, TODAY).empty
    with Session(engine) as s:
        (payment,) = s.exec(select(Payment)).all()
        assert (payment.project_id, payment.work_month, payment.expected_date, payment.received_date, payment.net) == (
            project_id, date(2026, 10, 1), date(2026, 11, 10), date(2026, 11, 12), 94_770)


def test_unbilled_deposit_refused_writes_nothing(engine, project_id):
    before = count_rows(engine)
    with pytest.raises(LedgerError) as info:
        ledger.record_unbilled_deposit(engine, project_id, date(2026, 10, 1),
                                       {"received_on": date(2026, 11, 12), "net": 1, "gross": 98_000,
                                        "income_tax": 2_940, "local_tax": 290})
    assert info.value.field == "net"
    assert count_rows(engine) == before


def test_a_cleared_expected_date_follows_the_company_terms(engine, company_id):
    # Terms: the 10th of the next month. A date typed, then cleared on the 지급 page.
    payment = ledger.create_payment(engine, pay(company_id, date(2026, 9, 1), 100_000,
                                                expected_date=date(2027, 1, 29)))
    ledger.update_payment(engine, payment, {"expected_date": None})
    with Session(engine) as s:
        assert s.get(Payment, payment).expected_date == date(2026, 10, 12)  # Sat 10-10 → Mon 10-12
    (row,) = receivables(engine, TODAY).to_dict("records")
    assert (row["expected_date"], row["days_late"], row["bucket"], row["outstanding"]) == (
        date(2026, 10, 12), 41, "31_60", 96_700)
    # Cleared together with a new work month: that month's terms.
    ledger.update_payment(engine, payment, {"work_month": date(2026, 10, 1), "expected_date": None})
    with Session(engine) as s:
        assert s.get(Payment, payment).expected_date == date(2026, 11, 10)
    # Cleared when it already holds the terms' date: nothing changes, not even the version.
    with Session(engine) as s:
        version = s.get(Payment, payment).version
    ledger.update_payment(engine, payment, {"expected_date": None})
    with Session(engine) as s:
        assert s.get(Payment, payment).version == version


def test_an_old_payment_without_an_expected_date_still_counts_late(engine, company_id):
    # A row stored before dates were filled in (e.g. restored from an old backup): read on the terms.
    payment = ledger.create_payment(engine, pay(company_id, date(2026, 9, 1), 100_000))
    with engine.begin() as conn:
        conn.execute(sa.update(Payment).where(Payment.id == payment).values(expected_date=None))
    (row,) = receivables(engine, TODAY).to_dict("records")
    assert (row["expected_date"], row["days_late"]) == (date(2026, 10, 12), 41)
    assert reliability(engine, TODAY)[["overdue_count", "overdue"]].values.tolist() == [[1, 96_700]]


def test_unbilled_daily_work_is_withheld_day_by_day(engine):
    """3 days of 200,000: each day (200,000 − 150,000) × 2.7% = 1,350, so 4,050 + 400 for the month,
    not the 12,150 + 1,210 of one 600,000 day."""
    company = ledger.create_company(engine, {"name": "데이터일용", "withholding_kind": "daily", "pay_day": 10})
    project = ledger.create_project(engine, {"company_id": company, "name": "현장 검수", "pay_scheme": "per_item",
                                             "unit_price": 1_000})
    for day in (3, 4, 5):
        ledger.create_worklog(engine, {"project_id": project, "work_date": date(2026, 10, day), "minutes": 480,
                                       "items_submitted": 200})
    owed = receivables(engine, TODAY)
    assert owed[["source", "expected_net"]].values.tolist() == [["unbilled", 595_550]]
