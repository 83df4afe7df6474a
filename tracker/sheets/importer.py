"""Importing a spreadsheet into the ledger: plan (read the cells, no database), then run (one
transaction through the ledger's validation; all or nothing).

- Which sheets: `sheet` names one; otherwise sheets named like our export's (회사, 프로젝트, 작업 기록,
  지급) are read by name, parents first; otherwise the first sheet. Its kind is `kind`, or the sheet's
  name, or guessed from its headers.
- The header row is the one among the first ten that names the most known columns; row numbers are
  the ones the spreadsheet shows (header in row 1 → the first data row is 2).
- Empty rows and totals rows (합계/총계) are skipped and reported.
- Each work log and payment gets a stable key from its values (and how many identical rows came
  before it in the file): importing the file again skips those rows and says so.
- Any problem anywhere means nothing is written; every problem is listed as "N행 열: 이유".
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Callable

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, SQLModel, select

from tracker import ledger
from tracker.db import session_scope
from tracker.errors import LedgerError, all_from_validation_error
from tracker.errors import label as field_label
from tracker.models import (
    Certificate,
    Company,
    CompanyCreate,
    CompanyKind,
    Payment,
    PaymentCreate,
    PayScheme,
    PayShift,
    Project,
    ProjectCreate,
    ProjectStatus,
    Role,
    TaskType,
    WithholdingKind,
    WorkLog,
    WorkLogCreate,
    worklog_earnings,
)
from tracker.models.base import MINUTES_PER_DAY, clean_line
from tracker.schedule import company_pay_date
from tracker.sheets import columns as cols
from tracker.sheets import values as val
from tracker.sheets.reading import SheetsError, Table, read_tables

TOTALS = frozenset({"합계", "총계"})
HEADER_SEARCH = 10  # the header is among the first ten non-empty rows

_DATES = ("work_date", "received_date", "expected_date", "start_date", "end_date", "deadline")
_MONEY = ("rate", "amount", "gross", "income_tax", "local_tax", "net", "unit_price")
_COUNTS = ("items_submitted", "items_rejected", "pay_months_after", "pay_day")
_CHOICES = {"pay_scheme": PayScheme, "kind": CompanyKind, "pay_shift": PayShift, "withholding_kind": WithholdingKind,
            "task_type": TaskType, "role": Role, "status": ProjectStatus, "certificate": Certificate}
_BOOLS = ("active", "remote")
_ONLY = {  # fields that tell one kind of sheet from the other
    "worklogs": {"work_date", "minutes", "hours", "items_submitted", "items_rejected", "rate", "amount", "pay_scheme"},
    "payments": {"received_date", "work_month", "gross", "income_tax", "local_tax", "net", "expected_date"},
}
_ID_HEADERS = {"company_id": "company", "project_id": "project"}
# What makes two entries the same one (an entry already in the ledger is not imported twice).
WORKLOG_SAME = ("project_id", "work_date", "minutes", "items_submitted", "items_rejected", "rate", "pay_scheme", "note")
PAYMENT_SAME = ("company_id", "project_id", "work_month", "gross", "income_tax", "local_tax", "net", "received_date",
                "note")


def _parser(name: str) -> Callable[[Any], Any]:
    if name in _DATES:
        return val.parse_date
    if name == "work_month":
        return val.parse_month
    if name in _MONEY:
        return val.parse_money
    if name in _COUNTS:
        return val.parse_count
    if name == "minutes":
        return val.parse_time
    if name == "hours":
        return lambda v: val.parse_time(v, hours=True)
    if name in _CHOICES:
        return lambda v: val.parse_choice(_CHOICES[name], v)
    if name in _BOOLS:
        return val.parse_bool
    return val.text


# ---------------------------------------------------------------- what the import reports


@dataclass(frozen=True)
class Issue:
    """One problem: `row` as the spreadsheet shows it (None: the sheet as a whole), `column` its header."""

    sheet: str
    row: int | None
    column: str
    reason: str

    def line(self, with_sheet: bool = False) -> str:
        where = f"{self.row}행" if self.row is not None else "시트"
        column = f" {self.column}" if self.column else ""
        return f"{f'[{self.sheet}] ' if with_sheet else ''}{where}{column}: {self.reason}"


@dataclass(frozen=True)
class Skip:
    sheet: str
    row: int
    reason: str  # 빈 행, 합계 행, 이미 가져온 행, 이미 있는 회사 …

    def line(self, with_sheet: bool = False) -> str:
        return f"{f'[{self.sheet}] ' if with_sheet else ''}{self.row}행: {self.reason}"


@dataclass
class Record:
    row: int
    values: dict[str, Any]
    headers: dict[str, str]  # field → the header the sheet gave it
    key: str | None = None
    status: str = ""


@dataclass
class SheetPlan:
    """One sheet, read: its kind, where its header is, which column is which, its rows parsed."""

    sheet: str
    kind: str
    header_row: int | None = None
    headers: list[str] = field(default_factory=list)
    mapping: dict[int, str] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def mapping_by_header(self) -> dict[str, str]:
        return {self.headers[p]: f for p, f in self.mapping.items()}


@dataclass
class ImportReport:
    plans: list[SheetPlan] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=lambda: {"company": 0, "project": 0, "worklog": 0, "payment": 0})
    created_companies: list[str] = field(default_factory=list)
    created_projects: list[tuple[str, str]] = field(default_factory=list)
    unknown_companies: list[str] = field(default_factory=list)
    unknown_projects: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[Skip] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    dry_run: bool = False
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.all_issues

    @property
    def all_issues(self) -> list[Issue]:
        found = [i for plan in self.plans for i in plan.issues] + self.issues
        return sorted(found, key=lambda i: (self._rank(i.sheet), i.row or 0))

    @property
    def skipped(self) -> list[Skip]:
        """Every row not written that is not a problem: empty, totals, already imported."""
        found = [s for plan in self.plans for s in plan.skipped] + self.duplicates
        return sorted(found, key=lambda s: (self._rank(s.sheet), s.row))

    def _rank(self, sheet: str) -> int:
        names = [p.sheet for p in self.plans]
        return names.index(sheet) if sheet in names else len(names)

    @property
    def several_sheets(self) -> bool:
        return len(self.plans) > 1

    def issue_lines(self) -> list[str]:
        return [i.line(self.several_sheets) for i in self.all_issues]

    def skip_lines(self) -> list[str]:
        return [s.line(self.several_sheets) for s in self.skipped]

    def skip_summary(self) -> list[str]:
        """The skipped rows grouped by reason: '이미 가져온 행 63개: 2–64행', '빈 행 1개: 5행'."""
        groups: dict[tuple[str, str], list[int]] = {}
        for skip in self.skipped:
            groups.setdefault((skip.sheet, skip.reason), []).append(skip.row)
        lines = []
        for (sheet, reason), rows in groups.items():
            where = f"[{sheet}] " if self.several_sheets else ""
            lines.append(f"{where}{reason} {len(rows):,}개: {_ranges(rows)}")
        return lines

    def summary(self) -> str:
        """'작업 기록 12건, 지급 3건, 새 회사 1곳, 새 프로젝트 2개' (only what is there)."""
        parts = [f"작업 기록 {self.written['worklog']:,}건", f"지급 {self.written['payment']:,}건"]
        if self.written["company"]:
            parts.append(f"새 회사 {self.written['company']:,}곳")
        if self.written["project"]:
            parts.append(f"새 프로젝트 {self.written['project']:,}개")
        return ", ".join(parts)


def _ranges(rows: list[int]) -> str:
    """[2, 3, 4, 7] → '2–4, 7행'."""
    parts: list[str] = []
    start = previous = None
    for row in sorted(rows):
        if previous is not None and row == previous + 1:
            previous = row
            continue
        if start is not None:
            parts.append(f"{start}–{previous}" if previous != start else f"{start}")
        start = previous = row
    if start is not None:
        parts.append(f"{start}–{previous}" if previous != start else f"{start}")
    return ", ".join(parts) + "행"


class _Rollback(Exception):
    """Raised inside the write transaction to undo it (a dry run, or any problem)."""


# ---------------------------------------------------------------- plan: cells → records


def sheet_kind(name: str) -> str | None:
    """The kind our export gives a sheet of this name (회사, 프로젝트, 작업 기록, 지급)."""
    key = cols.normalize(name)
    return next((k for k, label in cols.KIND_LABELS.items() if cols.normalize(label) == key), None)


def _cells_empty(cells: list[Any]) -> bool:
    return all(val.is_empty(c) for c in cells)


def _header_candidates(table: Table) -> list[tuple[int, list[Any]]]:
    found = [(n, cells) for n, cells in table.rows if not _cells_empty(cells)]
    return found[:HEADER_SEARCH]


def guess_kind(table: Table) -> str | None:
    """worklogs or payments, from the headers of the first rows; None when they do not say."""
    best: tuple[int, str | None] = (0, None)
    for _number, cells in _header_candidates(table):
        for kind in cols.CLI_KINDS:
            score = len(set(cols.auto_mapping(kind, cells).values()) & _ONLY[kind])
            if score > best[0]:
                best = (score, kind)
    return best[1]


def _header_row(table: Table, kind: str) -> tuple[int, list[Any]] | None:
    best: tuple[int, tuple[int, list[Any]] | None] = (0, None)
    for number, cells in _header_candidates(table):
        score = cols.matches(kind, cells)
        if score > best[0]:
            best = (score, (number, cells))
    if best[1] is None:
        candidates = _header_candidates(table)
        return candidates[0] if candidates else None
    return best[1]


def _total_row(cells: list[Any]) -> bool:
    return any(isinstance(c, str) and re.sub(r"[\s:：]", "", c) in TOTALS for c in cells)


@lru_cache(maxsize=4096)
def _clean(name: str) -> str:
    """A name as the ledger stores it (the same few names come on every row)."""
    cleaned = clean_line(name)
    return cleaned if isinstance(cleaned, str) else ""


def _norm_name(name: str) -> str:
    return _clean(name).casefold()


_KEY_FIELDS = {
    "worklogs": ("work_date", "minutes", "items_submitted", "items_rejected", "rate", "amount", "pay_scheme", "note"),
    "payments": ("work_month", "gross", "income_tax", "local_tax", "net", "expected_date", "received_date", "note"),
}


def _content(kind: str, values: dict[str, Any]) -> str:
    """A row's values as the key sees them: names cleaned, dates as ISO text."""
    def plain(v: Any) -> Any:
        return v.isoformat() if isinstance(v, date) else v

    return json.dumps([kind, _norm_name(values.get("company") or ""), _clean(values.get("project") or ""),
                       *[plain(values.get(f)) for f in _KEY_FIELDS[kind]]], ensure_ascii=False)


