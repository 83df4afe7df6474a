"""Hostile values through the public ledger functions (create_/update_ company, project, worklog, payment;
record_deposit, update_deposit): refused in Korean, naming the field, nothing written.

Every (function, field) pair gets a list of hostile values (zero where zero is refused, −1, one past the
bound, 10**30, 2**63, NaN, ∞, 1.5, True, blank and invisible strings, NUL, over-long text, dates outside
2000–2100, a work date after tomorrow …). Each must raise LedgerError — never another exception — whose
message is Korean, names the field's label and whose `.field` is the field, and the database must be
exactly as before. Values at the bounds are accepted and read back unchanged on both backends.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from tests.conftest import count_rows
from tracker import ledger
from tracker.errors import FIELD_LABELS, LedgerError
from tracker.models import Company, Deposit, Payment, Project, WorkLog
from tracker.timeutil import today_kst

# The bounds, as the README states them (the models define them once in tracker/models/base.py).
MONEY_MAX = 100_000_000_000  # ₩1,000억
RATE_MAX = 100_000_000  # ₩1억
COUNT_MAX = 10_000_000
ID_MAX = 2**31 - 1
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)

NAN, INF = float("nan"), float("inf")
HUGE = [10**30, -(10**30), 2**63, -(2**63) - 1, 1e30, -1e300]
NOT_WHOLE = [NAN, INF, -INF, 1.5, -0.5, True, False, "", "   ", "abc", "45,000", "1.5", "1e3", "\x00",
             Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("1.5"), [1], {"a": 1}]


def ints(lo: int, hi: int, *, optional: bool = False) -> list[Any]:
    below = [lo - 1, -1] if lo - 1 != -1 else [-1]
    return below + [hi + 1, *HUGE, *NOT_WHOLE] + ([] if optional else [None])


def ids(*, optional: bool = False) -> list[Any]:
    return [0, -1, ID_MAX + 1, *HUGE, *NOT_WHOLE] + ([] if optional else [None])


BAD_DATES = [date(1999, 12, 31), date(2101, 1, 1), date(9999, 12, 31), date(1, 1, 1), datetime(1999, 12, 31),
             datetime(2026, 11, 2, 10, 30), "10000-01-01", "2026-13-01", "2026-02-30", "20261102", "2026.11.02",
             "", "   ", "abc", "\x00", 20261102, 1_700_000_000, 0, 1.5, NAN, INF, True, Decimal("NaN"), [2026]]


def dates(*, optional: bool = False) -> list[Any]:
    return BAD_DATES + ([] if optional else [None])


def blank_names(max_length: int) -> list[Any]:
    return ["", "   ", " \t\n ", "\u200b", "\u200b \ufeff\u2060\u200d", "\u3164", "\u3000", "\x00", "\x00\x01\x7f",
            "\ud800", "\u0301", "a" * (max_length + 1), "가" * (max_length + 1), " " + "b" * (max_length + 1),
            5, 1.5, True, None, ["이름"], b"\xff"]


def texts(max_length: int) -> list[Any]:
    return ["x" * (max_length + 1), "가" * (max_length + 1), "가\x00" * (max_length + 1), 5, 1.5, True, ["메모"],
            {"메모": 1}]


BAD_ENUM = ["", "   ", "\x00", "x" * 10_000, "PLATFORM?", 5, 1.5, True, None, ["ocr"]]
BAD_BOOL = ["maybe", "", "\x00", 2, -1, 1.5, NAN, None, [True]]


def _cases() -> dict[str, dict[str, list[Any]]]:
    company = {
        "name": blank_names(100),
        "kind": BAD_ENUM,
        "website": texts(300),
        "pay_months_after": ints(0, 12),
        "pay_day": ints(1, 31),
        "pay_shift": BAD_ENUM,
        "withholding_kind": BAD_ENUM,
        "active": BAD_BOOL,
        "notes": texts(2000),
    }
    project = {
        "company_id": ids(),
        "name": blank_names(200),
        "task_type": BAD_ENUM,
        "role": BAD_ENUM,
        "pay_scheme": BAD_ENUM,
        "unit_price": ints(0, RATE_MAX),
        "status": BAD_ENUM,
        "start_date": dates(optional=True),
        "end_date": dates(optional=True),
        "deadline": dates(optional=True),
        "remote": BAD_BOOL,
        "certificate": BAD_ENUM,
        "notes": texts(2000),
        "posting_id": ids(optional=True),
    }
    worklog = {
        "project_id": ids(),
        "work_date": dates() + ["today+2", "today+365"],
        "minutes": ints(0, 1440),
        "items_submitted": ints(0, COUNT_MAX),
        "items_rejected": ints(0, COUNT_MAX),
        "rate": ints(0, RATE_MAX, optional=True),
        "note": texts(1000),
    }
    payment = {
        "company_id": ids(),
        "project_id": ids(optional=True),
        "work_month": dates(),
        "gross": ints(1, MONEY_MAX),
        "income_tax": ints(0, MONEY_MAX),
        "local_tax": ints(0, MONEY_MAX),
        "net": ints(1, MONEY_MAX),
        "expected_date": dates(optional=True),
        "received_date": dates(optional=True),
        "note": texts(1000),
    }
    deposit = {
        "payment_id": ids(),
        "received_on": dates(),
        "gross": ints(1, MONEY_MAX),
        "income_tax": ints(0, MONEY_MAX),
        "local_tax": ints(0, MONEY_MAX),
        "net": ints(1, MONEY_MAX),
        "note": texts(1000),
    }
    worklog_create = worklog | {"pay_scheme": [v for v in BAD_ENUM if v is not None]}  # None: the project's
    # ledger.update_company/update_project turn a name into str() before validating: see LEDGER_SIDE.
    typed_names = {"name": [v for v in company["name"] if isinstance(v, str) or v is None]}
    return {
        "create_company": company,
        "update_company": company | typed_names,
        "create_project": project,
        "update_project": project | {"name": [v for v in project["name"] if isinstance(v, str) or v is None]},
        "create_worklog": worklog_create,
        "update_worklog": worklog,
        "create_payment": payment,
        "update_payment": payment,
        "record_deposit": deposit,
        "update_deposit": {k: v for k, v in deposit.items() if k != "payment_id"},  # its payment is fixed
    }


CASES = _cases()
N_CASES = sum(len(values) for fields in CASES.values() for values in fields.values())


# ---------------------------------------------------------------- running one case


def _value(value: Any) -> Any:
    if value == "today+2":
        return today_kst() + timedelta(days=2)
    if value == "today+365":
        return today_kst() + timedelta(days=365)
    return value


def base(action: str, rows: dict[str, int]) -> dict[str, Any]:
    """Valid data for a create (another company's name, so the fixture's is not a duplicate)."""
    if action == "create_company":
        return {"name": "에이모", "pay_months_after": 1, "pay_day": 10}
    if action == "create_project":
        return {"company_id": rows["company"], "name": "폴리곤", "unit_price": 100, "start_date": date(2026, 10, 1)}
    if action == "create_worklog":
        return {"project_id": rows["project"], "work_date": date(2026, 11, 3), "minutes": 60,
                "items_submitted": 10, "items_rejected": 1}
    if action == "create_payment":
        return {"company_id": rows["company"], "project_id": rows["project"], "work_month": date(2026, 11, 1),
                "gross": 10_000, "income_tax": 300, "local_tax": 30, "net": 9_670}
    if action == "record_deposit":
        return {"payment_id": rows["payment"], "received_on": date(2026, 11, 10), "gross": 100_000,
                "income_tax": 3_000, "local_tax": 300, "net": 96_700}
    raise AssertionError(action)


UPDATED = {"update_company": "company", "update_project": "project", "update_worklog": "worklog",
           "update_payment": "payment", "update_deposit": "deposit"}


def run(engine: sa.Engine, rows: dict[str, int], action: str, field: str, value: Any) -> Any:
    value = _value(value)
    function = getattr(ledger, action)
    if action in UPDATED:
        return function(engine, rows[UPDATED[action]], {field: value})
    return function(engine, base(action, rows) | {field: value})


def make_rows(engine: sa.Engine, company_id: int, project_id: int) -> dict[str, int]:
    worklog = ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 2), "minutes": 60,
                                             "items_submitted": 100, "items_rejected": 5})
    payment = ledger.create_payment(engine, {"company_id": company_id, "project_id": project_id,
                                             "work_month": date(2026, 10, 1), "gross": 100_000, "income_tax": 3_000,
                                             "local_tax": 300, "net": 96_700})
    deposit = ledger.record_deposit(engine, {"payment_id": payment, "received_on": date(2026, 11, 10), "gross": 50_000,
                                             "income_tax": 1_500, "local_tax": 150, "net": 48_350}, settle=False)
    return {"company": company_id, "project": project_id, "worklog": worklog, "payment": payment, "deposit": deposit}


@pytest.fixture
def rows(engine, company_id, project_id) -> dict[str, int]:
    return make_rows(engine, company_id, project_id)


def snapshot(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of every ledger table, for "nothing written" (count_rows alone misses an update)."""
    with engine.connect() as conn:
        return {table: [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))]
                for table in ("company", "project", "worklog", "payment", "deposit")}


