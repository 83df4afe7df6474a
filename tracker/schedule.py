"""When a payment is due, from a company's terms ("다음 달 10일") and the work month."""
from __future__ import annotations

import calendar
from datetime import date

from tracker.timeutil import add_months


def expected_pay_date(work_month: date, months_after: int, pay_day: int) -> date:
    """The pay day `months_after` months after the work month; 31 (or more) means the month's last day."""
    month = add_months(work_month, months_after)
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=min(pay_day, last))


def terms_label(months_after: int, pay_day: int) -> str:
    """(1, 10) → '다음 달 10일'; (0, 31) → '당월 말일'; (2, 25) → '2개월 후 25일'."""
    month = {0: "당월", 1: "다음 달"}.get(months_after, f"{months_after}개월 후")
    day = "말일" if pay_day >= 31 else f"{pay_day}일"
    return f"{month} {day}"
