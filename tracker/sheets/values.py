"""Cell values as people type them into a spreadsheet, read into what the ledger stores.

Every reader takes what a cell holds (text from a CSV; a number, date, datetime or time from an
xlsx) and returns the value, or raises `CellError` with a Korean reason for the "N행 열: 이유" line.
Money and minutes go through tracker.inputs (the same rules as the forms); bounds stay the models'.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from tracker.inputs import parse_amount, parse_minutes

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's 1900 leap-year quirk before March
SERIAL_RANGE = (36526, 73415)  # 2000-01-01 … 2100-12-31, the ledger's dates


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason, in Korean."""


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def shown(value: Any) -> str:
    """A cell as a reason may quote it: one line, at most 20 characters."""
    text = " ".join(_text(value).split())
    return text if len(text) <= 20 else text[:20] + "…"


def text(value: Any) -> str:
    """A name or a note: text as written; whole numbers without '.0' (a project called 2025)."""
    if is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# ---------------------------------------------------------------- dates and months

_SEP = r"[-./]"
_YMD = re.compile(rf"(\d{{4}}|\d{{2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})\.?(?:T?\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?)?")
_KOREAN_YMD = re.compile(r"(\d{4}|\d{2})년(\d{1,2})월(\d{1,2})일?")
_COMPACT_YMD = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YM = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}})\.?")
_KOREAN_YM = re.compile(r"(\d{4}|\d{2})년(\d{1,2})월?")


def _year(digits: str) -> int:
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _make(year: int, month: int, day: int, value: Any) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"없는 날짜입니다: '{shown(value)}'") from None


def from_serial(number: float) -> date | None:
    """An Excel date serial (a date cell saved without its format, or a CSV of serials)."""
    if isinstance(number, float) and not number.is_integer():
        number = int(number)  # a serial with a time of day: the day
    if SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        return EXCEL_EPOCH + timedelta(days=int(number))
    return None


def parse_date(value: Any) -> date:
    """A day: an Excel date or serial, 2025-03-04, 2025.03.04, 2025.3.4, 25.3.4, 2025/3/4, 2025. 3. 4.,
    2025년 3월 4일, 20250304."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("날짜가 아닙니다.")
    if isinstance(value, int | float):
        if isinstance(value, int) and _COMPACT_YMD.fullmatch(str(value)):
            return parse_date(str(value))
        found = from_serial(value)
        if found is None:
            raise CellError(f"날짜로 읽을 수 없습니다: '{shown(value)}'")
        return found
    compact = re.sub(r"\s+", "", _text(value))
    for pattern in (_YMD, _KOREAN_YMD, _COMPACT_YMD):
        match = pattern.fullmatch(compact)
        if match:
            y, m, d = match.groups()
            return _make(_year(y), int(m), int(d), value)
    if re.fullmatch(r"\d+(\.0+)?", compact):
        found = from_serial(float(compact))
        if found is not None:
            return found
    raise CellError(f"날짜로 읽을 수 없습니다: '{shown(value)}' (예: 2025-03-04, 2025.3.4, 25.3.4)")


def parse_month(value: Any) -> date:
    """A work month as its 1st day: 2025-03, 2025.03, 2025/3, 2025년 3월, a date (any day of it), or the
    number 2025.03 that Excel keeps when 2025.03 is typed into a cell (2025.1 is October: Excel dropped
    the 0 of 2025.10)."""
    if isinstance(value, float) and not isinstance(value, bool) and 2000 <= value < 2101 and not value.is_integer():
        year = int(value)
        month = round((value - year) * 100)
        return _make(year, month, 1, value)
    if isinstance(value, str):
        compact = re.sub(r"\s+", "", _text(value))
        for pattern in (_YM, _KOREAN_YM):
            match = pattern.fullmatch(compact)
            if match:
                y, m = match.groups()
                return _make(_year(y), int(m), 1, value)
    try:
        return parse_date(value).replace(day=1)
    except CellError:
        raise CellError(f"작업월로 읽을 수 없습니다: '{shown(value)}' (예: 2025-03, 2025.03, 2025년 3월)") from None


# ---------------------------------------------------------------- numbers


def _whole(value: Any) -> Any:
    """An integral float or Decimal as an int; anything else unchanged (the model refuses it)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def parse_money(value: Any) -> int | None:
    """Won: 45000, 45,000 / 45,000원 / ₩45,000 / 4만 5천 (tracker.inputs.parse_amount); None when empty."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"금액으로 읽을 수 없습니다: '{shown(value)}'")
    if isinstance(value, str) and re.fullmatch(r"\s*[₩￦]?[\d,]+\.0+\s*(원)?\s*", value):
        value = re.sub(r"\.0+", "", value)  # "45000.00", as some programs write whole amounts
    read = _whole(parse_amount(value) if isinstance(value, str) else value)
    if isinstance(read, int):
        return read
    if isinstance(read, float):
        raise CellError(f"원 단위 정수가 아닙니다: '{shown(value)}'")
    raise CellError(f"금액으로 읽을 수 없습니다: '{shown(value)}' (예: 45,000, 45,000원, ₩45,000)")


def parse_count(value: Any) -> int | None:
    """Items: 120, 1,200, 120건; None when empty."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"건수로 읽을 수 없습니다: '{shown(value)}'")
    if isinstance(value, str):
        compact = re.sub(r"[\s,]", "", _text(value)).removesuffix("건").removesuffix("개")
        if re.fullmatch(r"-?\d+", compact):
            return int(compact)
        raise CellError(f"건수로 읽을 수 없습니다: '{shown(value)}'")
    read = _whole(value)
    if isinstance(read, int):
        return read
    raise CellError(f"건수는 정수여야 합니다: '{shown(value)}'")