HANGUL = re.compile(r"[\uac00-\ud7a3]")
QUOTED = re.compile(r"'[^']*'")


def english_in(message: str) -> list[str]:
    """ASCII words of a message outside quoted input values and the unit 'id'."""
    return [w for w in re.findall(r"[A-Za-z]+", QUOTED.sub("", message)) if w != "id"]


def korean_problem(message: str, field: str | None) -> str | None:
    """Why `message` is not a proper Korean refusal naming `field`, or None when it is."""
    if not HANGUL.search(message):
        return f"not Korean: {message!r}"
    if english_in(message):
        return f"English {english_in(message)} in {message!r}"
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in message) or len(message) > 300:
        return f"control characters or overlong: {message[:80]!r}"
    if field is not None and FIELD_LABELS[field] not in message:
        return f"does not name {FIELD_LABELS[field]!r}: {message!r}"
    return None


def outcome(engine: sa.Engine, rows: dict[str, int], action: str, field: str, value: Any) -> str | None:
    """None when the case is refused properly; else what went wrong ("crash …", "accepted", …)."""
    counts, before = count_rows(engine), snapshot(engine)
    problem = None
    try:
        run(engine, rows, action, field, value)
    except LedgerError as err:
        if err.field != field:
            problem = f"field {err.field!r} ({err.message!r})"
        else:
            problem = korean_problem(err.message, field)
    except Exception as exc:  # noqa: BLE001 - the point is to catch everything that is not LedgerError
        problem = f"crash {type(exc).__name__}: {str(exc)[:120]}"
    else:
        problem = "accepted"
    if count_rows(engine) != counts or snapshot(engine) != before:
        problem = f"{problem or 'refused'}; wrote to the database"
    return problem


