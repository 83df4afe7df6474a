"""Numbers as people type them into a form: "45,000", "45,000원", "₩45,000", " 45000 ".

The parse only reads the digits; the bounds are the models' job, so a 30-digit amount reaches the
model as that number and is refused there with the field's Korean message, never turned into ₩0.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

_AMOUNT = re.compile(r"[-−]?\d+")


def parse_amount(value: Any) -> Any:
    """An int for text that is a whole number (thousands commas, spaces, ₩ and 원 allowed), None for
    empty text; anything else comes back unchanged so the model refuses it by field."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    compact = re.sub(r"[\s,]", "", text).removeprefix("₩").removeprefix("￦").removesuffix("원")
    if _AMOUNT.fullmatch(compact):
        return int(compact.replace("−", "-"))
    return value


def show_amount(value: Any) -> str:
    """How an amount is put back into a text box: 45000 → "45,000"; nothing → ""."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError, OverflowError):
        return str(value)
