"""What the digest says: the items worth telling, each with a stable key, and their Korean text.

Four sections, each switched on the 설정 page (tracker.preferences):
- 새 모집 공고: postings first seen since the channel's last digest (the last week for a first
  digest), still 'new' (not hidden, saved or applied), that pass the radar filters;
- 늦어진 돈: money owed whose expected date has passed (tracker.receivables: open payments and
  work without a payment yet);
- 7일 안에 들어올 돈: money owed whose expected date is today or in the next 7 days;
- 세금·건강보험: the May return's countdown (tracker.taxyear.filing_countdown: once from April 1,
  again at 30 and at 7 days) and the health-insurance meter (tracker.health) once it is near or
  over the line.

An item's key names what it is about and the date that makes it news (an overdue payment's key
holds its expected date; a move of that date is news again), so an item sent on a channel is not
sent on it again (tracker.alerts.digest keeps the keys in `digest_log`).
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Posting, PostingStatus
from tracker.preferences import Preferences
from tracker.timeutil import KST

log = logging.getLogger(__name__)

DUE_DAYS = 7  # pay dates this many days ahead
FIRST_WINDOW = timedelta(days=7)  # postings a first digest looks back on
MAX_POSTINGS_LISTED = 20
WEEKDAYS = "월화수목금토일"

SECTIONS = {  # code → (heading, word in the subject)
    "postings": ("새 모집 공고", "새 공고"),
    "overdue": ("늦어진 돈 (지급 예정일이 지남)", "늦어진 돈"),
    "due": (f"{DUE_DAYS}일 안에 들어올 돈", "입금 예정"),
    "tax": ("세금·건강보험", "세금·보험"),
}

PARTS = {"postings": "새 모집 공고", "overdue": "늦어진 돈·입금 예정", "tax": "세금·건강보험"}


@dataclass(frozen=True)
class Item:
    key: str  # stable: the same news always has the same key
    section: str  # a SECTIONS code
    lines: tuple[str, ...]  # the item's text (its first line starts with "- ")
    amount: int = 0  # KRW, for the section's total (money sections)


def _won(amount: int) -> str:
    return f"₩{amount:,}"


def _day(d: date) -> str:
    return f"{d:%Y-%m-%d}({WEEKDAYS[d.weekday()]})"


# ---------------------------------------------------------------- postings


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=KST)


def posting_items(engine: sa.Engine, prefs: Preferences, since: datetime,
                  above_rate: dict[int, str] | None = None) -> list[Item]:
    """New postings first seen at or after `since` that pass the radar filters, newest first."""
    with Session(engine) as session:
        rows = session.exec(
            select(Posting).where(Posting.status == PostingStatus.NEW, Posting.first_seen >= since)
            .order_by(Posting.first_seen.desc(), Posting.id.desc())
        ).all()
        found = [(p.id, p.title, p.organization, p.summary, p.pay_text, p.task_types, p.remote, p.deadline, p.url)
                 for p in rows]
    items = []
    for pid, title, org, summary, pay, kinds, remote, deadline, url in found:
        if not prefs.matches(" ".join((title, org, summary, pay)), kinds or "", remote):
            continue
        facts = [title.strip()]
        if org:
            facts.append(org.strip())
        if pay:
            facts.append(pay.strip())
        if remote:
            facts.append("재택")
        if deadline:
            facts.append(f"마감 {_day(deadline)}")
        lines = ["- " + " · ".join(facts)]
        if above_rate and pid in above_rate:
            lines.append(f"  ↑ {above_rate[pid]}")
        lines.append(f"  {url}")
        items.append(Item(f"posting:{pid}", "postings", tuple(lines)))
    return items


def above_usual_rate(engine: sa.Engine, posting_ids: list[int]) -> dict[int, str]:
    """Hook for issue 13 §4 (시세): posting id → a line saying it pays above the user's usual rate.

    Uses tracker.market.above_usual_rate(engine, posting_ids) when the radar's fit/market module
    provides it; without it, nothing is said."""
    try:
        from tracker import market  # type: ignore[attr-defined]
    except ImportError:
        return {}
    finder = getattr(market, "above_usual_rate", None)
    if finder is None:
        return {}
    try:
        return dict(finder(engine, posting_ids))
    except Exception as exc:  # the digest goes out without the remark rather than not at all
        log.warning("above-usual-rate check failed: %s: %s", type(exc).__name__, exc)
        return {}


# ---------------------------------------------------------------- money


def money_items(engine: sa.Engine, today: date, *, overdue: bool, due: bool) -> list[Item]:
    """Owed money that became overdue, and owed money expected in the next DUE_DAYS days."""
    from tracker.receivables import receivables

    frame = receivables(engine, today)
    items = []
    horizon = today + timedelta(days=DUE_DAYS)
    for row in frame.itertuples(index=False):
        outstanding = int(row.outstanding)
        if outstanding <= 0:
            continue
        expected = row.expected_date
        what = f"{row.company} · {row.project}" if row.project else f"{row.company} (프로젝트 없이 기록한 지급)"
        estimate = " (지급 기록 없음, 회사 지급 조건으로 추정)" if row.source == "unbilled" else ""
        ident = row.payment_id if row.source == "payment" else f"{row.project_id}:{row.work_month:%Y-%m}"
        if int(row.days_late) > 0 and overdue:
            line = (f"- {what} · {row.work_month:%Y-%m} 작업분 {_won(outstanding)} · 예정일 {_day(expected)}, "
                    f"{int(row.days_late)}일 지남{estimate}")
            items.append(Item(f"overdue:{row.source}:{ident}:{expected:%Y-%m-%d}", "overdue", (line,), outstanding))
        elif due and int(row.days_late) == 0 and today <= expected <= horizon:
            line = f"- {_day(expected)} {what} · {row.work_month:%Y-%m} 작업분 {_won(outstanding)}{estimate}"
            items.append(Item(f"due:{row.source}:{ident}:{expected:%Y-%m-%d}", "due", (line,), outstanding))
    overdue_items = sorted((i for i in items if i.section == "overdue"), key=lambda i: -i.amount)
    due_items = sorted((i for i in items if i.section == "due"), key=lambda i: i.lines[0])
    return overdue_items + due_items


# ---------------------------------------------------------------- tax and health insurance


def _filing_stage(days_left: int) -> str:
    return "d7" if days_left <= 7 else "d30" if days_left <= 30 else "open"


def tax_items(engine: sa.Engine, today: date) -> list[Item]:
    from tracker import health
    from tracker import profile as profiles
    from tracker.models import HealthStatus
    from tracker.taxyear import filing_countdown

    items = []
    countdown = filing_countdown(today)
    if countdown is not None:
        stage = _filing_stage(countdown.days_left)
        when = "오늘" if countdown.days_left == 0 else f"D-{countdown.days_left}"
        items.append(Item(
            f"filing:{countdown.income_year}:{stage}", "tax",
            (f"- {countdown.income_year}년 귀속 종합소득세 신고·납부 마감 {when}: {_day(countdown.deadline)}까지",)))
    holder = profiles.latest(engine, today.year)
    status = HealthStatus(holder.health_status) if holder else HealthStatus.DEPENDENT
    if status != HealthStatus.NONE:
        try:
            from tracker.forecast import load_prior

            projection = health.project_year(engine, today, prior=load_prior())
            meter = health.meter(today.year, projection.so_far, projection.projected,
                                 employee=status == HealthStatus.EMPLOYEE,
                                 registered=bool(holder and holder.business_registered))
        except LookupError:
            meter = None
        if meter is not None and meter.level in ("near", "over_forecast", "over"):
            what = "직장가입자 보수외소득 선" if status == HealthStatus.EMPLOYEE else "피부양자 선"
            items.append(Item(f"health:{today.year}:{status}:{meter.level}", "tax",
                              (f"- 건강보험 {what}. {meter.sentence}",)))
    return items


# ---------------------------------------------------------------- the whole digest


def collect(engine: sa.Engine, prefs: Preferences, today: date, since: datetime,
            problems: list[str] | None = None) -> list[Item]:
    """Every item the settings ask for, in section order (before taking out what was sent).

    A section that fails is left out and said in `problems` (a Korean line each); the others go out."""
    items: list[Item] = []

    def section(name: str, build) -> None:
        try:
            items.extend(build())
        except Exception as exc:  # one broken section never keeps the rest of the digest from the user
            log.error("digest section %s failed: %s: %s", name, type(exc).__name__, exc)
            log.debug("traceback", exc_info=True)
            if problems is not None:
                problems.append(f"이번 알림에서 '{PARTS[name]}' 부분을 뺐습니다: 만드는 중에 오류가 났습니다 "
                                f"({type(exc).__name__}). 자세한 내용은 로그에 있습니다.")

    def postings() -> list[Item]:
        found = posting_items(engine, prefs, _aware(since))
        if found:
            notes = above_usual_rate(engine, [int(i.key.split(":")[1]) for i in found])
            if notes:
                found = posting_items(engine, prefs, _aware(since), notes)
        return found

    if prefs.digest_postings:
        section("postings", postings)
    if prefs.digest_overdue or prefs.digest_pay_dates:
        section("overdue", lambda: money_items(engine, today, overdue=prefs.digest_overdue,
                                               due=prefs.digest_pay_dates))
    if prefs.digest_tax:
        section("tax", lambda: tax_items(engine, today))
    return items


def items_hash(items: list[Item]) -> str:
    return hashlib.sha256("\n".join(sorted(i.key for i in items)).encode()).hexdigest()


def render(items: list[Item], today: date) -> tuple[str, str]:
    """The Korean subject and plain text of a digest of `items` (at least one)."""
    counts = []
    blocks = []
    for code, (heading, word) in SECTIONS.items():
        part = [i for i in items if i.section == code]
        if not part:
            continue
        counts.append(f"{word} {len(part)}건")
        total = sum(i.amount for i in part)
        head = f"■ {heading} {len(part)}건" + (f", 합계 {_won(total)}" if code in ("overdue", "due") else "")
        shown = part[:MAX_POSTINGS_LISTED] if code == "postings" else part
        lines = [head, *(line for item in shown for line in item.lines)]
        if len(part) > len(shown):
            lines.append(f"- 그 밖에 {len(part) - len(shown)}건은 모집 공고 페이지에서 보세요.")
        blocks.append("\n".join(lines))
    subject = f"[라벨장부] {today.month}월 {today.day}일 알림: " + " · ".join(counts)
    text = "\n\n".join([f"라벨장부 알림 · {today.year}년 {today.month}월 {today.day}일({WEEKDAYS[today.weekday()]})",
                        *blocks,
                        "— python -m tracker digest가 보냈습니다. 받을 내용은 설정·백업 페이지의 '알림'에서 고릅니다."])
    return subject, text