@pytest.mark.parametrize("action", list(CASES))
def test_hostile_values_are_refused_in_korean_and_write_nothing(engine, rows, action):
    problems = []
    for field, values in CASES[action].items():
        for value in values:
            problem = outcome(engine, rows, action, field, value)
            if problem:
                problems.append(f"{action}({field}={value!r:.40}): {problem}")
    assert not problems, f"{len(problems)} of {sum(map(len, CASES[action].values()))} cases:\n" + "\n".join(problems)


# Hostile values the models cannot refuse alone: ledger.py must (see the report to the lead).
LEDGER_SIDE = [
    # _edit applies the change before the reference checks, whose query autoflushes it: IntegrityError.
    ("update_project", "company_id", 999),
    ("update_worklog", "project_id", 999),
    ("update_payment", "company_id", 999),
    ("update_payment", "project_id", 999),
    # The posting of a project is never looked up: the foreign key refuses it (IntegrityError).
    ("create_project", "posting_id", 999),
    ("update_project", "posting_id", 999),
    # None is "copy the project's price" on create, but an edit writes it into a NOT NULL column.
    ("update_worklog", "rate", None),
    # update_company/update_project do str(changes["name"]) before validating: 5 is stored as "5".
    ("update_company", "name", 5),
    ("update_company", "name", True),
    ("update_company", "name", ["이름"]),
    ("update_project", "name", 1.5),
    ("update_project", "name", b"\xff"),
]


def test_hostile_values_the_ledger_must_refuse(engine, rows):
    problems = [f"{action}({field}={value!r}): {problem}" for action, field, value in LEDGER_SIDE
                if (problem := outcome(engine, rows, action, field, value))]
    assert not problems, "\n".join(problems)


ROW_ID_ACTIONS = ["update_company", "update_project", "update_worklog", "update_payment", "update_deposit",
                  "delete_company", "delete_project", "delete_worklog", "delete_payment", "delete_deposit"]