def _key(content: str, occurrence: int) -> str:
    """The stable key: the row's values and how many identical rows came before it in the file."""
    return hashlib.sha256(f"{content}#{occurrence}".encode("utf-8")).hexdigest()


def _complete_amounts(values: dict[str, Any]) -> None:
    """A payment's four amounts from the ones the row gives. Taxes missing but gross and net given:
    the difference is split as 3.3% is (소득세 10 : 지방소득세 1). One of gross/net alone, no taxes:
    nothing withheld."""
    gross, net = values.get("gross"), values.get("net")
    income, local = values.get("income_tax"), values.get("local_tax")
    if income is None and local is None:
        if gross is not None and net is not None and gross >= net:
            withheld = gross - net
            local = (withheld + 5) // 11
            income = withheld - local
        else:
            income = local = 0
    elif income is None or local is None:
        given = income if income is not None else local
        rest = gross - net - given if gross is not None and net is not None else 0
        rest = rest if rest >= 0 else 0
        income, local = (given, rest) if income is not None else (rest, given)
    if net is None and gross is not None:
        net = gross - income - local
    if gross is None and net is not None:
        gross = net + income + local
    values.update(gross=gross, net=net, income_tax=income, local_tax=local)


def plan_sheet(table: Table, kind: str, override: dict[str, str] | None = None) -> SheetPlan:
    plan = SheetPlan(table.name, kind)
    found = _header_row(table, kind)
    if found is None:
        plan.issues.append(Issue(table.name, None, "", "빈 시트입니다."))
        return plan
    plan.header_row, header_cells = found
    plan.headers = [val.text(h) for h in header_cells]
    plan.mapping = cols.mapping_with(kind, plan.headers, override or {})
    mapped = set(plan.mapping.values())
    shown_headers = ", ".join(h for h in plan.headers if h) or "(없음)"
    for name in cols.required(kind):
        if name not in mapped:
            label = cols.label_of(kind, name)
            plan.issues.append(Issue(table.name, None, "", f"{label} 열을 찾지 못했습니다 (머리글: {shown_headers}). "
                                     f"--map \"머리글={label}\"로 정하세요."))
    if plan.issues:
        return plan
    headers = {f: plan.headers[p] for p, f in plan.mapping.items()}
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        if number <= plan.header_row:
            continue
        if _cells_empty([cells[p] for p in plan.mapping if p < len(cells)]):  # a side note elsewhere is not a row
            plan.skipped.append(Skip(table.name, number, "빈 행"))
            continue
        if _total_row(cells):
            plan.skipped.append(Skip(table.name, number, "합계 행"))
            continue
        record = Record(number, {}, dict(headers))
        bad = False
        for position, name in plan.mapping.items():
            cell = cells[position] if position < len(cells) else None
            try:
                record.values[name] = None if val.is_empty(cell) else _parser(name)(cell)
            except val.CellError as exc:
                plan.issues.append(Issue(table.name, number, headers[name], str(exc)))
                bad = True
        if "hours" in record.values:
            record.values["minutes"] = record.values.pop("hours")
            record.headers["minutes"] = record.headers.pop("hours")
        for name in cols.required(kind):
            if name in record.values and val.is_empty(record.values[name]):
                plan.issues.append(Issue(table.name, number, headers[name], "비어 있습니다."))
                bad = True
        if bad:
            record.status = "오류"
            plan.records.append(record)
            continue
        if kind == "payments":
            _complete_amounts(record.values)
        if kind in ("worklogs", "payments"):
            content = _content(kind, record.values)
            seen[content] = seen.get(content, -1) + 1
            record.key = _key(content, seen[content])
        plan.records.append(record)
    return plan


