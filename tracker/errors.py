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
    "worklog_id": "작업 기록",
    "deposit_id": "입금 기록",
    "version": "수정 버전",
    # the income profile (소득 프로필)
    "year": "귀속 연도",
    "has_wage": "근로소득 여부",
    "wage_mode": "근로소득 입력 방식",
    "wage_taxable_base": "근로소득 과세표준",
    "wage_determined_tax": "근로소득 결정세액(소득세)",
    "wage_tax_credits": "세액공제·감면 합계",
    "total_salary": "총급여",
    "health_status": "건강보험 자격",
    "business_registered": "사업자등록 여부",
    # the settings (설정 page, tracker.preferences)
    "default_withholding_kind": "새 회사의 원천징수 종류",
    "min_hourly_target": "최소 시급 목표",
    "radar_include": "포함할 낱말",
    "radar_exclude": "뺄 낱말",
    "radar_task_types": "작업 유형",
    "radar_remote_only": "재택만",
    "digest_email": "이메일로 받기",
    "digest_webhook": "웹훅으로 받기",
    "digest_postings": "새 모집 공고",
    "digest_overdue": "늦어진 돈",
    "digest_pay_dates": "7일 안 지급 예정일",
    "digest_tax": "세금·건강보험 경고",
}

# Units said after a bound ("1원 이상") and in "정수(원 단위)".
UNITS: dict[str, str] = {
    "gross": "원",
    "net": "원",
    "income_tax": "원",
    "local_tax": "원",
    "unit_price": "원",
    "rate": "원",
    "items_submitted": "건",
    "items_rejected": "건",
    "wage_taxable_base": "원",
    "wage_determined_tax": "원",
    "wage_tax_credits": "원",
    "total_salary": "원",
    "min_hourly_target": "원",
}
WHOLE_UNITS: dict[str, str] = UNITS | {"minutes": "분"}
# Fields that hold the id of another row: a bad one is a row that cannot be found.
ID_FIELDS = frozenset({"company_id", "project_id", "payment_id", "posting_id", "worklog_id", "deposit_id"})
# Fields chosen from a list: an empty one is "선택하세요".
CHOICE_FIELDS = frozenset({"kind", "pay_shift", "withholding_kind", "task_type", "role", "pay_scheme", "status",
                           "certificate", "default_withholding_kind", "radar_task_types"}) | ID_FIELDS

# pydantic error types that say "not a whole number" (for an int field).
NOT_WHOLE = frozenset({
    "int_type", "int_parsing", "int_parsing_size", "int_from_float", "int_from_bool", "finite_number",
    "float_type", "float_parsing", "decimal_type", "decimal_parsing", "decimal_max_digits",
    "decimal_max_places", "decimal_whole_digits", "decimal_finite_number", "complex_type", "complex_str_parsing",
})
NOT_TEXT = frozenset({"string_type", "string_unicode", "string_sub_type"})
DOCUMENT_ERRORS = frozenset({"model_type", "model_attributes_type", "dict_type", "dataclass_type"})


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
    return FIELD_LABELS.get(field, "입력")


def _quote(value: object) -> str:
    """An input value as a message may show it: one clean line of at most 20 characters, in quotes;
    "" when there is nothing printable to show (or it is not text or a number)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    if isinstance(value, int) and value.bit_length() > 200:
        return ""
    shown = "".join(ch if ch.isprintable() else " " for ch in str(value)).replace("'", "")
    shown = " ".join(shown.split())
    if not shown:
        return ""
    return f"'{shown[:20]}…'" if len(shown) > 20 else f"'{shown}'"


def _number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _message(err: dict) -> str:
    loc = err.get("loc", ())
    field = loc[0] if loc and isinstance(loc[0], str) else ""
    name = label(field)
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "korean":  # raised by our own validators with the full sentence
        return str(ctx.get("message") or err.get("msg"))
    if kind in DOCUMENT_ERRORS and not field:
        return "입력 형식이 올바르지 않습니다."
    if kind in ("missing", "none_required", "string_too_short", "too_short") or value is None:
        verb = "선택하세요" if field in CHOICE_FIELDS else "입력하세요"
        return f"{josa(name, '을/를')} {verb}."
    if field in ID_FIELDS:  # out of range or not a number: there is no such row
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() <= 200:
            return f"{josa(name, '을/를')} 찾을 수 없습니다 (id {value})."
        shown = _quote(value)
        return f"{josa(name, '을/를')} 찾을 수 없습니다" + (f" (id {shown})." if shown else ".")
    unit = UNITS.get(field, "")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limit = _number(ctx.get({"greater_than_equal": "ge", "greater_than": "gt",
                                 "less_than_equal": "le", "less_than": "lt"}[kind]))
        said = {"greater_than_equal": "이상이어야", "greater_than": "보다 커야",
                "less_than_equal": "이하여야", "less_than": "보다 작아야"}[kind]
        gap = "" if said.startswith("보다") else " "
        return f"{josa(name, '은/는')} {limit}{unit}{gap}{said} 합니다."
    if kind in ("string_too_long", "too_long"):
        return f"{josa(name, '은/는')} {_number(ctx.get('max_length'))}자 이하여야 합니다."
    if kind in NOT_WHOLE:
        whole_unit = WHOLE_UNITS.get(field)
        return f"{josa(name, '은/는')} 정수({whole_unit} 단위)로 입력하세요." if whole_unit else (
            f"{josa(name, '은/는')} 정수로 입력하세요.")
    if kind == "date_out_of_range":
        return f"{josa(name, '은/는')} {ctx.get('min')}부터 {ctx.get('max')}까지의 날짜만 입력할 수 있습니다."
    if kind == "date_future":
        return f"{josa(name, '은/는')} 내일({ctx.get('max')})까지만 입력할 수 있습니다."
    if kind.startswith("date_") or kind.startswith("datetime_"):
        return f"{josa(name, '은/는')} 날짜(예: 2026-11-02)로 입력하세요."
    if kind in NOT_TEXT:
        return f"{josa(name, '은/는')} 글자로 입력하세요."
    if kind in ("enum", "literal_error"):
        shown = _quote(value)
        return f"{name} 값이 올바르지 않습니다: {shown}" if shown else f"{name} 값이 올바르지 않습니다."
    return f"{name} 값이 올바르지 않습니다."  # bool_parsing, bool_type and anything else: never English


def _ledger_error(err: dict) -> LedgerError:
    loc = err.get("loc", ())
    field = loc[0] if loc and isinstance(loc[0], str) else None
    if err.get("type") == "korean":
        field = (err.get("ctx") or {}).get("field", field)
    return LedgerError(_message(err), field=field)


def from_validation_error(exc: ValidationError) -> LedgerError:
    """The first problem of a pydantic ValidationError as one Korean LedgerError."""
    return _ledger_error(exc.errors()[0])


def all_from_validation_error(exc: ValidationError) -> list[LedgerError]:
    """Every problem of a pydantic ValidationError, each as a Korean LedgerError."""
    return [_ledger_error(err) for err in exc.errors()]
