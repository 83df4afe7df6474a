"""Korean time. Every "today" in the app is the date in Asia/Seoul, whatever the server's zone."""
from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")


def now_kst() -> datetime:
    return datetime.now(KST)


def today_kst() -> date:
    """Today in Korea, or the ISO date in TRACKER_TODAY (to replay the app as of another day)."""
    pinned = os.environ.get("TRACKER_TODAY")
    if pinned:
        return date.fromisoformat(pinned)
    return now_kst().date()


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, months: int) -> date:
    """The first day of the month `months` after d's month."""
    index = d.year * 12 + (d.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def month_range(first: date, count: int) -> list[date]:
    return [add_months(first, i) for i in range(count)]


def parse_month(text: str) -> date:
    """'2023-03' → date(2023, 3, 1). Raises ValueError with a Korean message."""
    try:
        year, month = text.strip().split("-")
        return date(int(year), int(month), 1)
    except (ValueError, AttributeError):
        raise ValueError(f"월은 YYYY-MM 형식으로 입력하세요: {text!r}") from None
