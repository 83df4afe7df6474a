"""Which column is which: the headers labelers use, per kind of sheet, and the --map override.

Headers are compared without spaces, case or a unit in brackets: "제출 건수", "제출건수" and
"제출 건수(건)" are one header. Under "시간" (or a header ending in "(시간)"), a bare number is hours;
anywhere else, minutes.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tracker.errors import LedgerError


@dataclass(frozen=True)
class Column:
    field: str  # the ledger's name for it
    label: str  # its Korean name (what the export writes)
    aliases: tuple[str, ...] = ()
    required: bool = False


KIND_LABELS = {"companies": "회사", "projects": "프로젝트", "worklogs": "작업 기록", "payments": "지급"}
KINDS = tuple(KIND_LABELS)  # the order a file is imported in: parents first
CLI_KINDS = ("worklogs", "payments")

COLUMNS: dict[str, tuple[Column, ...]] = {
    "worklogs": (
        Column("work_date", "작업일", ("날짜", "일자", "작업일자", "작업 날짜", "date"), required=True),
        Column("company", "회사", ("업체", "플랫폼", "회사명", "업체명", "company")),
        Column("project", "프로젝트", ("프로젝트명", "작업명", "project"), required=True),
        Column("minutes", "작업 시간(분)", ("작업시간", "분", "작업 분", "minutes")),
        Column("hours", "시간", ("작업 시간(시간)", "hours")),
        Column("items_submitted", "제출 건수", ("제출", "건수", "작업량", "submitted")),
        Column("items_rejected", "반려 건수", ("반려", "rejected")),
        Column("pay_scheme", "단가 방식", ("pay_scheme",)),
        Column("rate", "단가", ("적용 단가", "rate")),
        Column("amount", "금액", ("수입", "amount")),
        Column("note", "메모", ("비고", "note")),
    ),
    "payments": (
        Column("received_date", "입금일", ("지급일", "received")),
        Column("company", "회사", ("업체", "플랫폼", "회사명", "업체명", "company"), required=True),
        Column("project", "프로젝트", ("프로젝트명", "project")),
        Column("work_month", "작업월", ("귀속월", "work_month"), required=True),
        Column("gross", "지급액(세전)", ("지급액", "세전", "총액", "세전 금액", "gross")),
        Column("income_tax", "소득세", ("income_tax",)),
        Column("local_tax", "지방소득세", ("지방세", "local_tax")),
        Column("net", "실수령액", ("실수령", "실입금액", "입금액", "net")),
        Column("expected_date", "지급 예정일", ("예정일", "expected")),
        Column("note", "메모", ("비고", "note")),
    ),
    "companies": (
        Column("name", "이름", ("회사", "회사명", "업체", "name"), required=True),
        Column("kind", "종류", ("kind",)),
        Column("website", "웹사이트", ("website",)),
        Column("pay_months_after", "지급 시기(작업월 후 개월)", ("지급 시기", "pay_months_after")),
        Column("pay_day", "지급일", ("pay_day",)),
        Column("pay_shift", "휴일 지급 규칙", ("pay_shift",)),
        Column("withholding_kind", "원천징수 종류", ("원천징수", "withholding_kind")),
        Column("active", "거래 중", ("active",)),
        Column("notes", "메모", ("비고", "notes")),
    ),
    "projects": (
        Column("company", "회사", ("업체", "플랫폼", "company"), required=True),
        Column("name", "이름", ("프로젝트", "프로젝트명", "name"), required=True),
        Column("task_type", "작업 유형", ("task_type",)),
        Column("role", "역할", ("role",)),
        Column("pay_scheme", "단가 방식", ("pay_scheme",)),
        Column("unit_price", "단가", ("unit_price",)),
        Column("status", "상태", ("status",)),
        Column("start_date", "시작일", ("start_date",)),
        Column("end_date", "종료일", ("end_date",)),
        Column("deadline", "마감일", ("deadline",)),
        Column("remote", "재택", ("remote",)),
        Column("certificate", "필요 자격증", ("자격증", "certificate")),
        Column("notes", "메모", ("비고", "notes")),
    ),
}

IGNORE = "-"  # --map "머리글=-": leave that column out
_IGNORE_WORDS = {"-", "무시", "ignore", "없음"}


def normalize(header: object) -> str:
    """One spelling per header: NFKC, no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(header or ""))).casefold()


def _bare(key: str) -> str:
    """The header without a bracketed unit: "제출건수(건)" → "제출건수"."""
    return re.sub(r"[(\[（][^)\]）]*[)\]）]", "", key)