def parse_time(value: Any, *, hours: bool = False) -> int | None:
    """Minutes worked: 90, 1:30, 1시간 30분, 2시간, 45분, an Excel time cell (tracker.inputs.parse_minutes).
    Under an hours column ("시간"), a bare number is hours: 2 → 120, 1.5 → 90."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"작업 시간으로 읽을 수 없습니다: '{shown(value)}'")
    if isinstance(value, datetime):  # a time cell that Excel stored with a date (1899-12-30 01:30)
        value = value.time() if value.date() <= date(1900, 1, 1) else value
    if hours:
        number = value
        if isinstance(value, str):
            compact = _text(value).replace(",", "")
            number = compact if re.fullmatch(r"\d+(\.\d+)?", compact) else None
        if isinstance(number, int | float | str) and not isinstance(number, bool):
            try:
                minutes = Decimal(str(number)) * 60
            except InvalidOperation:
                minutes = None
            if minutes is not None:
                if minutes != minutes.to_integral_value():
                    raise CellError(f"분 단위로 떨어지지 않는 시간입니다: '{shown(value)}'")
                return int(minutes)
    if isinstance(value, float) and 0 < value < 1:  # a time of day as Excel's fraction of a day
        minutes = value * 24 * 60
        if abs(minutes - round(minutes)) < 1e-6:
            return round(minutes)
    read = _whole(parse_minutes(value))
    if isinstance(read, int):
        return read
    raise CellError(f"작업 시간으로 읽을 수 없습니다: '{shown(value)}' (예: 90, 1:30, 1시간 30분, 2시간, 45분)")


# ---------------------------------------------------------------- choices

_TRUE = {"예", "네", "o", "y", "yes", "true", "1", "참", "✓", "v"}
_FALSE = {"아니오", "아니요", "x", "n", "no", "false", "0", "거짓", "-"}


def parse_bool(value: Any) -> bool | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    key = _text(value).casefold()
    if isinstance(value, int | float):
        key = str(int(value)) if float(value).is_integer() else key
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(f"예/아니오로 읽을 수 없습니다: '{shown(value)}'")


def parse_choice(enum: type[StrEnum], value: Any) -> str | None:
    """A choice by its Korean label (as the export writes it) or its code."""
    if is_empty(value):
        return None
    key = re.sub(r"\s+", "", _text(value)).casefold()
    for code, label in enum.labels().items():
        if key in (code.casefold(), re.sub(r"\s+", "", label).casefold()):
            return code
    choices = ", ".join(enum.labels().values())
    raise CellError(f"'{shown(value)}'은(는) 고를 수 있는 값이 아닙니다 ({choices})")
