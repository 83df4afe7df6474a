"""`python -m tracker digest [--dry-run]`: compose, send on each channel, remember what was sent.

Channels: "email" (TRACKER_SMTP_URL + TRACKER_DIGEST_TO) and "webhook" (TRACKER_WEBHOOK_URL), each
also switched on the 설정 page. Per channel, the items whose keys that channel already sent are left
out; nothing left on any channel → nothing is sent and the run says so (exit 0). A channel that fails
prints its own error and records nothing, so its items go out on the next run; the other channel
still sends. --dry-run prints what each channel would get and sends and records nothing.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker import config, preferences
from tracker.alerts import channels
from tracker.alerts.compose import FIRST_WINDOW, Item, collect, items_hash, render
from tracker.db import session_scope
from tracker.models import DigestLog
from tracker.scrapers.redact import mask
from tracker.timeutil import now_kst, today_kst

log = logging.getLogger(__name__)

CHANNELS = ("email", "webhook")
NAMES = {"email": "이메일", "webhook": "웹훅"}
VIA = {"email": "이메일로", "webhook": "웹훅으로"}
NOTHING_NEW = "새로 알릴 것이 없어 보내지 않았습니다."
PREVIEW_NOTHING = "새로 알릴 것이 없습니다."
NO_CHANNEL = ("알림을 보낼 곳이 없습니다: 이메일은 TRACKER_SMTP_URL과 TRACKER_DIGEST_TO, 웹훅은 TRACKER_WEBHOOK_URL을 "
              "설정하고, 설정·백업 페이지의 '알림'에서 켜 두세요.")
OK, FAILED, NOT_SET_UP = 0, 1, 2


@dataclass(frozen=True)
class Channel:
    name: str  # "email" | "webhook"
    configured: bool  # its environment variables are set
    enabled: bool  # switched on in the settings
    problem: str = ""  # set up half-way ("TRACKER_DIGEST_TO가 없습니다")
    shown: str = ""  # where it goes, masked (for the page and the CLI)

    @property
    def active(self) -> bool:
        return self.configured and self.enabled and not self.problem


def channel_status(prefs: preferences.Preferences, env: Mapping[str, str] | None = None) -> list[Channel]:
    """Both channels as the environment and the settings leave them (no secret in any field)."""
    smtp = config.smtp_url() if env is None else env.get("TRACKER_SMTP_URL", "").strip()
    to = config.digest_to() if env is None else [a.strip() for a in env.get("TRACKER_DIGEST_TO", "").split(",")
                                                 if a.strip()]
    hook = config.webhook_url() if env is None else env.get("TRACKER_WEBHOOK_URL", "").strip()
    problem, shown = "", ""
    if smtp or to:
        if not smtp:
            problem = "TRACKER_DIGEST_TO는 있지만 TRACKER_SMTP_URL이 없습니다."
        elif not to:
            problem = "TRACKER_SMTP_URL은 있지만 받는 사람(TRACKER_DIGEST_TO)이 없습니다."
        else:
            try:
                parsed = channels.parse_smtp_url(smtp)
            except channels.ChannelError as exc:
                problem = str(exc)
            else:
                shown = (f"{', '.join(channels.mask_address(a) for a in to)} · 서버 {parsed.where} "
                         f"({'smtps' if parsed.implicit_tls else 'smtp, 서버가 지원하면 STARTTLS'}) · 비밀번호 "
                         f"{'설정됨' if parsed.password else '없음'}")
    email = Channel("email", bool(smtp and to), prefs.digest_email, problem, shown)
    webhook = Channel("webhook", bool(hook), prefs.digest_webhook, "",
                      f"{channels.webhook_host(hook)} (주소의 나머지는 가림)" if hook else "")
    return [email, webhook]


def _sent_keys(session: Session, channel: str) -> tuple[set[str], datetime | None]:
    keys: set[str] = set()
    last = None
    for sent_at, item_keys in session.exec(select(DigestLog.sent_at, DigestLog.item_keys)
                                           .where(DigestLog.channel == channel)).all():
        try:
            keys.update(json.loads(item_keys))
        except ValueError:
            log.warning("digest_log row with unreadable keys on %s", channel)
        last = sent_at if last is None or sent_at > last else last
    return keys, last


def record(engine: sa.Engine, channel: str, items: list[Item], subject: str, text: str) -> None:
    with session_scope(engine) as session:
        session.add(DigestLog(channel=channel, item_keys=json.dumps([i.key for i in items], ensure_ascii=False),
                              items_hash=items_hash(items), subject=subject[:300], text=text))


@dataclass
class Outcome:
    code: int = OK
    lines: list[str] = field(default_factory=list)  # stdout
    errors: list[str] = field(default_factory=list)  # stderr
    sent: dict[str, int] = field(default_factory=dict)  # channel → items sent


def _senders(prefs_channels: list[Channel]) -> dict[str, Callable[[str, str], str]]:
    """channel → send(subject, text) returning a line saying where it went."""
    def email(subject: str, text: str) -> str:
        smtp = channels.parse_smtp_url(config.smtp_url())
        to = config.digest_to()
        sender = config.digest_from() or (smtp.username if "@" in smtp.username else to[0])
        secure = channels.send_email(smtp, sender, to, subject, text)
        how = "smtps" if smtp.implicit_tls else "STARTTLS" if secure else "암호화 없음"
        return f"받는 사람 {', '.join(channels.mask_address(a) for a in to)}, 서버 {smtp.where} ({how})"

    def webhook(subject: str, text: str) -> str:
        url = config.webhook_url()
        status = channels.send_webhook(url, subject, text)
        return f"{channels.webhook_host(url)} (HTTP {status})"

    return {"email": email, "webhook": webhook}


def secrets() -> set[str]:
    return channels.smtp_secrets(config.smtp_url()) | channels.webhook_secrets(config.webhook_url())


def run(engine: sa.Engine, *, dry_run: bool = False, today: date | None = None, now: datetime | None = None,
        senders: Mapping[str, Callable[[str, str], str]] | None = None) -> Outcome:
    """One digest run (the CLI prints the outcome). `senders` replaces the real channels in tests."""
    today = today or today_kst()
    now = now or now_kst()
    prefs = preferences.load(engine).values
    status = channel_status(prefs)
    out = Outcome()
    hidden = secrets()
    for ch in status:
        if ch.enabled and ch.problem:
            out.errors.append(mask(f"{NAMES[ch.name]}: {ch.problem}", hidden))
    active = [ch.name for ch in status if ch.active]
    with Session(engine) as session:
        memory = {name: _sent_keys(session, name) for name in (active or list(CHANNELS))}
    # postings since the earliest channel's last digest (a week back for a channel never sent)
    since = min((last or now - FIRST_WINDOW) for _keys, last in memory.values())
    problems: list[str] = []
    items = collect(engine, prefs, today, since, problems)
    out.errors.extend(problems)
    if problems:
        out.code = FAILED

    def pending(name: str) -> list[Item]:
        return [i for i in items if i.key not in memory[name][0]]

    if dry_run:
        targets = active or []
        if not targets:
            sent_anywhere = set().union(*(keys for keys, _ in memory.values()))
            todo = [i for i in items if i.key not in sent_anywhere]
            out.lines.append("(미리 보기: 보낼 곳이 설정되지 않았습니다. 보내지도, 기록하지도 않습니다.)")
            out.lines.extend(_preview(todo, today))
            return out
        for name in targets:
            out.lines.append(f"(미리 보기 · {NAMES[name]}: 보내지도, 기록하지도 않습니다.)")
            out.lines.extend(_preview(pending(name), today))
        return out

    if not active:
        out.errors.append(NO_CHANNEL)
        out.code = NOT_SET_UP
        return out
    send = dict(senders or _senders(status))
    anything = False
    for name in active:
        todo = pending(name)
        if not todo:
            continue
        anything = True
        subject, text = render(todo, today)
        try:
            where = send[name](subject, text)
        except channels.ChannelError as exc:
            out.errors.append(mask(f"{VIA[name]} 보내지 못했습니다: {exc}", hidden))
            out.code = FAILED
            continue
        except Exception as exc:  # one channel's surprise never stops the other
            log.error("digest %s failed: %s", name, mask(f"{type(exc).__name__}: {exc}", hidden))
            out.errors.append(f"{VIA[name]} 보내지 못했습니다: 예상하지 못한 오류 ({type(exc).__name__}).")
            out.code = FAILED
            continue
        record(engine, name, todo, subject, text)
        out.sent[name] = len(todo)
        out.lines.append(mask(f"{VIA[name]} 보냈습니다: 항목 {len(todo)}개 · {where}", hidden))
    if not anything:
        out.lines.append(NOTHING_NEW)
    return out


def _preview(items: list[Item], today: date) -> list[str]:
    if not items:
        return [PREVIEW_NOTHING]
    subject, text = render(items, today)
    return [f"제목: {subject}", "", text, ""]


def recent(engine: sa.Engine, limit: int = 10):
    """The last digests sent, newest first: 보낸 때 (Korean time), 채널, 항목 수, 제목."""
    import pandas as pd

    from tracker.scrapers.text import to_kst

    with Session(engine) as session:
        rows = session.exec(select(DigestLog).order_by(DigestLog.sent_at.desc(), DigestLog.id.desc())
                            .limit(limit)).all()
        data = []
        for r in rows:
            try:
                count = len(json.loads(r.item_keys or "[]"))
            except ValueError:
                count = 0
            data.append({"보낸 때": to_kst(r.sent_at).strftime("%Y-%m-%d %H:%M"),
                         "채널": NAMES.get(r.channel, r.channel), "항목": count, "제목": r.subject})
    return pd.DataFrame(data, columns=["보낸 때", "채널", "항목", "제목"])