def plan_tables(tables: list[Table], *, kind: str | None = None, sheet: str | None = None,
                mapping: dict[str, str] | str | None = None) -> tuple[list[SheetPlan], list[str]]:
    """The sheets to import and how, plus the names of sheets left out. No database."""
    override = cols.parse_map(mapping) if isinstance(mapping, str) or mapping is None else mapping
    if kind is not None and kind not in cols.CLI_KINDS:
        raise SheetsError(f"가져올 종류는 worklogs(작업 기록) 또는 payments(지급)입니다: '{kind}'")
    names = [t.name for t in tables]
    if sheet is not None:
        chosen = [t for t in tables if t.name == sheet] or [t for t in tables if cols.normalize(t.name) ==
                                                            cols.normalize(sheet)]
        if not chosen:
            raise SheetsError(f"'{sheet}' 시트가 없습니다. 이 파일의 시트: {', '.join(names)}")
        selected = [(chosen[0], kind or sheet_kind(chosen[0].name) or guess_kind(chosen[0]))]
    elif any(sheet_kind(t.name) for t in tables):
        wanted = {"companies", "projects", kind} if kind else set(cols.KINDS)
        selected = sorted(((t, sheet_kind(t.name)) for t in tables if sheet_kind(t.name) in wanted),
                          key=lambda pair: cols.KINDS.index(pair[1]))
    elif tables:
        selected = [(tables[0], kind or guess_kind(tables[0]))]
    else:
        raise SheetsError("시트가 없는 파일입니다.")
    for table, table_kind in selected:
        if table_kind is None:
            raise SheetsError(f"'{table.name}' 시트가 작업 기록인지 지급인지 머리글로 알 수 없습니다. "
                              "무엇을 가져올지 정하세요 (명령줄은 --kind worklogs 또는 --kind payments).")
    if len(selected) == 1:
        return [plan_sheet(selected[0][0], selected[0][1], override)], [n for n in names if n != selected[0][0].name]
    # Several sheets: each takes the --map entries whose header it has; a header no sheet has is a mistake.
    plans, used = [], set()
    for table, table_kind in selected:
        found = _header_row(table, table_kind)
        keys = {cols.normalize(val.text(h)) for h in (found[1] if found else [])}
        mine = {h: t for h, t in override.items() if h in keys}
        used |= set(mine)
        plans.append(plan_sheet(table, table_kind, mine))
    if set(override) - used:
        raise LedgerError(f"--map의 머리글을 어느 시트에서도 찾지 못했습니다: {', '.join(sorted(set(override) - used))}",
                          field="map")
    taken = {p.sheet for p in plans}
    return plans, [n for n in names if n not in taken]


