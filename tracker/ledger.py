"""Writes to the ledger. Every function validates first and writes nothing when it refuses.

Each public function is one action in one session. Errors meant for the user are LedgerError
with a Korean sentence naming the field; the UI shows them as they are.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, SQLModel, func, select

from tracker.db import session_scope
from tracker.errors import LedgerError, from_validation_error, josa, label
from tracker.models import (
    Company,
    CompanyCreate,
    Deposit,
    DepositCreate,
    Payment,
    PaymentCreate,
    Posting,
    Project,
    ProjectCreate,
    WorkLog,
    WorkLogCreate,
)
from tracker.models.base import ID_MAX
from tracker.models.worklog import MINUTES_PER_DAY
from tracker.schedule import company_pay_date

C = TypeVar("C", bound=SQLModel)


def validate(create_cls: type[C], data: dict[str, Any] | SQLModel) -> C:
    """Validate user input with the Create model; a failure becomes one Korean LedgerError."""
    if isinstance(data, SQLModel):
        data = data.model_dump()
    try:
        return create_cls.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc) from None


def quoted(name: str) -> str:
    return f"'{name}'"


STALE = "다른 화면에서 먼저 바뀌었습니다. 새로 불러온 뒤 다시 고쳐 주세요."


def _get(session: Session, table: type, row_id: int, what: str, field: str, *, lock: bool = False):
    """The row, or a Korean LedgerError. With `lock`, the row is locked until the action commits
    (SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the whole file)."""
    valid_id = isinstance(row_id, int) and not isinstance(row_id, bool) and 1 <= row_id <= ID_MAX
    row = session.get(table, row_id, with_for_update=lock) if valid_id else None
    if row is None:
        raise LedgerError(f"{josa(what, '을/를')} 찾을 수 없습니다 (id {row_id}).", field=field)
    return row


def _check_version(row: SQLModel, version: Any) -> None:
    """Refuse an edit made on an older copy of the row: `version` is what the form showed."""
    if version is None:
        return
    try:
        shown = int(version)
    except (TypeError, ValueError, OverflowError):
        shown = None
    if shown != row.version:
        raise LedgerError(STALE, field="version")


def _merged(row: SQLModel, changes: dict[str, Any], create_cls: type[C]) -> C:
    """The row with `changes` applied, validated as a whole (cross-field rules hold on edits too)."""
    current = row.model_dump(include=set(create_cls.model_fields))
    current.update({k: v for k, v in changes.items() if k in create_cls.model_fields})
    return validate(create_cls, current)


def _edit(session: Session, row: SQLModel, changes: dict[str, Any], create_cls: type[C],
          writable: set[str] | None = None, check: Callable[[C], None] | None = None) -> C:
    """Check the version, validate the merged row, run `check` on it (references, totals: before
    anything is written, so a refusal leaves the row untouched), then write only the fields in
    `changes` (as the validation cleaned them) and bump the version. Returns the validated whole."""
    _check_version(row, changes.get("version"))
    valid = _merged(row, changes, create_cls)
    if check is not None:
        with session.no_autoflush:
            check(valid)
    fields = {k for k in changes if k in create_cls.model_fields}
    if writable is not None:
        fields &= writable
    _apply(row, valid, fields)
    return valid


def _apply(row: SQLModel, valid: SQLModel, fields: set[str]) -> None:
    """Write `fields` of `valid` into `row`; a row that really changed gets version + 1."""
    changed = False
    for key, value in valid.model_dump(include=fields).items():
        if hasattr(row, key) and getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    if changed:
        row.version = row.version + 1


# ---------------------------------------------------------------- companies


def _check_company_name(session: Session, name: str, exclude_id: int | None = None) -> None:
    query = select(Company.id).where(func.lower(Company.name) == name.strip().lower())
    if exclude_id is not None:
        query = query.where(Company.id != exclude_id)
    if session.exec(query).first() is not None:
        raise LedgerError(f"같은 이름의 회사가 이미 있습니다: {name.strip()}", field="name")


def create_company(engine: sa.Engine, data: dict[str, Any] | SQLModel) -> int:
    valid = validate(CompanyCreate, data)
    valid.name = valid.name.strip()
    with session_scope(engine) as session:
        _check_company_name(session, valid.name)
        row = Company.model_validate(valid)
        session.add(row)
        session.flush()
        return row.id


def update_company(engine: sa.Engine, company_id: int, changes: dict[str, Any]) -> None:
    """Edit a company: only the fields in `changes`; with `changes["version"]`, only if unchanged since."""
    with session_scope(engine) as session:
        row = _get(session, Company, company_id, "회사", "company_id", lock=True)
        _edit(session, row, changes, CompanyCreate,
              check=lambda valid: _check_company_name(session, valid.name, exclude_id=company_id))


@dataclass(frozen=True)
class Dependents:
    projects: int = 0
    worklogs: int = 0
    payments: int = 0

    def __bool__(self) -> bool:
        return bool(self.projects or self.worklogs or self.payments)

    def describe(self) -> str:
        parts = []
        if self.projects:
            parts.append(f"프로젝트 {self.projects:,}개")
        if self.worklogs:
            parts.append(f"작업 기록 {self.worklogs:,}건")
        if self.payments:
            parts.append(f"지급 {self.payments:,}건")
        return ", ".join(parts)


def _count(session: Session, query) -> int:
    return session.exec(select(func.count()).select_from(query.subquery())).one()


def _company_dependents(session: Session, company_id: int) -> Dependents:
    project_ids = select(Project.id).where(Project.company_id == company_id)
    return Dependents(
        projects=_count(session, project_ids),
        worklogs=_count(session, select(WorkLog.id).where(WorkLog.project_id.in_(project_ids))),
        payments=_count(session, select(Payment.id).where(Payment.company_id == company_id)),
    )


def company_dependents(engine: sa.Engine, company_id: int) -> Dependents:
    with Session(engine) as session:
        return _company_dependents(session, company_id)


def delete_company(engine: sa.Engine, company_id: int, *, cascade: bool = False, version: int | None = None) -> None:
    """Delete a company. With projects or payments it refuses unless `cascade` says to take them too."""
    with session_scope(engine) as session:
        row = _get(session, Company, company_id, "회사", "company_id", lock=True)
        _check_version(row, version)
        deps = _company_dependents(session, company_id)
        if deps and not cascade:
            raise LedgerError(
                f"'{row.name}'에 {josa(deps.describe(), '이/가')} 연결되어 있어 삭제하지 않았습니다. "
                "모두 함께 지우려면 '연결된 기록도 함께 삭제'를 선택하세요. "
                "거래만 끝났다면 삭제 대신 '거래 중'을 해제하세요.",
                field="company_id",
            )
        project_ids = select(Project.id).where(Project.company_id == company_id)
        session.exec(sa.delete(WorkLog).where(WorkLog.project_id.in_(project_ids)))
        payment_ids = select(Payment.id).where(Payment.company_id == company_id)
        session.exec(sa.delete(Deposit).where(Deposit.payment_id.in_(payment_ids)))
        session.exec(sa.delete(Payment).where(Payment.company_id == company_id))
        session.exec(sa.delete(Project).where(Project.company_id == company_id))
        session.delete(row)


# ---------------------------------------------------------------- projects


def _check_project(session: Session, valid: ProjectCreate, exclude_id: int | None = None) -> None:
    _get(session, Company, valid.company_id, "회사", "company_id")
    if valid.posting_id is not None:
        _get(session, Posting, valid.posting_id, "모집 공고", "posting_id")
    query = select(Project.id).where(Project.company_id == valid.company_id, Project.name == valid.name)
    if exclude_id is not None:
        query = query.where(Project.id != exclude_id)
    if session.exec(query).first() is not None:
        raise LedgerError(f"이 회사에 같은 이름의 프로젝트가 이미 있습니다: {valid.name}", field="name")


def create_project(engine: sa.Engine, data: dict[str, Any] | SQLModel) -> int:
    valid = validate(ProjectCreate, data)
    valid.name = valid.name.strip()
    with session_scope(engine) as session:
        _check_project(session, valid)
        row = Project.model_validate(valid)
        session.add(row)
        session.flush()
        return row.id


def update_project(engine: sa.Engine, project_id: int, changes: dict[str, Any]) -> None:
    """Edit a project. A new unit price applies to new work entries only; old ones keep theirs."""
    with session_scope(engine) as session:
        row = _get(session, Project, project_id, "프로젝트", "project_id", lock=True)
        _edit(session, row, changes, ProjectCreate,
              check=lambda valid: _check_project(session, valid, exclude_id=project_id))


def _project_dependents(session: Session, project_id: int) -> Dependents:
    return Dependents(
        worklogs=_count(session, select(WorkLog.id).where(WorkLog.project_id == project_id)),
        payments=_count(session, select(Payment.id).where(Payment.project_id == project_id)),
    )


def project_dependents(engine: sa.Engine, project_id: int) -> Dependents:
    with Session(engine) as session:
        return _project_dependents(session, project_id)


def delete_project(engine: sa.Engine, project_id: int, *, cascade: bool = False, version: int | None = None) -> None:
    """Delete a project. Its work entries go with it (only with `cascade`); payments stay, unlinked."""
    with session_scope(engine) as session:
        row = _get(session, Project, project_id, "프로젝트", "project_id", lock=True)
        _check_version(row, version)
        deps = _project_dependents(session, project_id)
        if deps and not cascade:
            raise LedgerError(
                f"'{row.name}'에 {josa(deps.describe(), '이/가')} 연결되어 있어 삭제하지 않았습니다. "
                "함께 정리하려면 '연결된 기록도 함께 삭제'를 선택하세요 "
                "(작업 기록은 삭제되고, 지급 기록은 남되 프로젝트 연결만 풀립니다).",
                field="project_id",
            )
        session.exec(sa.delete(WorkLog).where(WorkLog.project_id == project_id))
        session.exec(sa.update(Payment).where(Payment.project_id == project_id).values(project_id=None))
        session.delete(row)


# ---------------------------------------------------------------- work logs


def _check_day_total(session: Session, work_date: date, minutes: int, exclude_id: int | None = None) -> None:
    query = select(func.coalesce(func.sum(WorkLog.minutes), 0)).where(WorkLog.work_date == work_date)
    if exclude_id is not None:
        query = query.where(WorkLog.id != exclude_id)
    already = session.exec(query).one()
    if already + minutes > MINUTES_PER_DAY:
        raise LedgerError(
            f"작업 시간(분)이 하루 24시간을 넘습니다: {work_date.isoformat()}에 이미 {already:,}분이 "
            f"기록되어 있어 {minutes:,}분을 더할 수 없습니다 (하루 최대 {MINUTES_PER_DAY:,}분).",
            field="minutes",
        )


def create_worklog(engine: sa.Engine, data: dict[str, Any] | SQLModel) -> int:
    """Record a day's work. Without a rate, the project's unit price in force today is frozen in."""
    valid = validate(WorkLogCreate, data)
    with session_scope(engine) as session:
        return add_worklog(session, valid).id


def add_worklog(session: Session, valid: WorkLogCreate) -> WorkLog:
    """create_worklog's insert, inside a caller's write transaction (the quick entry checks for a double
    submit first, in the same transaction): the project must exist, the day stays within 24 hours, and
    the project's current rate and scheme are frozen into the entry."""
    project = _get(session, Project, valid.project_id, "프로젝트", "project_id")
    _check_day_total(session, valid.work_date, valid.minutes)
    row = WorkLog.model_validate(
        valid.model_dump()
        | {
            "rate": project.unit_price if valid.rate is None else valid.rate,
            "pay_scheme": valid.pay_scheme or project.pay_scheme,
        }
    )
    session.add(row)
    session.flush()
    return row


