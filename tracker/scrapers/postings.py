"""Reading and acting on stored postings: list with filters, save / hide, apply → Project."""
from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from tracker.db import session_scope
from tracker.models import Company, Posting, PostingStatus, Project, ProjectStatus, SourceState, TaskType
from tracker.models.enums import PayUnit
from tracker.scrapers.text import to_kst

POSTING_COLUMNS = ["id", "status", "status_label", "title", "organization", "source", "source_kind", "published",
                   "deadline", "pay_text", "pay_amount", "pay_unit", "task_types", "remote", "certificate", "region",
                   "url", "first_seen", "external_id"]


def list_postings(
    engine: sa.Engine,
    *,
    status: str | None = None,
    include_hidden: bool = False,
) -> pd.DataFrame:
    """Newest first (first seen, then published), times in Korean time. Hidden only when asked for."""
    query = select(Posting)
    if status:
        query = query.where(Posting.status == status)
    elif not include_hidden:
        query = query.where(Posting.status != PostingStatus.HIDDEN)
    query = query.order_by(Posting.first_seen.desc(), Posting.published.desc().nulls_last(), Posting.id.desc())
    with session_scope(engine) as session:
        rows = [
            (p.id, p.status, PostingStatus(p.status).label, p.title, p.organization, p.source, p.source_kind,
             to_kst(p.published), p.deadline, p.pay_text, p.pay_amount, p.pay_unit, p.task_types, p.remote,
             p.certificate, p.region, p.url, to_kst(p.first_seen), p.external_id)
            for p in session.exec(query).all()
        ]
    return pd.DataFrame(rows, columns=POSTING_COLUMNS)


def filter_postings(
    frame: pd.DataFrame,
    *,
    sources: list[str] | None = None,
    task_type: str | None = None,
    remote_only: bool = False,
    deadline_within: int | None = None,
    keyword: str = "",
    today: date | None = None,
) -> pd.DataFrame:
    """The page's filters, on an already loaded frame."""
    out = frame
    if sources:
        out = out[out["source"].isin(sources)]
    if task_type:
        out = out[out["task_types"].fillna("").str.split(",").apply(lambda types: task_type in types)]
    if remote_only:
        out = out[out["remote"].astype(bool)]
    if deadline_within is not None and today is not None:
        limit = date.fromordinal(today.toordinal() + deadline_within)
        out = out[out["deadline"].apply(lambda d: d is not None and not pd.isna(d) and today <= d <= limit)]
    if keyword.strip():
        needle = keyword.strip().lower()
        text = (out["title"] + " " + out["organization"] + " " + out["pay_text"]).str.lower()
        out = out[text.str.contains(needle, regex=False)]
    return out.reset_index(drop=True)


def set_status(engine: sa.Engine, posting_ids: list[int], status: str) -> int:
    """Mark postings saved / hidden / new again. Returns how many changed."""
    status = PostingStatus(status)
    with session_scope(engine) as session:
        rows = session.exec(select(Posting).where(Posting.id.in_(posting_ids))).all()
        for row in rows:
            row.status = status
        return len(rows)


def apply_to_posting(engine: sa.Engine, posting_id: int, *, company_id: int | None = None,
                     new_company_name: str = "") -> int:
    """Create a Project in status 지원 linked to the posting (and the company, new if asked)."""
    from tracker.ledger import _check_project, _get, validate
    from tracker.models import CompanyCreate, ProjectCreate

    with session_scope(engine) as session:
        posting = _get(session, Posting, posting_id, "모집 공고", "posting_id")
        if company_id is None:
            name = (new_company_name or posting.organization or "").strip()
            existing = session.exec(select(Company).where(sa.func.lower(Company.name) == name.lower())).first()
            if existing:
                company_id = existing.id
            else:
                company = Company.model_validate(validate(CompanyCreate, {"name": name}))
                session.add(company)
                session.flush()
                company_id = company.id
        types = [t for t in posting.task_types.split(",") if t]
        unit = {PayUnit.ITEM: "per_item", PayUnit.HOUR: "per_hour"}.get(posting.pay_unit, "per_item")
        valid = validate(ProjectCreate, {
            "company_id": company_id,
            "name": posting.title[:200].strip(),
            "task_type": types[0] if types else TaskType.OTHER,
            "pay_scheme": unit,
            # A range or a bound ("건당 50원부터") has no flat price: the project starts at 0 for the user to fill.
            "unit_price": (posting.pay_amount or 0) if posting.pay_unit in (PayUnit.ITEM, PayUnit.HOUR) else 0,
            "status": ProjectStatus.APPLIED,
            "deadline": posting.deadline,
            "remote": posting.remote,
            "certificate": posting.certificate,
            "notes": f"모집 공고: {posting.url}",
            "posting_id": posting.id,
        })
        _check_project(session, valid)  # the company exists; no project of that name there yet
        project = Project.model_validate(valid)
        session.add(project)
        posting.status = PostingStatus.APPLIED
        session.flush()
        return project.id


def source_health(engine: sa.Engine) -> pd.DataFrame:
    with session_scope(engine) as session:
        rows = [
            (s.name, s.kind, to_kst(s.last_success), to_kst(s.last_run), s.last_error, s.consecutive_failures, s.item_count,
             s.new_count, s.layout_warning)
            for s in session.exec(select(SourceState)).all()
        ]
    return pd.DataFrame(rows, columns=["name", "kind", "last_success", "last_run", "last_error",
                                       "consecutive_failures", "item_count", "new_count", "layout_warning"])
