"""Property tests: every field of every Create and Update model, given anything at all, either validates
into a value within its bounds or is refused with a Korean sentence naming the field — never another
exception. Plus: the bounds are the same in Base, Create and Update, and every value they allow fits
its column on PostgreSQL."""
from __future__ import annotations

import enum
import typing
import unicodedata
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from tests.test_hostile import korean_problem
from tracker.errors import all_from_validation_error, from_validation_error
from tracker.models import (
    Company,
    CompanyCreate,
    CompanyUpdate,
    Deposit,
    DepositCreate,
    Payment,
    PaymentCreate,
    PaymentUpdate,
    Project,
    ProjectCreate,
    ProjectUpdate,
    WorkLog,
    WorkLogCreate,
    WorkLogUpdate,
)
from tracker.models.base import FIRST_DAY, INT_BOUNDS, LAST_DAY, latest_work_date

# Valid data for each Create model; an Update model starts from nothing.
BASES = {
    CompanyCreate: {"name": "에이모"},
    ProjectCreate: {"company_id": 1, "name": "폴리곤"},
    WorkLogCreate: {"project_id": 1, "work_date": date(2026, 11, 2)},
    PaymentCreate: {"company_id": 1, "work_month": date(2026, 10, 1), "gross": 100_000, "income_tax": 3_000,
                    "local_tax": 300, "net": 96_700},
    DepositCreate: {"payment_id": 1, "received_on": date(2026, 11, 10), "gross": 100_000, "income_tax": 3_000,
                    "local_tax": 300, "net": 96_700},
    CompanyUpdate: {},
    ProjectUpdate: {},
    WorkLogUpdate: {},
    PaymentUpdate: {},
}
MODELS = list(BASES)
NAMES = {"name"}
LINES = {"website"}
TEXTS = {"notes", "note"}

NEAR_BOUNDS = sorted({v for lo, hi in INT_BOUNDS.values() for v in (lo - 1, lo, hi, hi + 1)})
NEAR_DAYS = [FIRST_DAY - timedelta(days=1), FIRST_DAY, LAST_DAY, LAST_DAY + timedelta(days=1), date.max, date.min]

ANYTHING = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(NEAR_BOUNDS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1, 1, 1)),
    st.sampled_from(NEAR_DAYS),
    st.datetimes(),
    st.text(),
    st.text(alphabet=st.characters(codec=None), max_size=5),  # control, format and surrogate characters
    st.from_regex(r"\A-?[0-9]{1,25}(\.[0-9]{1,3})?\Z"),  # numbers as the UI might send them
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),  # dates as text
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=2),
)


def max_length(model, field: str) -> int | None:
    return next((m.max_length for m in model.model_fields[field].metadata if hasattr(m, "max_length")), None)


def within_bounds(model, field: str, given, value) -> str | None:
    """Why a validated `value` of `field` is out of its bounds, or None when it is fine."""
    if value is None:
        return None if given is None and not model.model_fields[field].is_required() else f"None from {given!r}"
    if field in INT_BOUNDS:
        lo, hi = INT_BOUNDS[field]
        if type(value) is not int or not lo <= value <= hi:
            return f"{value!r} outside {lo}..{hi}"
        if type(given) is int and given != value:
            return f"{given!r} became {value!r}"
        return None
    if isinstance(value, date):
        if isinstance(value, datetime) or not FIRST_DAY <= value <= LAST_DAY:
            return f"date {value!r}"
        if field == "work_date" and value > latest_work_date():
            return f"work date {value} after tomorrow"
        if field == "work_month" and value.day != 1:
            return f"work month {value}"
        return None
    if isinstance(value, enum.Enum) or isinstance(value, bool):
        return None
    if isinstance(value, str):
        limit = max_length(model, field)
        if limit is not None and len(value) > limit:
            return f"{len(value)} characters > {limit}"
        if not unicodedata.is_normalized("NFC", value):
            return "not NFC"
        allowed = "\n\t" if field in TEXTS else ""
        if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in value):
            return f"control characters in {value!r}"
        if field in NAMES | LINES:
            if value != value.strip() or any(ch.isspace() and ch != " " for ch in value):
                return f"not one clean line: {value!r}"
            if any(unicodedata.category(ch) == "Cf" for ch in value):
                return f"invisible characters in {value!r}"
        if field in NAMES and not value:
            return "empty name"
        return None
    return f"unexpected {type(value).__name__} {value!r}"