def update_worklog(engine: sa.Engine, worklog_id: int, changes: dict[str, Any]) -> None:
    """Edit a work entry: only the fields in `changes`; the 24-hour rule holds for the new total."""
    with session_scope(engine) as session:
        row = _get(session, WorkLog, worklog_id, "작업 기록", "worklog_id", lock=True)
        if "rate" in changes and changes["rate"] is None:  # the frozen rate cannot be emptied
            raise LedgerError(f"{josa(label('rate'), '을/를')} 입력하세요.", field="rate")

        def check(valid: WorkLogCreate) -> None:
            _get(session, Project, valid.project_id, "프로젝트", "project_id")
            _check_day_total(session, valid.work_date, valid.minutes, exclude_id=worklog_id)

        _edit(session, row, changes, WorkLogCreate, writable=set(WorkLogCreate.model_fields) - {"pay_scheme"},
              check=check)


def delete_worklog(engine: sa.Engine, worklog_id: int, *, version: int | None = None) -> None:
    with session_scope(engine) as session:
        row = _get(session, WorkLog, worklog_id, "작업 기록", "worklog_id", lock=True)
        _check_version(row, version)
        session.delete(row)


# ---------------------------------------------------------------- payments


def _check_payment(session: Session, valid: PaymentCreate) -> Company:
    company = _get(session, Company, valid.company_id, "회사", "company_id")
    if valid.project_id is not None:
        project = _get(session, Project, valid.project_id, "프로젝트", "project_id")
        if project.company_id != valid.company_id:
            raise LedgerError(
                f"프로젝트 {josa(quoted(project.name), '은/는')} '{company.name}'의 프로젝트가 아닙니다.", field="project_id"
            )
    return company