def _index(kind: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for column in COLUMNS[kind]:
        for name in (column.label, column.field, *column.aliases):
            found.setdefault(normalize(name), column.field)
    return found


_INDEXES = {kind: _index(kind) for kind in COLUMNS}


def field_for(kind: str, header: object) -> str | None:
    key = normalize(header)
    if not key:
        return None
    index = _INDEXES[kind]
    if key in index:
        return index[key]
    unit = re.search(r"[(\[（]([^)\]）]*)[)\]）]", key)
    bare = _bare(key)
    if bare in index:
        field = index[bare]
        if field in ("minutes", "hours") and unit:  # "작업 시간(시간)" is hours, "(분)" minutes
            return "hours" if unit.group(1) in ("시간", "h", "hr", "hours") else "minutes"
        return field
    return None


def label_of(kind: str, field: str) -> str:
    return next((c.label for c in COLUMNS[kind] if c.field == field), field)


def required(kind: str) -> list[str]:
    return [c.field for c in COLUMNS[kind] if c.required]


def auto_mapping(kind: str, headers: list[object]) -> dict[int, str]:
    """Column position → field, from the headers; the first header of a field wins."""
    mapping: dict[int, str] = {}
    for position, header in enumerate(headers):
        field = field_for(kind, header)
        if field and field not in mapping.values() and not (
            field in ("minutes", "hours") and {"minutes", "hours"} & set(mapping.values())
        ):
            mapping[position] = field
    return mapping


def matches(kind: str, headers: list[object]) -> int:
    """How many headers this kind of sheet knows (to guess the kind and find the header row)."""
    return len(auto_mapping(kind, headers))


def parse_map(text: str | None) -> dict[str, str]:
    """--map "머리글=필드,…" → {normalized header: field name or "-"}. A field is named by its
    code (work_date), its Korean name (작업일) or any header that means it; "-" (또는 무시) leaves the
    column out. The field is resolved later, per kind of sheet."""
    if not text or not text.strip():
        return {}
    out: dict[str, str] = {}
    for part in re.split(r"[,，]", text):
        if not part.strip():
            continue
        if "=" not in part:
            raise LedgerError(f"--map은 '머리글=필드'를 쉼표로 이어 씁니다: '{part.strip()}'", field="map")
        header, target = (s.strip() for s in part.split("=", 1))
        if not header or not target:
            raise LedgerError(f"--map은 '머리글=필드'를 쉼표로 이어 씁니다: '{part.strip()}'", field="map")
        out[normalize(header)] = IGNORE if normalize(target) in _IGNORE_WORDS else target
    return out


def resolve_target(kind: str, target: str) -> str:
    """The field a --map target names for this kind of sheet, or a Korean LedgerError."""
    if target == IGNORE:
        return IGNORE
    field = field_for(kind, target)
    if field is None:
        names = ", ".join(f"{c.label}({c.field})" for c in COLUMNS[kind])
        raise LedgerError(f"--map: '{target}'은(는) {KIND_LABELS[kind]}의 열이 아닙니다. 쓸 수 있는 열: {names}",
                          field="map")
    return field


def mapping_with(kind: str, headers: list[object], override: dict[str, str]) -> dict[int, str]:
    """The automatic mapping with --map applied (the override wins for its headers and its fields)."""
    keys = [normalize(h) for h in headers]
    missing = [h for h in override if h not in keys]
    if missing:
        shown = ", ".join(str(h) for h in headers if normalize(h)) or "(없음)"
        raise LedgerError(f"--map의 머리글을 시트에서 찾지 못했습니다: {', '.join(missing)} (시트의 머리글: {shown})",
                          field="map")
    chosen = {keys.index(h): resolve_target(kind, t) for h, t in override.items()}
    given: dict[str, list[str]] = {}
    for position, field in chosen.items():
        if field != IGNORE:
            given.setdefault("minutes" if field == "hours" else field, []).append(str(headers[position]))
    for field, named in given.items():
        if len(named) > 1:
            raise LedgerError(f"{label_of(kind, field)} 필드를 두 열에 골랐습니다: {', '.join(named)}", field="map")
    mapping = {p: f for p, f in auto_mapping(kind, headers).items()
               if p not in chosen and f not in chosen.values()}
    mapping.update({p: f for p, f in chosen.items() if f != IGNORE})
    return dict(sorted(mapping.items()))