def check(model, field: str, given) -> None:
    data = BASES[model] | {field: given}
    try:
        valid = model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        err = from_validation_error(exc)
        if first["type"] == "korean":  # a cross-field rule (net = gross − taxes, …) on another field
            assert err.field in model.model_fields, err.field
        else:
            assert err.field == field, (err.field, err.message)
        for each, raw in zip(all_from_validation_error(exc), exc.errors(), strict=True):
            # A cross-field rule's own sentence names the fields in its own words ("원천징수액 합계").
            named = each.field if raw["type"] != "korean" and each.field in model.model_fields else None
            problem = korean_problem(each.message, named)
            assert problem is None, f"{field}={given!r}: {problem}"
        return
    problem = within_bounds(model, field, given, getattr(valid, field))
    assert problem is None, f"{model.__name__}.{field}={given!r} accepted: {problem}"


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_any_value_is_within_bounds_or_refused_in_korean(model):
    fields = sorted(model.model_fields)

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(field=st.sampled_from(fields), value=ANYTHING)
    def run(field, value):
        check(model, field, value)

    run()


# ---------------------------------------------------------------- the bounds are defined once


PAIRS = [(CompanyCreate, CompanyUpdate, Company), (ProjectCreate, ProjectUpdate, Project),
         (WorkLogCreate, WorkLogUpdate, WorkLog), (PaymentCreate, PaymentUpdate, Payment)]


def constraints(model, field: str) -> list[str]:
    """The field's bounds and validators, by name (the same annotated type gives the same list);
    for `X | None`, those of X."""
    info = model.model_fields[field]
    metadata = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        if typing.get_origin(arg) is typing.Annotated:
            metadata += arg.__metadata__
    flat = [inner for m in metadata for inner in (m.metadata if isinstance(m, FieldInfo) else [m])]
    out = []
    for m in flat:
        func = getattr(m, "func", None)
        out.append(getattr(func, "__qualname__", None) if func else repr(m))
    return [c for c in out if c and not c.startswith("FieldInfoMetadata")]


@pytest.mark.parametrize(("create", "update", "table"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_update_create_and_table_models_share_the_bounds(create, update, table):
    for field in update.model_fields:
        assert field in create.model_fields, field
        assert not update.model_fields[field].is_required() and update.model_fields[field].default is None, field
        assert getattr(update.model_validate({field: None}), field) is None
        assert constraints(update, field) == constraints(create, field), field
    for field in create.model_fields:
        if field in table.model_fields:
            assert constraints(create, field) == constraints(table, field), field


def test_deposit_create_and_table_share_the_bounds():
    for field in DepositCreate.model_fields:
        assert constraints(DepositCreate, field) == constraints(Deposit, field), field


@pytest.mark.parametrize(("create", "update", "table"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_update_models_refuse_what_create_models_refuse(create, update, table):
    hostile = [0, -1, 10**30, 2**63, float("nan"), float("inf"), 1.5, True, "", "   ", "\x00", "\u200b",
               date(1999, 12, 31), date(2101, 1, 1), "10000-01-01", "x" * 3000]
    for field in update.model_fields:
        for value in hostile:
            create_error = _error(create, BASES[create] | {field: value}, field)
            update_error = _error(update, {field: value}, field)
            assert create_error == update_error, (field, value, create_error, update_error)


def _error(model, data, field):
    try:
        model.model_validate(data)
    except ValidationError as exc:
        errors = [e for e in all_from_validation_error(exc) if e.field == field]
        return errors[0].message if errors else None
    return None


def test_create_models_ignore_unknown_keys():
    for model, data in BASES.items():
        valid = model.model_validate(data | {"version": 3, "id": 7, "created_at": "어제", "extra": "\x00"})
        assert not hasattr(valid, "extra") and "version" not in valid.model_dump()


# ---------------------------------------------------------------- every allowed value fits its column

COLUMN_MAX = {sa.Integer: 2**31 - 1, sa.BigInteger: 2**63 - 1}


@pytest.mark.parametrize("table", [Company, Project, WorkLog, Payment, Deposit], ids=lambda t: t.__name__)
def test_bounds_fit_the_postgresql_columns(table):
    for column in table.__table__.columns:
        if column.name in INT_BOUNDS:
            lo, hi = INT_BOUNDS[column.name]
            kind = type(column.type)
            assert kind in COLUMN_MAX, (column.name, kind)
            assert -COLUMN_MAX[kind] - 1 <= lo and hi <= COLUMN_MAX[kind], (column.name, kind, hi)
        elif isinstance(column.type, sa.String) and not isinstance(column.type, sa.Enum):
            if column.type.length is not None:
                assert max_length(table, column.name) == column.type.length, column.name
    money = {"gross", "net", "income_tax", "local_tax", "unit_price", "rate"}
    for column in table.__table__.columns:
        if column.name in money:
            assert isinstance(column.type, sa.BigInteger), column.name
