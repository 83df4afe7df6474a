"""Row stamps on payment and deposit (tracker/rowstamps.py) and the readers that catch up on them
(tracker.queries: the payment rows, the paid months and sums, the landed money): every write stamps
its rows above every stamp before, deletes are counted, and after every write of a long random
sequence the kept values equal what a whole read gives, on SQLite and PostgreSQL."""
from __future__ import annotations

import random
import threading
from datetime import date

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from tests.conftest import on_postgresql
from tracker import backup as bk
from tracker import ledger, queries
from tracker.models import Deposit, Payment

MONTHS = [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]


def stamps(engine, table: str) -> dict[int, int]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text(f"SELECT id, stamp FROM {table} ORDER BY id")).all())


def counter(engine, table: str) -> tuple[int, int]:
    with engine.connect() as conn:
        return queries.row_stamps(conn)[table]


def a_payment(engine, company_id: int, **extra) -> int:
    return ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 9, 1), "gross": 100_000,
                                          "income_tax": 3_000, "local_tax": 300, "net": 96_700, **extra})


def version_of(engine, model, row_id: int) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(model.version).where(model.id == row_id)).scalar_one()


def test_every_write_stamps_its_rows_above_every_stamp_before(engine, company_id):
    first = a_payment(engine, company_id)
    second = a_payment(engine, company_id, work_month=date(2026, 10, 1))
    before = stamps(engine, "payment")
    assert before[second] > before[first] > 0
    ledger.update_payment(engine, first, {"note": "확인 중", "version": 1})
    after = stamps(engine, "payment")
    assert after[first] > before[second] and after[second] == before[second]
    assert counter(engine, "payment") == (after[first], 0)
    deposit = ledger.record_deposit(engine, {"payment_id": second, "received_on": date(2026, 11, 10), "gross": 100_000,
                                             "income_tax": 3_000, "local_tax": 300, "net": 96_700})
    # Settling the payment writes both tables: each row gets its table's next stamp.
    assert stamps(engine, "payment")[second] > after[first]
    assert stamps(engine, "deposit")[deposit] == counter(engine, "deposit")[0] > 0


def test_a_refused_write_stamps_nothing(engine, company_id):
    payment = a_payment(engine, company_id)
    before = (stamps(engine, "payment"), counter(engine, "payment"))
    with pytest.raises(Exception):
        ledger.update_payment(engine, payment, {"note": "늦은 수정", "version": 99})  # changed since: refused
    assert (stamps(engine, "payment"), counter(engine, "payment")) == before


def test_deletes_are_counted_and_a_restore_stamps_above_everything_before(engine, company_id, tmp_path):
    kept = a_payment(engine, company_id)
    gone = a_payment(engine, company_id, work_month=date(2026, 10, 1))
    ledger.record_deposit(engine, {"payment_id": gone, "received_on": date(2026, 11, 3), "gross": 50_000,
                                   "income_tax": 1_500, "local_tax": 150, "net": 48_350}, settle=False)
    ledger.delete_payment(engine, gone)  # and its deposit
    # Counted per row on SQLite, per statement on PostgreSQL (its cascade from payment is one more).
    assert counter(engine, "payment")[1] == 1 and counter(engine, "deposit")[1] >= 1
    highest = counter(engine, "payment")[0]
    file = tmp_path / "ledger.json.gz"
    bk.backup(engine, file)
    bk.restore(engine, file, force=True)  # every row deleted, then inserted again with its id
    after = stamps(engine, "payment")
    assert list(after) == [kept] and after[kept] > highest  # the counter never goes back
    assert counter(engine, "payment")[1] > 1


