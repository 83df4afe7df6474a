"""The lean-months savings plan, shown on the 예측 page and in the dashboard's summary (not a page)."""
from __future__ import annotations


def show_summary(url: str, today) -> None:
    """The dashboard's one-line savings plan for the first-half dip (filled in by the forecast work)."""
    return None