# ---------------------------------------------------------------- run: records → ledger rows


class _Run:
    """One import inside one write session: finds or creates companies and projects, writes rows."""

    def __init__(self, session: Session, report: ImportReport, create_missing: bool):
        self.session = session
        self.report = report
        self.create_missing = create_missing
        self.companies = {_norm_name(c.name): c for c in session.exec(select(Company)).all()}
        self.projects: dict[tuple[int, str], Project] = {
            (p.company_id, p.name): p for p in session.exec(select(Project)).all()}
        self.keys: set[str] = set()
        self.unkeyed: dict[str, Counter] = {}  # entries without a key, by their values (in_ledger)
        self.day_minutes: dict[date, int] | None = None  # minutes per work day, kept up to date as rows are added

    # -- problems

    def issue(self, plan: SheetPlan, record: Record, field_name: str | None, reason: str) -> None:
        name = _ID_HEADERS.get(field_name or "", field_name or "")
        column = record.headers.get(name) or (field_label(field_name) if field_name else "")
        if column == "입력":
            column = ""
        plan.issues.append(Issue(plan.sheet, record.row, column, reason))
        record.status = "오류"

    def validate(self, plan: SheetPlan, record: Record, model: type[SQLModel], data: dict[str, Any]) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in all_from_validation_error(exc):
                self.issue(plan, record, error.field, error.message)
            return None

    def load_keys(self, model: type[SQLModel], keys: list[str]) -> None:
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            self.keys.update(self.session.exec(select(model.import_key).where(model.import_key.in_(chunk))).all())

    # -- companies and projects

    def add_company(self, valid: CompanyCreate) -> Company:
        ledger._check_company_name(self.session, valid.name)
        row = Company.model_validate(valid)
        self.session.add(row)
        self.session.flush()
        self.companies[_norm_name(row.name)] = row
        self.report.written["company"] += 1
        return row

    def company(self, plan: SheetPlan, record: Record, name: str) -> Company | None:
        found = self.companies.get(_norm_name(name))
        if found is not None:
            return found
        shown = clean_line(name)
        if not self.create_missing:
            if shown not in self.report.unknown_companies:
                self.report.unknown_companies.append(shown)
            project = clean_line(record.values.get("project") or "")
            if project and (shown, project) not in self.report.unknown_projects:
                self.report.unknown_projects.append((shown, project))  # a new company's projects are new too
            self.issue(plan, record, "company", f"장부에 없는 회사입니다: {shown}")
            return None
        valid = self.validate(plan, record, CompanyCreate, {"name": name})
        if valid is None:
            return None
        self.report.created_companies.append(valid.name)
        return self.add_company(valid)

    def add_project(self, valid: ProjectCreate, company: Company) -> Project:
        ledger._check_project(self.session, valid)
        row = Project.model_validate(valid)
        self.session.add(row)
        self.session.flush()
        self.projects[(company.id, row.name)] = row
        self.report.written["project"] += 1
        return row

    def find_project(self, plan: SheetPlan, record: Record, company: Company | None, name: str) -> Project | None:
        """The project, or None when it is not in the ledger (an ambiguous name is an issue, and None)."""
        cleaned = clean_line(name)
        if company is not None:
            return self.projects.get((company.id, cleaned))
        matches = [p for (_cid, pname), p in self.projects.items() if pname == cleaned]
        if len(matches) > 1:
            self.issue(plan, record, "project", f"이 이름의 프로젝트가 여러 회사에 있습니다: {cleaned}. 회사 열을 더하세요.")
            record.values["_ambiguous"] = True
        return matches[0] if len(matches) == 1 else None

    def new_project(self, plan: SheetPlan, record: Record, company: Company | None, name: str,
                    new: dict[str, Any]) -> Project | None:
        """A project the ledger lacks: created with --create-missing, otherwise listed and refused."""
        cleaned = clean_line(name)
        pair = (company.name if company else "", cleaned)
        if not self.create_missing or company is None:
            if pair not in self.report.unknown_projects:
                self.report.unknown_projects.append(pair)
            where = f"{company.name} / {cleaned}" if company else cleaned
            why = " (회사 열이 없어 만들 수 없습니다)" if self.create_missing else ""
            self.issue(plan, record, "project", f"장부에 없는 프로젝트입니다: {where}{why}")
            return None
        valid = self.validate(plan, record, ProjectCreate, {"company_id": company.id, "name": name, **new})
        if valid is None:
            return None
        self.report.created_projects.append((company.name, valid.name))
        return self.add_project(valid, company)

    # -- one record of each kind

    def in_ledger(self, plan: SheetPlan, record: Record, row: SQLModel, fields: tuple[str, ...]) -> bool:
        """True (and reported as skipped) when the ledger already holds this very entry, written by hand or
        by an earlier import of a file without keys (our own export, imported back into the same ledger).
        Each such row is matched once: two identical rows in the file need two in the ledger."""
        model = type(row)
        if model.__name__ not in self.unkeyed:  # read once: the rows this import adds all carry a key
            query = select(*(getattr(model, f) for f in fields)).where(model.import_key.is_(None))
            self.unkeyed[model.__name__] = Counter(tuple(r) for r in self.session.exec(query).all())
        values = tuple(getattr(row, f) for f in fields)
        left = self.unkeyed[model.__name__]
        if left[values] <= 0:
            return False
        left[values] -= 1
        self.report.duplicates.append(Skip(plan.sheet, record.row, "장부에 이미 같은 기록이 있는 행"))
        record.status = "장부에 있음 (건너뜀)"
        return True

    def duplicate(self, plan: SheetPlan, record: Record, reason: str = "이미 가져온 행") -> bool:
        if record.key is not None and record.key in self.keys:
            self.report.duplicates.append(Skip(plan.sheet, record.row, reason))
            record.status = "이미 가져옴 (건너뜀)"
            return True
        return False

    def companies_row(self, plan: SheetPlan, record: Record) -> None:
        values = {k: v for k, v in record.values.items() if v is not None}
        if _norm_name(values.get("name", "")) in self.companies:
            self.report.duplicates.append(Skip(plan.sheet, record.row, "이미 있는 회사"))
            record.status = "이미 있음 (건너뜀)"
            return
        valid = self.validate(plan, record, CompanyCreate, values)
        if valid is not None:
            self.add_company(valid)
            record.status = "새로 씀"

    def projects_row(self, plan: SheetPlan, record: Record) -> None:
        values = {k: v for k, v in record.values.items() if v is not None}
        company = self.company(plan, record, values.pop("company"))
        if company is None:
            return
        if (company.id, clean_line(values.get("name", ""))) in self.projects:
            self.report.duplicates.append(Skip(plan.sheet, record.row, "이미 있는 프로젝트"))
            record.status = "이미 있음 (건너뜀)"
            return
        valid = self.validate(plan, record, ProjectCreate, {"company_id": company.id, **values})
        if valid is not None:
            self.add_project(valid, company)
            record.status = "새로 씀"

    def _rate_from_amount(self, plan: SheetPlan, record: Record, scheme: str) -> int | None:
        v = record.values
        amount, minutes = v.get("amount"), v.get("minutes") or 0
        accepted = (v.get("items_submitted") or 0) - (v.get("items_rejected") or 0)
        if scheme == PayScheme.PER_HOUR and minutes > 0 and (amount * 60) % minutes == 0:
            return amount * 60 // minutes
        if scheme == PayScheme.PER_ITEM and accepted > 0 and amount % accepted == 0:
            return amount // accepted
        if amount == 0:
            return 0
        self.issue(plan, record, "amount", f"금액({amount:,}원)으로 단가를 정할 수 없습니다"
                   f" ({'작업 시간' if scheme == PayScheme.PER_HOUR else '승인 건수'}로 나누어떨어지지 않음). 단가 열을 더하세요.")
        return None

    def worklogs_row(self, plan: SheetPlan, record: Record) -> None:
        if self.duplicate(plan, record):
            return
        v = record.values
        company = self.company(plan, record, v["company"]) if v.get("company") else None
        if v.get("company") and company is None:
            return
        project = self.find_project(plan, record, company, v["project"])
        if v.get("_ambiguous"):
            return
        if project is not None:
            scheme = v.get("pay_scheme") or project.pay_scheme
        else:  # per hour when the row has hours and no counts
            hourly = bool(v.get("minutes")) and not (v.get("items_submitted") or v.get("items_rejected"))
            scheme = v.get("pay_scheme") or (PayScheme.PER_HOUR if hourly else PayScheme.PER_ITEM)
        rate = v.get("rate")
        if rate is None and v.get("amount") is not None:
            rate = self._rate_from_amount(plan, record, scheme)
            if rate is None:
                return
        if project is None:
            project = self.new_project(plan, record, company, v["project"], {
                "pay_scheme": scheme, "unit_price": rate or 0, "task_type": TaskType.OTHER,
                "status": ProjectStatus.IN_PROGRESS, "start_date": v.get("work_date")})
            if project is None:
                return
        valid = self.validate(plan, record, WorkLogCreate, {
            "project_id": project.id, "work_date": v["work_date"], "minutes": v.get("minutes") or 0,
            "items_submitted": v.get("items_submitted") or 0, "items_rejected": v.get("items_rejected") or 0,
            "note": v.get("note") or "", "rate": rate, "pay_scheme": v.get("pay_scheme")})
        if valid is None:
            return
        row = WorkLog.model_validate(valid.model_dump() | {
            "rate": project.unit_price if valid.rate is None else valid.rate,
            "pay_scheme": valid.pay_scheme or project.pay_scheme})
        if self.in_ledger(plan, record, row, WORKLOG_SAME):
            return
        if self.day_minutes is None:
            totals = select(WorkLog.work_date, sa.func.sum(WorkLog.minutes)).group_by(WorkLog.work_date)
            self.day_minutes = {d: int(m or 0) for d, m in self.session.exec(totals).all()}
        if self.day_minutes.get(valid.work_date, 0) + valid.minutes > MINUTES_PER_DAY:
            try:  # the ledger's own check (and its message); the sum above only spares a query per row
                ledger._check_day_total(self.session, valid.work_date, valid.minutes)
            except LedgerError as exc:
                self.issue(plan, record, exc.field, exc.message)
                return
        row.import_key = record.key
        self.session.add(row)  # flushed with the next query, or at commit
        self.day_minutes[valid.work_date] = self.day_minutes.get(valid.work_date, 0) + valid.minutes
        self.keys.add(record.key)
        self.report.written["worklog"] += 1
        record.status = "새로 씀"
        amount = v.get("amount")
        if amount is not None and v.get("rate") is not None and worklog_earnings(row) != amount:
            self.report.warnings.append(Issue(plan.sheet, record.row, record.headers.get("amount", "금액"),
                                              f"금액 {amount:,}원이 단가로 계산한 수입 {worklog_earnings(row):,}원과 "
                                              "다릅니다 (단가대로 기록했습니다)."))

    def payments_row(self, plan: SheetPlan, record: Record) -> None:
        if self.duplicate(plan, record):
            return
        v = record.values
        company = self.company(plan, record, v["company"])
        if company is None:
            return
        project = None
        if v.get("project"):
            project = self.find_project(plan, record, company, v["project"]) or self.new_project(
                plan, record, company, v["project"], {"status": ProjectStatus.IN_PROGRESS, "task_type": TaskType.OTHER})
            if project is None:
                return
        valid = self.validate(plan, record, PaymentCreate, {
            "company_id": company.id, "project_id": project.id if project else None, "work_month": v["work_month"],
            "gross": v.get("gross"), "income_tax": v.get("income_tax"), "local_tax": v.get("local_tax"),
            "net": v.get("net"), "expected_date": v.get("expected_date"), "received_date": v.get("received_date"),
            "note": v.get("note") or ""})
        if valid is None:
            return
        row = Payment.model_validate(valid)
        if row.expected_date is None:
            row.expected_date = company_pay_date(company, valid.work_month)
        if self.in_ledger(plan, record, row, PAYMENT_SAME):
            return
        row.import_key = record.key
        self.session.add(row)
        self.keys.add(record.key)
        self.report.written["payment"] += 1
        record.status = "새로 씀"


