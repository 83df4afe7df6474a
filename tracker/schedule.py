"""When a payment is due: a company's terms ("다음 달 10일"), moved off weekends and Korean holidays."""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

from tracker.models.enums import PayShift
from tracker.timeutil import add_months

SHIFTS = tuple(s.value for s in PayShift)


@lru_cache(maxsize=64)
def _korean_holidays(year: int) -> holidays.HolidayBase:
    return holidays.KR(years=year, language="ko")


def holiday_name(d: date) -> str | None:
    """The Korean public holiday on `d` (substitute and election days included), or None."""
    return _korean_holidays(d.year).get(d)


def is_business_day(d: date) -> bool:
    return d.weekday() < 5 and holiday_name(d) is None


def shift_to_business_day(d: date, shift: str = "next") -> date:
    """`d` itself when it is a business day; otherwise the next (or previous) one. 'none' keeps `d`."""
    if shift not in SHIFTS:
        raise ValueError(f"unknown shift {shift!r}; expected one of {SHIFTS}")
    if shift == "none":
        return d
    step = timedelta(days=1 if shift == "next" else -1)
    while not is_business_day(d):
        d += step
    return d


def nominal_pay_date(work_month: date, months_after: int, pay_day: int) -> date:
    """The pay day `months_after` months after the work month; 31 (or more) means the month's last day."""
    month = add_months(work_month, months_after)
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=min(pay_day, last))


def expected_pay_date(work_month: date, months_after: int, pay_day: int, shift: str = "next") -> date:
    """The day the money should land: the nominal pay day moved off weekends and public holidays."""
    return shift_to_business_day(nominal_pay_date(work_month, months_after, pay_day), shift)


def company_pay_date(company, work_month: date) -> date:
    """`expected_pay_date` on a company's terms (anything with pay_months_after, pay_day, pay_shift)."""
    return expected_pay_date(work_month, company.pay_months_after, company.pay_day, company.pay_shift)


def terms_label(months_after: int, pay_day: int, shift: str = "next") -> str:
    """(1, 10) → '다음 달 10일'; (0, 31) → '당월 말일'; (2, 25, 'previous') → '2개월 후 25일 (휴일이면 앞당김)'."""
    month = {0: "당월", 1: "다음 달"}.get(months_after, f"{months_after}개월 후")
    day = "말일" if pay_day >= 31 else f"{pay_day}일"
    suffix = {"next": "", "previous": " (휴일이면 앞당김)", "none": " (휴일에도 그날)"}[shift]
    return f"{month} {day}{suffix}"
