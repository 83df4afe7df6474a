"""The 모집 공고 page's reads: one page of postings at a time, filters in SQL, formatted for display.

`count_postings` and `page_postings` take the same `PostingFilter`: the page asks for how many match
and for the rows it shows (newest first: first seen, then published, then id, as
tracker.scrapers.postings.list_postings orders them), never for every stored posting. Display
columns (Korean labels, the pay as text, naive Korean times) are made per column, not per row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from tracker.models import Posting, PostingStatus
from tracker.models.enums import Certificate, PayUnit, TaskType
from tracker.scrapers.text import KST

#: Korean names of the source kinds (data/sources.toml `kind`); an unknown kind shows as written
KIND_LABELS = {
    "rss": "RSS 피드", "google_news": "구글 뉴스", "naver_blog": "네이버 블로그", "tistory": "티스토리",
    "nia": "NIA 게시판", "work24": "고용24", "saramin_api": "사람인", "html": "웹 게시판",
    "naver_search": "네이버 검색(카페·블로그)", "email": "플랫폼 메일", "aihub": "AI Hub",
}

DISPLAY_COLUMNS = ["id", "status", "status_label", "title", "organization", "source", "source_kind", "kind_label",
                   "published", "deadline", "pay", "pay_text", "pay_amount", "pay_unit", "task_types",
                   "task_labels", "remote", "certificate", "certificate_label", "url"]
_READ = [Posting.id, Posting.status, Posting.title, Posting.organization, Posting.source, Posting.source_kind,
         Posting.published, Posting.deadline, Posting.pay_text, Posting.pay_amount, Posting.pay_unit,
         Posting.task_types, Posting.remote, Posting.certificate, Posting.url]
NEWEST_FIRST = (Posting.first_seen.desc(), Posting.published.desc().nulls_last(), Posting.id.desc())


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


@dataclass(frozen=True)
class PostingFilter:
    """The page's filters. Hashable, so it can key a cached read."""

    sources: tuple[str, ...] = ()
    task_type: str | None = None
    remote_only: bool = False
    deadline_within: int | None = None  # days from `today`; None: no deadline filter
    keyword: str = ""
    include_hidden: bool = False
    today: date | None = None

    def clauses(self) -> list:
        out = []
        if not self.include_hidden:
            out.append(Posting.status != PostingStatus.HIDDEN)
        if self.sources:
            out.append(Posting.source.in_(self.sources))
        if self.task_type:
            out.append(("," + Posting.task_types + ",").contains("," + self.task_type + ",", autoescape=True))
        if self.remote_only:
            out.append(Posting.remote.is_(True))
        if self.deadline_within is not None and self.today is not None:
            out.append(Posting.deadline.between(self.today, self.today + timedelta(days=self.deadline_within)))
        needle = self.keyword.strip().lower()  # in the title, the organisation or the pay as written
        if needle:
            out.append(sa.or_(*(sa.func.lower(column).contains(needle, autoescape=True)
                                for column in (Posting.title, Posting.organization, Posting.pay_text))))
        return out


def count_postings(engine: sa.Engine, filters: PostingFilter) -> tuple[int, int]:
    """How many postings match, and how many of them are new (one query)."""
    query = select(sa.func.count(Posting.id),
                   sa.func.coalesce(sa.func.sum(sa.case((Posting.status == PostingStatus.NEW, 1), else_=0)), 0))
    with engine.connect() as conn:
        total, new = conn.execute(query.where(*filters.clauses())).one()
    return int(total), int(new)


def source_names(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(Posting.source).distinct()).scalars())


def _naive_kst(moment):
    if moment is None:
        return None
    return (moment if moment.tzinfo is None else moment.astimezone(KST)).replace(tzinfo=None)


def _display(rows: list) -> pd.DataFrame:
    """DISPLAY_COLUMNS from the rows of _READ: one pass per column over the (at most a page of)
    rows and one frame built at the end; no per-row DataFrame.apply, no per-cell pandas calls."""
    columns = dict(zip([c.key for c in _READ], zip(*rows))) if rows else {c.key: () for c in _READ}
    statuses, units = PostingStatus.labels(), PayUnit.labels()
    tasks, certificates = TaskType.labels(), Certificate.labels()
    amounts, pay_units = columns["pay_amount"], columns["pay_unit"]
    frame = pd.DataFrame({
        "id": pd.array(columns["id"], dtype="int64"),
        "status": [str(s) for s in columns["status"]],
        "status_label": [statuses.get(s, s) for s in columns["status"]],
        "title": list(columns["title"]),
        "organization": list(columns["organization"]),
        "source": list(columns["source"]),
        "source_kind": list(columns["source_kind"]),
        "kind_label": [KIND_LABELS.get(k, k) for k in columns["source_kind"]],
        "published": pd.to_datetime([_naive_kst(p) for p in columns["published"]]),
        "deadline": pd.to_datetime(list(columns["deadline"])),
        "pay": [f"{units.get(u, u)} {a:,}원" if a is not None and u else "" for a, u in zip(amounts, pay_units)],
        "pay_text": list(columns["pay_text"]),
        "pay_amount": pd.array(amounts, dtype="Int64"),
        "pay_unit": [str(u) if u else None for u in pay_units],
        "task_types": list(columns["task_types"]),
        "task_labels": [", ".join(tasks.get(c, c) for c in (types or "").split(",") if c) for types in columns["task_types"]],
        "remote": pd.array([bool(r) for r in columns["remote"]], dtype=bool),
        "certificate": [str(c) for c in columns["certificate"]],
        "certificate_label": [certificates.get(c, c) for c in columns["certificate"]],
        "url": list(columns["url"]),
    })
    return frame[DISPLAY_COLUMNS]


def page_postings(engine: sa.Engine, filters: PostingFilter, *, offset: int = 0, limit: int = 50) -> pd.DataFrame:
    """The postings of one page, newest first, formatted for display (DISPLAY_COLUMNS)."""
    query = select(*_READ).where(*filters.clauses()).order_by(*NEWEST_FIRST).offset(offset).limit(limit)
    with engine.connect() as conn:
        return _display(conn.execute(query).all())


def postings_by_ids(engine: sa.Engine, ids: list[int]) -> pd.DataFrame:
    """These postings formatted for display, in the order given."""
    if not ids:
        return _display([])
    with engine.connect() as conn:
        frame = _display(conn.execute(select(*_READ).where(Posting.id.in_(ids))).all())
    order = {posting_id: n for n, posting_id in enumerate(ids)}
    return frame.sort_values("id", key=lambda s: s.map(order), ignore_index=True)


def fit_inputs(engine: sa.Engine, filters: PostingFilter) -> pd.DataFrame:
    """Id and the few columns tracker.fit.assess reads, of every matching posting, newest first:
    for sorting by fit or keeping only the fitting ones (no text, no formatting)."""
    plain = [sa.type_coerce(c, sa.String) for c in (Posting.pay_unit, Posting.certificate)]  # no enum conversion
    query = select(Posting.id, Posting.task_types, Posting.pay_amount, plain[0], Posting.remote,
                   plain[1]).where(*filters.clauses()).order_by(*NEWEST_FIRST)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows],
                        columns=["id", "task_types", "pay_amount", "pay_unit", "remote", "certificate"])
