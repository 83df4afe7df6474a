"""Helpers shared by the model modules, and the bounds of every field a user can type into.

The bounds are defined once here, as annotated types, and used by the Base (table), Create and Update
models alike, so the three cannot drift apart. A refusal is a pydantic error whose type
tracker.errors turns into a Korean sentence naming the field.

| type          | fields                                               | accepted                          |
|---------------|------------------------------------------------------|-----------------------------------|
| Amount        | gross, net (payment, deposit)                        | 1 … 100,000,000,000 (원)          |
| Withheld      | income_tax, local_tax                                | 0 … 100,000,000,000 (원)          |
| Rate          | unit_price, rate                                     | 0 … 100,000,000 (원)              |
| Count         | items_submitted, items_rejected                      | 0 … 10,000,000 (건)               |
| Minutes       | minutes                                              | 0 … 1,440 (분)                    |
| PayDay        | pay_day                                              | 1 … 31                            |
| MonthsAfter   | pay_months_after                                     | 0 … 12                            |
| RowId         | company_id, project_id, payment_id, posting_id       | 1 … 2,147,483,647 (INTEGER)       |
| Day           | every date                                           | 2000-01-01 … 2100-12-31           |
| WorkDay       | work_date                                            | 2000-01-01 … tomorrow in Korea    |
| name_type(n)  | names: one line, NFC, no control/invisible chars     | 1 … n characters after cleaning   |
| line_type(n)  | website: one line, NFC, no control/invisible chars   | 0 … n characters after cleaning   |
| text_type(n)  | notes, memo: NFC, no control chars but \\n and \\t     | 0 … n characters after cleaning   |

Whole numbers only: 1.0, "12" and Decimal("3") are taken as 1, 12 and 3; 1.5, NaN, ±∞, True/False,
"45,000" and anything else are refused. Dates are date objects (a datetime at midnight is taken) or
"YYYY-MM-DD" strings; numbers are never dates.
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import AfterValidator, BeforeValidator
from pydantic import Field as Bound
from pydantic_core import PydanticCustomError, PydanticKnownError
from sqlmodel import Field, SQLModel

from tracker.timeutil import now_kst, today_kst

# Named constraints, so migrations can alter them the same way on SQLite (batch) and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# ---------------------------------------------------------------- the bounds

MONEY_MAX = 100_000_000_000  # ₩1,000억: any one payment or deposit (BIGINT)
RATE_MAX = 100_000_000  # ₩1억: a unit price, an hourly rate or a fixed project price
COUNT_MAX = 10_000_000  # items in one day's entry (INTEGER)
MINUTES_PER_DAY = 24 * 60
ID_MAX = 2**31 - 1  # ids are INTEGER columns on PostgreSQL
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)

# Field name → (lowest, highest) accepted, for the tests and anyone who needs to say it.
INT_BOUNDS: dict[str, tuple[int, int]] = {
    "gross": (1, MONEY_MAX),
    "net": (1, MONEY_MAX),
    "income_tax": (0, MONEY_MAX),
    "local_tax": (0, MONEY_MAX),
    "unit_price": (0, RATE_MAX),
    "rate": (0, RATE_MAX),
    "items_submitted": (0, COUNT_MAX),
    "items_rejected": (0, COUNT_MAX),
    "minutes": (0, MINUTES_PER_DAY),
    "pay_day": (1, 31),
    "pay_months_after": (0, 12),
    "company_id": (1, ID_MAX),
    "project_id": (1, ID_MAX),
    "payment_id": (1, ID_MAX),
    "posting_id": (1, ID_MAX),
}


def refuse(field: str, message: str) -> PydanticCustomError:
    """An error for a model validator: the Korean sentence is shown as is and names `field`."""
    return PydanticCustomError("korean", "{message}", {"message": message, "field": field})


# ---------------------------------------------------------------- whole numbers


_LONG_INT = re.compile(r"\s*[+-]?0*[1-9][0-9]{20,}\s*")


def _whole(lo: int, hi: int):
    """Before int validation: refuse bools, take integral floats and Decimals as ints, and answer
    numbers far outside the bounds with the bound itself (never an OverflowError or a huge int())."""

    def check(value: Any) -> Any:
        if isinstance(value, bool) or getattr(getattr(value, "dtype", None), "kind", None) == "b":  # numpy too
            raise PydanticCustomError("int_from_bool", "정수가 아닙니다.")
        if isinstance(value, str) and _LONG_INT.fullmatch(value):  # digits beyond any bound
            if value.strip().startswith("-"):
                raise PydanticKnownError("greater_than_equal", {"ge": lo})
            raise PydanticKnownError("less_than_equal", {"le": hi})
        if isinstance(value, float | Decimal):
            if isinstance(value, Decimal) and not value.is_finite():
                raise PydanticCustomError("finite_number", "유한한 숫자가 아닙니다.")
            if isinstance(value, float) and not math.isfinite(value):
                raise PydanticCustomError("finite_number", "유한한 숫자가 아닙니다.")
            if value > hi:
                raise PydanticKnownError("less_than_equal", {"le": hi})
            if value < lo:
                raise PydanticKnownError("greater_than_equal", {"ge": lo})
            if value != int(value):
                raise PydanticCustomError("int_from_float", "정수가 아닙니다.")
            return int(value)
        return value

    return check


def whole_number(lo: int, hi: int):
    """An int from lo to hi (both included)."""
    return Annotated[int, Bound(ge=lo, le=hi), BeforeValidator(_whole(lo, hi))]


Amount = whole_number(1, MONEY_MAX)
Withheld = whole_number(0, MONEY_MAX)
Rate = whole_number(0, RATE_MAX)
Count = whole_number(0, COUNT_MAX)
Minutes = whole_number(0, MINUTES_PER_DAY)
PayDay = whole_number(1, 31)
MonthsAfter = whole_number(0, 12)
RowId = whole_number(1, ID_MAX)

# ---------------------------------------------------------------- dates

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_input(value: Any) -> Any:
    """A date, a datetime (pydantic takes it at midnight only) or a 'YYYY-MM-DD' string."""
    if isinstance(value, date):  # datetime too
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        raise PydanticCustomError("date_parsing", "날짜 형식이 아닙니다.")
    raise PydanticCustomError("date_type", "날짜가 아닙니다.")


def _in_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("date_out_of_range", "날짜 범위를 벗어났습니다.",
                                  {"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()})
    return value


def latest_work_date() -> date:
    """A work entry may be dated up to tomorrow in Korea (TRACKER_TODAY pins today)."""
    return today_kst() + timedelta(days=1)


def _not_after_tomorrow(value: date) -> date:
    latest = latest_work_date()
    if value > latest:
        raise PydanticCustomError("date_future", "미래의 날짜입니다.", {"max": latest.isoformat()})
    return value


Day = Annotated[date, BeforeValidator(_date_input), AfterValidator(_in_range)]
WorkDay = Annotated[date, BeforeValidator(_date_input), AfterValidator(_in_range), AfterValidator(_not_after_tomorrow)]

# ---------------------------------------------------------------- text

# Characters that show as nothing but are not format (Cf) characters: Hangul fillers, braille blank,
# the combining grapheme joiner, Khmer inherent vowels.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _as_str(value: Any) -> Any:
    """Text as one str without surrogates: UTF-8 bytes decoded, a surrogate pair joined into its
    character, a lone surrogate (which no database can store) dropped."""
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise PydanticCustomError("string_unicode", "글자가 아닙니다.") from None
    if isinstance(value, str) and any("\ud800" <= ch <= "\udfff" for ch in value):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    return value


def clean_line(value: Any) -> Any:
    """One line of text: NFC, control, format and invisible characters removed, any run of
    whitespace (line breaks and tabs too) one space, no space at either end. Combining marks alone
    count as nothing. Values that are not text are left for pydantic to refuse."""
    value = _as_str(value)
    if not isinstance(value, str):
        return value
    kept = []
    for ch in value:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs") and ch not in _INVISIBLE:
            kept.append(ch)
    text = " ".join(unicodedata.normalize("NFC", "".join(kept)).split())
    if all(unicodedata.category(ch).startswith("M") for ch in text):
        return ""
    return text


def clean_text(value: Any) -> Any:
    """Free text (notes): NFC, line breaks as \\n, control characters but \\n and \\t removed,
    no blank space at either end. None is empty."""
    if value is None:
        return ""
    value = _as_str(value)
    if not isinstance(value, str):
        return value
    kept = []
    for ch in value.replace("\r\n", "\n"):
        if ch in _LINE_BREAKS:
            kept.append("\n")
        elif ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cs"):
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)).strip()


def _empty_line(value: Any) -> Any:
    return "" if value is None else clean_line(value)


def name_type(max_length: int):
    """A name: one clean line of 1 to max_length characters."""
    return Annotated[str, Bound(min_length=1, max_length=max_length), BeforeValidator(clean_line)]


def line_type(max_length: int):
    """An optional one-line text such as a web address (None is empty)."""
    return Annotated[str, Bound(max_length=max_length), BeforeValidator(_empty_line)]


def text_type(max_length: int):
    """Notes: clean text of up to max_length characters (None is empty)."""
    return Annotated[str, Bound(max_length=max_length), BeforeValidator(clean_text)]


# ---------------------------------------------------------------- columns


def money_field(default: int | None = 0, **kw):
    """Integer KRW stored as BIGINT; the bounds come with the annotated type (Amount, Withheld, Rate)."""
    return Field(default=default, sa_type=sa.BigInteger, **kw)


def created_at_field():
    return Field(default_factory=now_kst, nullable=False)


def version_field():
    """The row's edit version: 1 when created, +1 on every update (optimistic concurrency)."""
    return Field(default=1, ge=1, nullable=False, sa_column_kwargs={"server_default": "1"})


__all__ = [
    "COUNT_MAX", "FIRST_DAY", "ID_MAX", "INT_BOUNDS", "LAST_DAY", "MINUTES_PER_DAY", "MONEY_MAX", "RATE_MAX",
    "Amount", "Count", "Day", "Minutes", "MonthsAfter", "PayDay", "Rate", "RowId", "WorkDay", "Withheld",
    "clean_line", "clean_text", "created_at_field", "latest_work_date", "line_type", "money_field", "name_type",
    "refuse", "text_type", "version_field", "whole_number",
]