def test_row_ids_out_of_range_are_not_found(engine):
    problems = []
    for action in ROW_ID_ACTIONS:
        for row_id in (2**63, -(2**63) - 1, 10**30):
            args = (row_id, {}) if action.startswith("update") else (row_id,)
            try:
                getattr(ledger, action)(engine, *args)
            except LedgerError as err:
                if korean_problem(err.message, None):
                    problems.append(f"{action}({row_id}): {korean_problem(err.message, None)}")
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{action}({row_id}): crash {type(exc).__name__}")
            else:
                problems.append(f"{action}({row_id}): accepted")
    assert not problems, "\n".join(problems)


def test_the_table_is_big_enough():
    assert N_CASES >= 64 * 9
    assert set(CASES["create_payment"]) >= {"gross", "income_tax", "local_tax", "net", "work_month"}


# ---------------------------------------------------------------- exact messages of the common cases


def refusal(engine, rows, action, field, value) -> LedgerError:
    counts = count_rows(engine)
    with pytest.raises(LedgerError) as info:
        run(engine, rows, action, field, value)
    assert count_rows(engine) == counts
    assert info.value.field == field
    return info.value


EXACT = [
    ("create_payment", "gross", 0, "지급액(세전)은 1원 이상이어야 합니다."),
    ("create_payment", "net", 0, "실수령액은 1원 이상이어야 합니다."),
    ("record_deposit", "gross", 0, "지급액(세전)은 1원 이상이어야 합니다."),
    ("create_payment", "gross", 10**30, "지급액(세전)은 100,000,000,000원 이하여야 합니다."),
    ("create_payment", "gross", 2**63, "지급액(세전)은 100,000,000,000원 이하여야 합니다."),
    ("create_payment", "gross", -(2**63) - 1, "지급액(세전)은 1원 이상이어야 합니다."),
    ("create_payment", "gross", 1e30, "지급액(세전)은 100,000,000,000원 이하여야 합니다."),
    ("create_payment", "gross", NAN, "지급액(세전)은 정수(원 단위)로 입력하세요."),
    ("create_payment", "gross", INF, "지급액(세전)은 정수(원 단위)로 입력하세요."),
    ("create_payment", "gross", 1.5, "지급액(세전)은 정수(원 단위)로 입력하세요."),
    ("create_payment", "gross", Decimal("NaN"), "지급액(세전)은 정수(원 단위)로 입력하세요."),
    ("create_payment", "gross", True, "지급액(세전)은 정수(원 단위)로 입력하세요."),
    ("create_payment", "gross", "45,000", "지급액(세전)은 정수(원 단위)로 입력하세요."),
    ("create_payment", "gross", None, "지급액(세전)을 입력하세요."),
    ("create_payment", "income_tax", -1, "소득세 원천징수액은 0원 이상이어야 합니다."),
    ("create_worklog", "items_submitted", 10_000_001, "제출 건수는 10,000,000건 이하여야 합니다."),
    ("create_worklog", "items_submitted", 1.5, "제출 건수는 정수(건 단위)로 입력하세요."),
    ("create_worklog", "minutes", NAN, "작업 시간(분)은 정수(분 단위)로 입력하세요."),
    ("create_worklog", "rate", RATE_MAX + 1, "적용 단가는 100,000,000원 이하여야 합니다."),
    ("update_project", "unit_price", RATE_MAX + 1, "단가는 100,000,000원 이하여야 합니다."),
    ("update_company", "pay_day", 2**63, "지급일은 31 이하여야 합니다."),
    ("create_company", "name", " \t\u200b\ufeff ", "이름을 입력하세요."),
    ("create_company", "name", "\x00", "이름을 입력하세요."),
    ("update_company", "name", "a" * 101, "이름은 100자 이하여야 합니다."),
    ("create_company", "notes", 5, "메모는 글자로 입력하세요."),
    ("create_project", "company_id", 2**63, "회사를 찾을 수 없습니다 (id 9223372036854775808)."),
    ("create_project", "company_id", 1.5, "회사를 찾을 수 없습니다 (id '1.5')."),
    ("create_project", "status", "\x00", "상태 값이 올바르지 않습니다."),
    ("create_project", "status", "x" * 10_000, "상태 값이 올바르지 않습니다: 'xxxxxxxxxxxxxxxxxxxx…'"),
    ("create_project", "end_date", date(9999, 12, 31),
     "종료일은 2000-01-01부터 2100-12-31까지의 날짜만 입력할 수 있습니다."),
    ("update_payment", "work_month", date(1999, 12, 31),
     "작업월은 2000-01-01부터 2100-12-31까지의 날짜만 입력할 수 있습니다."),
    ("create_payment", "expected_date", "10000-01-01", "지급 예정일은 날짜(예: 2026-11-02)로 입력하세요."),
    ("create_payment", "received_date", datetime(2026, 11, 2, 10, 30), "입금일은 날짜(예: 2026-11-02)로 입력하세요."),
    ("record_deposit", "received_on", NAN, "입금일은 날짜(예: 2026-11-02)로 입력하세요."),
    ("create_company", "active", "maybe", "거래 중 값이 올바르지 않습니다."),
]