def create_payment(engine: sa.Engine, data: dict[str, Any] | SQLModel) -> int:
    """Record a payment. Without an expected date, the company's payment terms give one (stored, so the
    payment is in the cash flow and can be late like any other)."""
    valid = validate(PaymentCreate, data)
    with session_scope(engine) as session:
        company = _check_payment(session, valid)
        row = Payment.model_validate(valid)
        if row.expected_date is None:
            row.expected_date = company_pay_date(company, valid.work_month)
        session.add(row)
        session.flush()
        return row.id


def update_payment(engine: sa.Engine, payment_id: int, changes: dict[str, Any]) -> None:
    """Edit a payment: only the fields in `changes`; with `changes["version"]`, only if unchanged since.
    An expected date cleared (None) means "follow the company's terms": the date those terms give for
    the (new) work month is stored, as create_payment does, never an empty date."""
    with session_scope(engine) as session:
        row = _get(session, Payment, payment_id, "지급", "payment_id", lock=True)

        def check(valid: PaymentCreate) -> None:
            company = _check_payment(session, valid)
            if valid.expected_date is None:
                valid.expected_date = company_pay_date(company, valid.work_month)

        _edit(session, row, changes, PaymentCreate, check=check)


def delete_payment(engine: sa.Engine, payment_id: int, *, version: int | None = None) -> None:
    """Delete a payment and the deposits recorded against it."""
    with session_scope(engine) as session:
        row = _get(session, Payment, payment_id, "지급", "payment_id", lock=True)
        _check_version(row, version)
        session.exec(sa.delete(Deposit).where(Deposit.payment_id == payment_id))
        session.delete(row)