def whole(engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The payment rows and the landed rows as a whole read gives them (nothing kept)."""
    with engine.connect() as conn:
        rows = conn.execute(queries._PAYMENTS).all()
        landed, _ = queries._landed_rows(conn)
    return queries._payment_frame(rows), queries._landed_frame(landed)


def same(engine) -> None:
    payments, landed = whole(engine)
    pd.testing.assert_frame_equal(queries._payment_rows(engine), payments)
    pd.testing.assert_frame_equal(queries.landed(engine), landed)
    pd.testing.assert_frame_equal(queries.paid_by_month(engine), queries._paid_by_month_of(payments))
    for got, want in zip(queries.paid_codes(engine), queries._paid_codes_of(payments)):
        np.testing.assert_array_equal(got, want)
    years = sorted({d.year for d in landed["received_on"]}, reverse=True)
    assert queries.landed_years(engine) == years
    for year in years:
        span = landed[[date(year, 1, 1) <= d < date(year + 1, 1, 1) for d in landed["received_on"]]]
        pd.testing.assert_frame_equal(queries.landed(engine, date(year, 1, 1), date(year + 1, 1, 1)),
                                      span.reset_index(drop=True))


def amounts(rng) -> dict:
    gross = rng.randint(20, 200) * 1_000
    return {"gross": gross, "income_tax": gross * 3 // 100, "local_tax": gross * 3 // 1000,
            "net": gross - gross * 3 // 100 - gross * 3 // 1000}


def a_day(rng) -> date:
    return date(rng.choice([2025, 2026]), rng.randint(1, 12), rng.randint(1, 28))


@pytest.mark.parametrize("seed", [1, 2])
def test_kept_payment_reads_equal_a_whole_read_after_every_write(engine, seed):
    rng = random.Random(seed)
    companies = [ledger.create_company(engine, {"name": name}) for name in ("가나라벨", "다라데이터")]
    projects = [ledger.create_project(engine, {"company_id": c, "name": f"프로젝트 {i}", "unit_price": 50})
                for i, c in enumerate(companies * 2)]
    owner = dict(zip(projects, companies * 2))
    same(engine)
    payments: list[int] = []
    deposits: list[int] = []
    caught_up = 0
    for _ in range(70):
        before = queries._payment_state(engine)
        roll = rng.random()
        if roll < 0.3 or not payments:
            project = rng.choice(projects)
            payments.append(ledger.create_payment(engine, {
                "company_id": owner[project], **({"project_id": project} if rng.random() < 0.6 else {}),
                "work_month": rng.choice(MONTHS), **amounts(rng),
                **({"received_date": a_day(rng)} if rng.random() < 0.4 else {})}))
        elif roll < 0.55:
            payment = rng.choice(payments)
            change = rng.choice([{"note": f"메모 {rng.random()}"}, {"received_date": a_day(rng)}, amounts(rng),
                                 {"work_month": rng.choice(MONTHS)}, {"received_date": None}])
            try:
                ledger.update_payment(engine, payment, {**change, "version": version_of(engine, Payment, payment)})
            except ledger.LedgerError:
                pass  # e.g. a settled payment's amounts: refused, nothing written
        elif roll < 0.62:
            payment = payments.pop(rng.randrange(len(payments)))
            ledger.delete_payment(engine, payment)
            with engine.connect() as conn:
                deposits = [d for d in deposits if conn.execute(sa.select(Deposit.id).where(Deposit.id == d)).first()]
        elif roll < 0.82:
            payment = rng.choice(payments)
            try:
                deposits.append(ledger.record_deposit(engine, {"payment_id": payment, "received_on": a_day(rng),
                                                               **amounts(rng)}, settle=rng.random() < 0.5))
            except ledger.LedgerError:
                pass  # already received
        elif roll < 0.94 and deposits:
            deposit = rng.choice(deposits)
            change = rng.choice([{"received_on": a_day(rng)}, amounts(rng), {"note": "통장 확인"}])
            try:
                ledger.update_deposit(engine, deposit, {**change, "version": version_of(engine, Deposit, deposit)})
            except ledger.LedgerError:
                pass
        elif deposits and rng.random() < 0.5:
            ledger.delete_deposit(engine, deposits.pop(rng.randrange(len(deposits))))
        elif deposits:  # someone's own SQL moves a deposit to another payment: both payments change
            with engine.begin() as conn:
                conn.execute(sa.update(Deposit).where(Deposit.id == rng.choice(deposits))
                             .values(payment_id=rng.choice(payments)))
        same(engine)
        caught_up += queries._payment_state(engine).keyed is before.keyed
    assert caught_up > 10  # many writes left the months paid as they were: those were not worked out again


def test_a_note_keeps_the_payment_frame_and_an_amount_keeps_the_months_paid(engine, company_id, project_id):
    payment = a_payment(engine, company_id, project_id=project_id)
    a_payment(engine, company_id, work_month=date(2026, 10, 1))
    frame, codes, sums = queries._payment_rows(engine), queries.paid_codes(engine), queries.paid_by_month(engine)
    ledger.update_payment(engine, payment, {"note": "입금 확인 중", "version": 1})
    assert queries._payment_rows(engine) is frame and queries.paid_by_month(engine) is sums
    ledger.update_payment(engine, payment, {"gross": 120_000, "income_tax": 3_600, "local_tax": 360, "net": 116_040,
                                            "version": 2})
    assert queries._payment_rows(engine) is not frame and queries.paid_codes(engine) is codes
    assert queries.paid_by_month(engine)[["work_month", "gross", "net"]].values.tolist() == [
        [date(2026, 9, 1), 120_000, 116_040], [date(2026, 10, 1), 100_000, 96_700]]


@pytest.mark.skipif(not on_postgresql(), reason="SQLite has one writer at a time")
def test_a_second_writer_waits_and_takes_a_larger_stamp(engine, company_id):
    first, second = a_payment(engine, company_id), a_payment(engine, company_id, work_month=date(2026, 10, 1))
    taken = threading.Event()
    done: list[int] = []

    def other_writer():
        with engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
            taken.wait(10)
            conn.execute(sa.text("UPDATE payment SET note = 'B' WHERE id = :id"), {"id": second})
        done.append(1)

    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE payment SET note = 'A' WHERE id = :id"), {"id": first})
        thread = threading.Thread(target=other_writer)
        thread.start()
        taken.set()
        thread.join(0.5)
        assert not done  # waiting for the stamp counter this transaction holds
    thread.join(20)
    assert done
    found = stamps(engine, "payment")
    assert found[second] > found[first] == found[second] - 1


def test_a_deposit_moved_to_another_payment_leaves_the_first(engine, company_id):
    first, second = a_payment(engine, company_id), a_payment(engine, company_id, work_month=date(2026, 10, 1))
    deposit = ledger.record_deposit(engine, {"payment_id": first, "received_on": date(2026, 11, 3), "gross": 50_000,
                                             "income_tax": 1_500, "local_tax": 150, "net": 48_350}, settle=False)
    assert queries.landed(engine)["payment_id"].tolist() == [first]
    with engine.begin() as conn:  # someone's own SQL: only the deposit row is written (and stamped)
        conn.execute(sa.update(Deposit).where(Deposit.id == deposit).values(payment_id=second))
    assert queries.landed(engine)[["payment_id", "net"]].values.tolist() == [[second, 48_350]]
    same(engine)