def test_exact_messages(engine, rows):
    wrong = []
    for action, field, value, message in EXACT:
        got = refusal(engine, rows, action, field, value)
        if (got.field, got.message) != (field, message):
            wrong.append(f"{action}({field}={value!r:.30}): {got.field} {got.message!r}, expected {message!r}")
    assert not wrong, "\n".join(wrong)


def test_a_work_date_after_tomorrow(engine, rows):
    tomorrow = today_kst() + timedelta(days=1)
    err = refusal(engine, rows, "create_worklog", "work_date", "today+2")
    assert err.message == f"작업일은 내일({tomorrow.isoformat()})까지만 입력할 수 있습니다."
    ledger.create_worklog(engine, base("create_worklog", rows) | {"work_date": tomorrow})


def test_work_date_follows_the_pinned_today(engine, rows, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2026-11-02")
    err = refusal(engine, rows, "create_worklog", "work_date", date(2026, 11, 4))
    assert err.message == "작업일은 내일(2026-11-03)까지만 입력할 수 있습니다."
    ledger.create_worklog(engine, base("create_worklog", rows) | {"work_date": date(2026, 11, 3)})


# ---------------------------------------------------------------- values at the bounds are stored exactly


def test_money_at_the_bounds_round_trips(engine, rows):
    top = {"gross": MONEY_MAX, "income_tax": 3_000_000_000, "local_tax": 300_000_000, "net": 96_700_000_000}
    big = ledger.create_payment(engine, base("create_payment", rows) | top)
    low = ledger.create_payment(engine, base("create_payment", rows) | {"gross": 1, "income_tax": 0, "local_tax": 0,
                                                                          "net": 1})
    all_but_one = {"gross": MONEY_MAX, "income_tax": MONEY_MAX - 1, "local_tax": 0, "net": 1}
    taxed = ledger.create_payment(engine, base("create_payment", rows) | all_but_one)
    deposit = ledger.record_deposit(engine, {"payment_id": big, "received_on": LAST_DAY} | top)
    with Session(engine) as s:
        assert s.get(Payment, big).model_dump(include=set(top)) == top
        assert s.get(Deposit, deposit).model_dump(include=set(top)) == top
        assert (s.get(Payment, low).gross, s.get(Payment, low).net) == (1, 1)
        assert s.get(Payment, taxed).income_tax == MONEY_MAX - 1
    with engine.connect() as conn:  # the raw column, not just what the ORM makes of it
        stored = conn.execute(sa.text("SELECT gross, net FROM payment WHERE id = :id"), {"id": big}).one()
        assert tuple(stored) == (MONEY_MAX, 96_700_000_000)
        assert all(type(v) is int for v in stored)


def test_rates_counts_minutes_and_days_at_the_bounds(engine, rows, company_id):
    ledger.update_project(engine, rows["project"], {"unit_price": RATE_MAX, "end_date": LAST_DAY,
                                                    "deadline": LAST_DAY})
    free = ledger.create_project(engine, {"company_id": company_id, "name": "관심만", "unit_price": 0,
                                          "start_date": FIRST_DAY, "status": "interested"})
    log = ledger.create_worklog(engine, {"project_id": rows["project"], "work_date": FIRST_DAY, "minutes": 1440,
                                         "items_submitted": COUNT_MAX, "items_rejected": COUNT_MAX})
    zero = ledger.create_worklog(engine, {"project_id": free, "work_date": date(2000, 1, 2), "minutes": 0,
                                          "items_submitted": 0, "items_rejected": 0})
    ledger.update_company(engine, company_id, {"pay_day": 31, "pay_months_after": 12})
    other = ledger.create_company(engine, {"name": "당월", "pay_day": 1, "pay_months_after": 0})
    with Session(engine) as s:
        row = s.get(WorkLog, log)
        assert (row.rate, row.minutes, row.items_submitted, row.items_rejected, row.work_date) == (
            RATE_MAX, 1440, COUNT_MAX, COUNT_MAX, FIRST_DAY)
        assert (s.get(WorkLog, zero).rate, s.get(WorkLog, zero).minutes) == (0, 0)
        project = s.get(Project, rows["project"])
        assert (project.unit_price, project.end_date, project.deadline) == (RATE_MAX, LAST_DAY, LAST_DAY)
        assert s.get(Project, free).unit_price == 0
        assert (s.get(Company, company_id).pay_day, s.get(Company, company_id).pay_months_after) == (31, 12)
        assert (s.get(Company, other).pay_day, s.get(Company, other).pay_months_after) == (1, 0)


def test_floats_and_strings_that_are_whole_numbers_are_accepted(engine, rows):
    pid = ledger.create_payment(engine, base("create_payment", rows) | {"gross": 10_000.0, "income_tax": "300",
                                                                          "local_tax": Decimal("30"), "net": 9_670})
    with Session(engine) as s:
        row = s.get(Payment, pid)
        assert (row.gross, row.income_tax, row.local_tax) == (10_000, 300, 30)
        assert all(type(v) is int for v in (row.gross, row.income_tax, row.local_tax))


def test_work_month_at_the_last_month(engine, rows):
    pid = ledger.create_payment(engine, base("create_payment", rows) | {"work_month": LAST_DAY,
                                                                          "expected_date": LAST_DAY})
    with Session(engine) as s:
        assert s.get(Payment, pid).work_month == date(2100, 12, 1)


# ---------------------------------------------------------------- text is cleaned before it is stored


def test_company_name_is_cleaned(engine):
    cid = ledger.create_company(engine, {"name": "  에이모\x00\u0007 ", "website": " https://aimmo.ai\n/x\x00 ",
                                         "notes": "첫 줄\r\n둘째\t칸\x00\x1b"})
    with Session(engine) as s:
        row = s.get(Company, cid)
        assert (row.name, row.website, row.notes) == ("에이모", "https://aimmo.ai /x", "첫 줄\n둘째\t칸")


def test_note_keeps_newlines_and_tabs(engine, rows):
    lid = ledger.create_worklog(engine, base("create_worklog", rows) | {"note": "첫 줄\n둘째\t칸\x00"})
    with Session(engine) as s:
        assert s.get(WorkLog, lid).note == "첫 줄\n둘째\t칸"


def test_names_are_single_line_nfc_and_without_invisible_characters(engine, company_id):
    decomposed = unicodedata.normalize("NFD", "간판  OCR\u200b\n2차")
    pid = ledger.create_project(engine, {"company_id": company_id, "name": decomposed})
    with Session(engine) as s:
        assert s.get(Project, pid).name == "간판 OCR 2차"
    # The same name typed another way (decomposed Hangul, a zero-width space) is the same company.
    ledger.create_company(engine, {"name": "에이모"})
    with pytest.raises(LedgerError) as info:
        ledger.create_company(engine, {"name": unicodedata.normalize("NFD", "에이\u200b모")})
    assert (info.value.field, info.value.message) == ("name", "같은 이름의 회사가 이미 있습니다: 에이모")


def test_lengths_are_measured_after_cleaning(engine, rows):
    cid = ledger.create_company(engine, {"name": "가" * 100 + "\x00" * 10 + "   "})
    lid = ledger.create_worklog(engine, base("create_worklog", rows) | {"note": "나" * 1000 + "\x00" * 5})
    with Session(engine) as s:
        assert s.get(Company, cid).name == "가" * 100
        assert s.get(WorkLog, lid).note == "나" * 1000


def test_lone_surrogates_are_dropped(engine):
    cid = ledger.create_company(engine, {"name": "에이모\ud800", "notes": "메모\udfff"})
    with Session(engine) as s:
        assert (s.get(Company, cid).name, s.get(Company, cid).notes) == ("에이모", "메모")


def test_empty_text_fields_may_be_none(engine, company_id):
    ledger.update_company(engine, company_id, {"website": None, "notes": None})
    with Session(engine) as s:
        assert (s.get(Company, company_id).website, s.get(Company, company_id).notes) == ("", "")


def test_unknown_keys_are_ignored(engine, company_id):
    ledger.update_company(engine, company_id, {"pay_day": 25, "id": 99, "created_at": "어제"})
    with Session(engine) as s:
        assert (s.get(Company, company_id).id, s.get(Company, company_id).pay_day) == (company_id, 25)