def run_plans(engine: sa.Engine, plans: list[SheetPlan], *, ignored: list[str] | None = None,
              create_missing: bool = False, dry_run: bool = False) -> ImportReport:
    """Write the planned rows in one transaction, or nothing: a dry run, or any problem, rolls back."""
    report = ImportReport(plans=plans, ignored_sheets=list(ignored or []), dry_run=dry_run)
    if any(issue.row is None for plan in plans for issue in plan.issues):
        return report  # a sheet without its columns: nothing to try
    try:
        with session_scope(engine) as session:
            run = _Run(session, report, create_missing)
            for model, kind in ((WorkLog, "worklogs"), (Payment, "payments")):
                run.load_keys(model, [r.key for p in plans if p.kind == kind for r in p.records if r.key])
            for plan in plans:
                handle = getattr(run, f"{plan.kind}_row")
                for record in plan.records:
                    if record.status == "오류":
                        continue
                    handle(plan, record)
            session.flush()  # a dry run writes everything too, then takes it back
            if not report.ok or dry_run:
                raise _Rollback
    except _Rollback:
        return report
    report.committed = True
    return report


def import_file(engine: sa.Engine, source: Any, *, filename: str | None = None, kind: str | None = None,
                sheet: str | None = None, mapping: dict[str, str] | str | None = None,
                create_missing: bool = False, dry_run: bool = False) -> ImportReport:
    """Read a spreadsheet (a path, bytes or an upload) and import it: everything, or nothing."""
    tables = read_tables(source, filename)
    plans, ignored = plan_tables(tables, kind=kind, sheet=sheet, mapping=mapping)
    return run_plans(engine, plans, ignored=ignored, create_missing=create_missing, dry_run=dry_run)


__all__ = ["ImportReport", "Issue", "Record", "SheetPlan", "Skip", "guess_kind", "import_file", "plan_sheet",
           "plan_tables", "run_plans", "sheet_kind"]
