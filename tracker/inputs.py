"""Numbers as people type them into a form or a spreadsheet.

- Amounts: "45,000", "45,000원", "₩45,000", " 45000 ", and Korean units: "4만 5천", "4만5천원", "45만",
  "4.5만", "1억 2천만" (만 = 10,000, 억 = 100,000,000; 천/백/십 inside each).
- Times: 90, "90", "90분", "1:30", "1시간 30분", "2시간", "1시간 반", "45분", "1.5시간", "1h 30m",
  a `datetime.time` or `timedelta` (what a spreadsheet's time cell gives).

Both parses follow one contract: the value as an int when it can be read, None for empty text, and
anything else comes back **unchanged**, so the model refuses it by field with its Korean message
("작업 시간(분)은 정수(분 단위)로 입력하세요.", "지급액(세전)은 정수(원 단위)로 입력하세요.").
The parse only reads the number; the bounds are the models' job, so a 30-digit amount or 3,000
minutes reaches the model as that number and is refused there, never turned into ₩0 or a day.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

_AMOUNT = re.compile(r"[-−]?\d+")

# ---------------------------------------------------------------- amounts

_BIG_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4}
_SMALL_UNITS = {"천": 1000, "백": 100, "십": 10}
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[조억만천백십]")


def _korean_amount(text: str) -> int | None:
    """ "1억2천만" → 120,000,000; "4만5천" → 45,000; "4.5만" → 45,000; None when it is not such a number
    (units out of order or repeated, a fraction of a won, a bare decimal, other characters)."""
    sign = 1
    if text[:1] in "-−":
        sign, text = -1, text[1:]
    tokens = _TOKEN.findall(text)
    if not tokens or "".join(tokens) != text or not any(t in _BIG_UNITS or t in _SMALL_UNITS for t in tokens):
        return None
    total = Decimal(0)
    section = Decimal(0)  # the part below the next big unit ("4천5백" of "4천5백만")
    pending: Decimal | None = None  # a number not yet followed by its unit
    big_above = None  # the last big unit used: the next one must be smaller
    small_above = None  # the same for 천/백/십 inside a section
    for token in tokens:
        if token in _SMALL_UNITS:
            unit = _SMALL_UNITS[token]
            if small_above is not None and unit >= small_above:
                return None
            section += (pending if pending is not None else 1) * unit
            pending, small_above = None, unit
        elif token in _BIG_UNITS:
            unit = _BIG_UNITS[token]
            if big_above is not None and unit >= big_above:
                return None
            if pending is not None:
                if small_above is not None and (pending >= small_above or pending != pending.to_integral_value()):
                    return None  # "2천5000만", "2천5.5만"
                section += pending
            elif section == 0:
                section = Decimal(1)  # "만원", "억"
            total += section * unit
            section, pending, big_above, small_above = Decimal(0), None, unit, None
        else:
            if pending is not None:
                return None
            pending = Decimal(token)
    if pending is not None:  # the digits after the last unit: "4만 5000", "2천500"
        if pending != pending.to_integral_value():
            return None  # "4만 0.5"
        if small_above is not None and pending >= small_above:
            return None
        section += pending
    if big_above is not None and section >= big_above:
        return None  # "4만 50000"
    total += section
    if total != total.to_integral_value():
        return None  # "1.23456만" is a fraction of a won
    return sign * int(total)


def parse_amount(value: Any) -> Any:
    """An int for text that is a whole number of won (thousands commas, spaces, ₩ and 원 allowed, and the
    Korean units 만/억 with 천/백/십), None for empty text; anything else comes back unchanged so the model
    refuses it by field."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    compact = re.sub(r"[\s,]", "", text).removeprefix("₩").removeprefix("￦").removesuffix("원")
    if _AMOUNT.fullmatch(compact):
        return int(compact.replace("−", "-"))
    try:
        read = _korean_amount(compact)
    except InvalidOperation:  # pragma: no cover - the tokens are always valid decimals
        read = None
    return value if read is None else read


def show_amount(value: Any) -> str:
    """How an amount is put back into a text box: 45000 → "45,000"; nothing → ""."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError, OverflowError):
        return str(value)


# ---------------------------------------------------------------- times

_CLOCK = re.compile(r"(-?)(\d+):([0-5]\d)(?::([0-5]\d))?")
_NUMBER = r"(\d+(?:\.\d+)?)"
_HOURS = r"(?:시간|hours?|hrs?|h)"
_MINS = r"(?:분|minutes?|mins?|m)"
_SPOKEN = re.compile(
    rf"(-?)(?:{_NUMBER}{_HOURS}(반)?)?(?:{_NUMBER}({_MINS})?)?",
    re.IGNORECASE,
)


def parse_minutes(value: Any) -> Any:
    """Minutes worked as an int: 90, "90", "90분", "1:30", "1시간 30분", "1시간 30", "2시간", "1시간 반", "45분",
    "1.5시간", "1h30m", a `time(1, 30)` or `timedelta(minutes=90)`; None for empty text.

    Anything else comes back unchanged, as parse_amount does, so the model refuses it by field
    ("작업 시간(분)은 정수(분 단위)로 입력하세요."): a bare decimal ("1.5" — hours or minutes?), "1:75",
    "1.33시간" (not a whole minute), text. Seconds ("1:30:30", a time cell) are rounded to the minute.
    Too many minutes (over a day) are the model's to refuse, with the bound."""
    if isinstance(value, bool):
        return value
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 60)
    if isinstance(value, time):
        return value.hour * 60 + value.minute + round(value.second / 60 + value.microsecond / 60e6)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    compact = re.sub(r"\s+", "", text).replace("−", "-")
    if _AMOUNT.fullmatch(compact):
        return int(compact)
    clock = _CLOCK.fullmatch(compact)
    if clock:
        sign, hours, mins, secs = clock.groups()
        total = int(hours) * 60 + int(mins) + (1 if secs and int(secs) >= 30 else 0)
        return -total if sign else total
    spoken = _SPOKEN.fullmatch(compact)
    if spoken and (spoken.group(2) or spoken.group(4)):
        sign, hours, half, mins, unit = spoken.groups()
        if mins and not unit and (not hours or half or "." in mins):
            return value  # a bare "1.5", "1시간 반 10", "1시간 0.5"
        if half and "." in hours:
            return value  # "1.5시간 반"
        total = Decimal(hours or 0) * 60 + (30 if half else 0) + Decimal(mins or 0)
        if total != total.to_integral_value():
            return value
        return -int(total) if sign else int(total)
    return value


def show_minutes(minutes: int | None) -> str:
    """How minutes are put back into a text box: 90 → "1:30", 45 → "0:45"; nothing → ""."""
    if minutes is None:
        return ""
    return f"{minutes // 60}:{minutes % 60:02d}"
