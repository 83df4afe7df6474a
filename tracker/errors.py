"""User errors: one type, a Korean sentence that names the field, shown by the UI as a message."""
from __future__ import annotations

from pydantic import ValidationError

# Korean names of every field a user can type into. Messages always name the field with these.
FIELD_LABELS: dict[str, str] = {
    "name": "이름",
    "kind": "종류",
    "website": "웹사이트",
    "pay_months_after": "지급 시기(작업월 후 개월 수)",
    "pay_day": "지급일",
    "pay_shift": "휴일 지급 규칙",
    "payment_id": "지급",
    "received_on": "입금일",
    "withholding_kind": "원천징수 종류",
    "active": "거래 중",
    "notes": "메모",
    "company_id": "회사",
    "project_id": "프로젝트",
    "task_type": "작업 유형",
    "role": "역할",
    "pay_scheme": "단가 방식",
    "unit_price": "단가",
    "status": "상태",
    "start_date": "시작일",
    "end_date": "종료일",
    "deadline": "마감일",
    "remote": "재택",
    "certificate": "필요 자격증",
    "posting_id": "모집 공고",
    "work_date": "작업일",
    "minutes": "작업 시간(분)",
    "items_submitted": "제출 건수",
    "items_rejected": "반려 건수",
    "rate": "적용 단가",
    "note": "메모",
    "work_month": "작업월",
    "gross": "지급액(세전)",
    "income_tax": "소득세 원천징수액",
    "local_tax": "지방소득세 원천징수액",
    "net": "실수령액",
    "expected_date": "지급 예정일",
    "received_date": "입금일",
}


def has_batchim(word: str) -> bool:
    """True when the last Hangul syllable ends in a consonant (picks 은/는, 을/를, 이/가)."""
    for ch in reversed(word):
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3:
            return (code - 0xAC00) % 28 != 0
        if ch.isdigit():
            return ch in "013678"
        if ch.isalpha():
            return ch.lower() in "lmnr"
    return False


def josa(word: str, pair: str) -> str:
    """`josa("지급액", "은/는")` → "지급액은"; `josa("회사", "은/는")` → "회사는"."""
    with_batchim, without = pair.split("/")
    return word + (with_batchim if has_batchim(word) else without)


class LedgerError(ValueError):
    """A refused input. `field` names the offending field (or None for the whole record)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def _message(err: dict) -> str:
    loc = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
    field = loc[-1] if loc else ""
    name = label(field)
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "korean":  # raised by our own validators with the full sentence
        return str(ctx.get("message") or err.get("msg"))
    if kind in ("missing", "string_too_short") or (kind == "none_required"):
        return f"{josa(name, '을/를')} 입력하세요."
    if kind == "greater_than_equal":
        limit = ctx.get("ge")
        return f"{josa(name, '은/는')} {limit:,} 이상이어야 합니다." if isinstance(limit, int) else f"{josa(name, '은/는')} {limit} 이상이어야 합니다."
    if kind == "greater_than":
        return f"{josa(name, '은/는')} {ctx.get('gt'):,}보다 커야 합니다."
    if kind == "less_than_equal":
        limit = ctx.get("le")
        return f"{josa(name, '은/는')} {limit:,} 이하여야 합니다." if isinstance(limit, int) else f"{josa(name, '은/는')} {limit} 이하여야 합니다."
    if kind == "string_too_long":
        return f"{josa(name, '은/는')} {ctx.get('max_length')}자 이하여야 합니다."
    if kind.startswith("int_") or kind == "int_from_float":
        return f"{josa(name, '은/는')} 정수(원·분·건 단위)로 입력하세요."
    if kind.startswith("date_") or kind.startswith("datetime_"):
        return f"{name} 날짜 형식이 올바르지 않습니다."
    if kind == "enum" or kind == "literal_error":
        return f"{name} 값이 올바르지 않습니다: {err.get('input')!r}"
    if kind.startswith("bool"):
        return f"{name} 값이 올바르지 않습니다."
    return f"{name}: {err.get('msg')}"


def from_validation_error(exc: ValidationError) -> LedgerError:
    """The first problem of a pydantic ValidationError as one Korean LedgerError."""
    errors = exc.errors()
    first = errors[0]
    loc = [str(p) for p in first.get("loc", ()) if not isinstance(p, int)]
    field = loc[-1] if loc else None
    if first.get("type") == "korean":
        field = (first.get("ctx") or {}).get("field", field)
    return LedgerError(_message(first), field=field)