# ---------------------------------------------------------------- deposits


def record_deposit(engine: sa.Engine, data: dict[str, Any] | SQLModel, *, settle: bool = True,
                   version: int | None = None) -> int:
    """Record money that landed for a payment. With `settle`, the payment is paid in full from now on:
    its received date is this deposit's date and its amounts become what its deposits actually were
    (what was really withheld is what the tax return needs). Without it, the deposit is partial.
    With `version` (the payment's, as the form showed it), a payment changed since is refused."""
    valid = validate(DepositCreate, data)
    with session_scope(engine) as session:
        return _add_deposit(session, valid, settle, version)


def _add_deposit(session: Session, valid: DepositCreate, settle: bool, version: int | None = None) -> int:
    # The payment row is locked (and, on SQLite, the whole ledger): a second writer recording the
    # same deposit waits here, then sees the payment settled and is refused.
    payment = _get(session, Payment, valid.payment_id, "지급", "payment_id", lock=True)
    _check_version(payment, version)
    if payment.received_date is not None:
        raise LedgerError(
            f"이 지급은 {payment.received_date.isoformat()}에 이미 입금 완료로 기록되어 있습니다. "
            "잘못 기록했다면 지급 페이지에서 입금일을 비우고 다시 기록하세요.",
            field="payment_id",
        )
    row = Deposit.model_validate(valid)
    session.add(row)
    session.flush()
    if settle:
        deposits = session.exec(select(Deposit).where(Deposit.payment_id == payment.id)).all()
        payment.gross = sum(d.gross for d in deposits)
        payment.income_tax = sum(d.income_tax for d in deposits)
        payment.local_tax = sum(d.local_tax for d in deposits)
        payment.net = sum(d.net for d in deposits)
        payment.received_date = valid.received_on
        payment.version = payment.version + 1
    return row.id


