"""From a source's RawPosting to the fields the radar stores: pay, task types, remote, dedupe key.

Pure functions. Detection reads the title, the pay text and the summary together.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from tracker.models.enums import Certificate, PayUnit, TaskType
from tracker.scrapers.base import RawPosting, SourceConfig
from tracker.scrapers.text import canonical_url, plain_text, safe_date

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_PAY_PATTERNS: tuple[tuple[PayUnit, re.Pattern], ...] = (
    (PayUnit.ITEM, re.compile(rf"(?:건당|개당|장당|문장당|1건당|1개당)\s*(?:최대\s*)?{_NUMBER}\s*(만)?\s*원")),
    (PayUnit.ITEM, re.compile(rf"{_NUMBER}\s*(만)?\s*원\s*/\s*(?:건|개|장)")),
    (PayUnit.HOUR, re.compile(rf"(?:시급|시간당)\s*(?:최대\s*)?{_NUMBER}\s*(만)?\s*원")),
    (PayUnit.HOUR, re.compile(rf"{_NUMBER}\s*(만)?\s*원\s*/\s*(?:시간|h)")),
    (PayUnit.MONTH, re.compile(rf"(?:월급|월\s*급여|(?<![0-9])월)\s*(?:최대\s*)?{_NUMBER}\s*(만)?\s*원")),
    (PayUnit.MONTH, re.compile(rf"{_NUMBER}\s*(만)?\s*원\s*/\s*월")),
)

TASK_KEYWORDS: dict[TaskType, tuple[str, ...]] = {
    TaskType.BOUNDING_BOX: ("바운딩", "bounding", "bbox", "b-box"),
    TaskType.POLYGON: ("폴리곤", "polygon"),
    TaskType.KEYPOINT: ("키포인트", "keypoint", "랜드마크", "스켈레톤", "관절"),
    TaskType.SEGMENTATION: ("세그멘테이션", "segmentation", "시맨틱"),
    TaskType.OCR: ("ocr", "문자 인식", "글자 인식"),
    TaskType.TRANSCRIPTION: ("전사", "받아쓰기", "transcription", "음성 녹취"),
    TaskType.CLASSIFICATION: ("분류", "classification", "태깅", "감정 라벨"),
    TaskType.TEXT_COLLECTION: ("텍스트 수집", "문장 수집", "데이터 수집", "문장 작성", "녹음"),
    TaskType.INSPECTION: ("검수", "inspection", "품질 검사"),
}
REMOTE_WORDS = ("재택", "원격", "온라인 작업", "리모트", "remote")
_CERT = re.compile(r"AIDE\s*([12])\s*급", re.IGNORECASE)
_FULL_DATE = re.compile(r"(20\d{2})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*일?")
_DEADLINE_MARKED = (
    re.compile(r"[~∼〜]\s*(?:(20\d{2})\s*[.\-/년]\s*)?(\d{1,2})\s*[.\-/월]\s*(\d{1,2})"),
    re.compile(r"(?:마감|접수\s*기한|모집\s*기한|기한)\s*[:：]?\s*(?:(20\d{2})\s*[.\-/년]\s*)?(\d{1,2})\s*[.\-/월]\s*(\d{1,2})"),
    re.compile(r"(?:(20\d{2})\s*[.\-/년]\s*)?(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*일?\s*(?:\([^)]*\)\s*)?(?:까지|마감)"),
)


@dataclass(frozen=True)
class Pay:
    amount: int
    unit: PayUnit


def parse_pay(text: str) -> Pay | None:
    """'건당 50원' → 50 per item; '시급 12,000원' → 12,000 per hour; '월 200만원' → 2,000,000 per month."""
    for unit, pattern in _PAY_PATTERNS:
        match = pattern.search(text)
        if match:
            number, man = match.group(1), match.group(2)
            value = float(number.replace(",", ""))
            amount = int(round(value * 10_000)) if man else int(value)
            if amount > 0:
                return Pay(amount, unit)
    return None


def task_types(text: str) -> list[TaskType]:
    lowered = text.lower()
    return [task for task, words in TASK_KEYWORDS.items() if any(w in lowered for w in words)]


def is_remote(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in REMOTE_WORDS)


def certificate(text: str) -> Certificate:
    """The highest AIDE grade asked for (1급 over 2급), or none."""
    grades = {m.group(1) for m in _CERT.finditer(text)}
    if "1" in grades:
        return Certificate.AIDE_1
    if "2" in grades:
        return Certificate.AIDE_2
    return Certificate.NONE


def find_deadline(text: str, reference: date) -> date | None:
    """A deadline written in the text ("~11/30", "마감 12월 5일", "2026.11.30까지"), or None.

    A date without a year is the next such date on or after `reference` (a few weeks of slack
    for postings read late), so "~1/15" read in December means next January.
    """
    for pattern in _DEADLINE_MARKED:
        match = pattern.search(text)
        if not match:
            continue
        year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
        if year:
            found = safe_date(int(year), month, day)
        else:
            found = safe_date(reference.year, month, day)
            if found and (reference - found).days > 60:
                found = safe_date(reference.year + 1, month, day)
        if found:
            return found
    return None


_STRIP_TAGS = re.compile(r"^\s*(\[[^\]]{1,12}\]|\([^)]{1,12}\)|【[^】]{1,12}】)\s*")


def dedupe_key(title: str, organization: str) -> str:
    """Title and organisation folded so that re-posted or re-cased copies collide."""
    def fold(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).lower()
        while _STRIP_TAGS.match(text):
            text = _STRIP_TAGS.sub("", text, count=1)
        return "".join(ch for ch in text if ch.isalnum())

    return f"{fold(title)}|{fold(organization)}"


def passes_filters(raw: RawPosting, config: SourceConfig) -> bool:
    """`include`: at least one keyword appears; `exclude`: none does (case-insensitive)."""
    text = f"{raw.title} {raw.summary} {raw.organization}".lower()
    if config.include and not any(word.lower() in text for word in config.include):
        return False
    return not any(word.lower() in text for word in config.exclude)


def normalize(raw: RawPosting, config: SourceConfig, today: date) -> dict:
    """The Posting fields for one raw posting (no id, status or timestamps)."""
    title = plain_text(raw.title)[:500]
    organization = plain_text(raw.organization)[:300]
    summary = plain_text(raw.summary)[:2000]
    pay_text = plain_text(raw.pay_text)[:300]
    text = " ".join(part for part in (title, pay_text, summary) if part)
    pay = parse_pay(pay_text) or parse_pay(text)
    reference = raw.published.date() if raw.published else today
    return {
        "source": config.name,
        "source_kind": config.kind,
        "external_id": raw.external_id[:300],
        "url": canonical_url(raw.url)[:2000],
        "title": title,
        "organization": organization,
        "dedupe_key": dedupe_key(title, organization)[:900],
        "published": raw.published,
        "deadline": raw.deadline or find_deadline(f"{title} {summary}", reference),
        "pay_text": pay_text or _pay_phrase(text),
        "pay_amount": pay.amount if pay else None,
        "pay_unit": pay.unit if pay else None,
        "task_types": ",".join(t.value for t in task_types(text)),
        "remote": is_remote(text),
        "certificate": certificate(text),
        "region": plain_text(raw.region)[:200],
        "summary": summary,
    }


def _pay_phrase(text: str) -> str:
    for _unit, pattern in _PAY_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return ""