def record_unbilled_deposit(
    engine: sa.Engine, project_id: int, work_month: date, deposit: dict[str, Any], *, settle: bool = True
) -> int:
    """Money landed for work that had no payment recorded: create the payment and its deposit together."""
    with session_scope(engine) as session:
        project = _get(session, Project, project_id, "프로젝트", "project_id")
        company = session.get(Company, project.company_id)
        amounts = {k: deposit.get(k) for k in ("gross", "income_tax", "local_tax", "net")}
        payment = validate(PaymentCreate, {"company_id": company.id, "project_id": project.id,
                                           "work_month": work_month, **amounts})
        row = Payment.model_validate(payment)
        row.expected_date = company_pay_date(company, payment.work_month)
        session.add(row)
        session.flush()
        valid = validate(DepositCreate, {**deposit, "payment_id": row.id})
        return _add_deposit(session, valid, settle)


def delete_deposit(engine: sa.Engine, deposit_id: int, *, version: int | None = None) -> None:
    """Remove a deposit; the payment it settled is open again (its amounts stay as they are)."""
    with session_scope(engine) as session:
        row = _get(session, Deposit, deposit_id, "입금 기록", "deposit_id", lock=True)
        _check_version(row, version)
        payment = _get(session, Payment, row.payment_id, "지급", "payment_id", lock=True)
        if payment.received_date is not None:
            payment.received_date = None
            payment.version = payment.version + 1
        session.delete(row)


def update_deposit(engine: sa.Engine, deposit_id: int, changes: dict[str, Any]) -> None:
    """Correct a deposit (its date, amounts or note). A settled payment takes the corrected sums and
    the latest deposit date, as record_deposit would have given it."""
    with session_scope(engine) as session:
        row = _get(session, Deposit, deposit_id, "입금 기록", "deposit_id", lock=True)
        payment = _get(session, Payment, row.payment_id, "지급", "payment_id", lock=True)
        _edit(session, row, {k: v for k, v in changes.items() if k != "payment_id"}, DepositCreate)
        if payment.received_date is not None:
            session.flush()
            deposits = session.exec(select(Deposit).where(Deposit.payment_id == payment.id)).all()
            settled = {
                "gross": sum(d.gross for d in deposits), "income_tax": sum(d.income_tax for d in deposits),
                "local_tax": sum(d.local_tax for d in deposits), "net": sum(d.net for d in deposits),
                "received_date": max(d.received_on for d in deposits),
            }
            _apply(payment, validate(PaymentCreate, payment.model_dump() | settled), set(settled))


def has_records(session: Session) -> bool:
    """True when the ledger holds a company, project, work entry, payment or deposit."""
    tables = (Company, Project, WorkLog, Payment, Deposit)
    return any(session.exec(select(t.id).limit(1)).first() is not None for t in tables)


def is_empty(engine: sa.Engine) -> bool:
    """True when the ledger holds no company, project, work entry, payment or deposit."""
    with Session(engine) as session:
        return not has_records(session)
