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
    (PayUnit.ITEM, re.compile(rf"(?:건당|개당|장당|문장당|1건당|1개당)\s*(?:최대\s*|최소\s*)?{_NUMBER}\s*(만)?\s*원")),
    (PayUnit.ITEM, re.compile(rf"{_NUMBER}\s*(만)?\s*원\s*/\s*(?:건|개|장)")),
    (PayUnit.HOUR, re.compile(rf"(?:시급|시간당)\s*(?:최대\s*|최소\s*)?{_NUMBER}\s*(만)?\s*원")),
    (PayUnit.HOUR, re.compile(rf"{_NUMBER}\s*(만)?\s*원\s*/\s*(?:시간|h)")),
    (PayUnit.MONTH, re.compile(rf"(?:월급|월\s*급여|(?<![0-9])월)\s*(?:최대\s*|최소\s*)?{_NUMBER}\s*(만)?\s*원")),
    (PayUnit.MONTH, re.compile(rf"{_NUMBER}\s*(만)?\s*원\s*/\s*월")),
    (PayUnit.DAY, re.compile(rf"(?:일급|일당)\s*(?:최대\s*|최소\s*)?{_NUMBER}\s*(만)?\s*원")),
    (PayUnit.YEAR, re.compile(rf"연봉\s*(?:최대\s*|최소\s*)?{_NUMBER}\s*(만)?\s*원")),
)

TASK_KEYWORDS: dict[TaskType, tuple[str, ...]] = {
    TaskType.BOUNDING_BOX: ("바운딩", "bounding", "bbox", "b-box"),
    TaskType.POLYGON: ("폴리곤", "polygon"),
    TaskType.KEYPOINT: ("키포인트", "keypoint", "랜드마크", "스켈레톤", "관절"),
    TaskType.SEGMENTATION: ("세그멘테이션", "segmentation", "시맨틱"),
    TaskType.OCR: ("ocr", "문자 인식", "글자 인식"),
    TaskType.TRANSCRIPTION: ("전사", "받아쓰기", "transcription", "음성 녹취", "음성 녹취록"),
    TaskType.CLASSIFICATION: ("분류", "classification", "태깅", "감정 라벨", "감정 라벨링"),
    TaskType.TEXT_COLLECTION: ("텍스트 수집", "문장 수집", "데이터 수집", "문장 작성", "녹음"),
    TaskType.INSPECTION: ("검수", "inspection", "품질 검사"),
}
REMOTE_WORDS = ("재택", "원격", "온라인 작업", "리모트", "remote")

# Whole words. A Latin word ("ocr", "remote") must not touch another letter or digit: "OCR" and
# "OCR을" match, "Democrats" and "remotely" do not. Hangul is not a Latin letter, so "bbox작업" matches.
# A Korean word of three syllables or more ("바운딩", "세그멘테이션") is specific enough to match inside
# compounds ("바운딩박스"). A shorter one ("전사", "분류", "검수", "재택") may follow anything (compounds
# such as "음성전사", "이미지분류" are how Korean writes task names), but must END at a word boundary: the
# end of the text, a character that is not Hangul, or a continuation that starts with one of
# KOREAN_ENDINGS: a particle or verb ending (을/를/은/는/이/가/의/에/로/와/과/도/만, 하는/했/된 …, so
# "재택이었습니다", "검수하는") or a noun that makes a task compound (자, 팀, 작업, 근무, 가능, 부업 …, so
# "검수자분", "재택근무"). "전사적"(company-wide), "전사원"(all staff), "검수완박", "관절염" do not match.
KOREAN_ENDINGS = (
    # particles
    "을", "를", "은", "는", "이", "가", "의", "에", "로", "와", "과", "도", "만", "나", "랑", "및", "께",
    "으로", "에서", "에게", "까지", "부터", "처럼", "보다", "라고", "이라",
    # verb and adjective endings (검수하는, 분류했, 전사된 …)
    "하", "한", "할", "함", "합", "해", "했", "되", "된", "될", "됨", "됩",
    # nouns that form a task compound (검수자, 재택근무, 분류작업 …)
    "자", "팀", "용", "형", "직", "작업", "근무", "가능", "업무", "알바", "부업", "단가", "인력", "전문", "파일",
    "프로젝트", "데이터", "방식", "위주", "대상", "관련", "분야", "툴", "도구", "기준", "규칙", "가이드",
)
_HANGUL = "\uac00-\ud7a3\u3131-\u318e"  # syllables and compatibility jamo
_KOREAN_END = "|".join(sorted(KOREAN_ENDINGS, key=len, reverse=True))
# After a short Korean word: the end, a non-Hangul character, or a listed ending.
_KOREAN_BOUNDARY = rf"(?=$|[^{_HANGUL}]|(?:{_KOREAN_END}))"


def _word_pattern(word: str) -> re.Pattern:
    word = word.lower()
    start = r"(?<![a-z0-9])" if word[0].isascii() and word[0].isalnum() else ""
    last = word.split()[-1]
    if not re.fullmatch(rf"[{_HANGUL}]+", last):
        return re.compile(rf"{start}{re.escape(word)}(?![a-z0-9])")
    if len(last) >= 3:
        return re.compile(rf"{start}{re.escape(word)}")
    return re.compile(rf"{start}{re.escape(word)}{_KOREAN_BOUNDARY}")


def _matcher(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{_word_pattern(w).pattern})" for w in words))


_TASK_MATCHERS = {task: _matcher(words) for task, words in TASK_KEYWORDS.items()}
_REMOTE_MATCHER = _matcher(REMOTE_WORDS)
_CERT = re.compile(r"AIDE\s*([12])\s*급", re.IGNORECASE)
_DEADLINE_MARKED = (
    re.compile(r"[~∼〜]\s*(?:(20\d{2})\s*[.\-/년]\s*)?(\d{1,2})\s*[.\-/월]\s*(\d{1,2})"),
    # "마감 12월 5일", "접수마감일: 2026-12-05", "마감일자 12월 7일(월) 18:00까지", "마감일: 2026.12.11(금)"
    re.compile(r"(?:마감|접수\s*기한|모집\s*기한|기한)(?:\s*(?:일자|일시|날짜|일))?\s*[:：]?\s*"
               r"(?:(20\d{2})\s*[.\-/년]\s*)?(\d{1,2})\s*[.\-/월]\s*(\d{1,2})"),
    re.compile(r"(?:(20\d{2})\s*[.\-/년]\s*)?(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*일?\s*(?:\([^)]*\)\s*)?(?:까지|마감)"),
)


def has_word(text: str, word: str) -> bool:
    """`word` appears in `text` as a whole word (case-insensitive), by the rules above."""
    return bool(_word_pattern(word).search(text.lower()))


@dataclass(frozen=True)
class Pay:
    """Pay as stated. `amount` is a flat unit price; a range or a bound ("200만원 ~ 230만원", "12,000원
    이상", "최대 50원", "1만원 미만") has no flat amount, only `minimum`/`maximum`, and keeps its unit."""

    amount: int | None
    unit: PayUnit
    minimum: int | None = None
    maximum: int | None = None


_MONEY = rf"{_NUMBER}\s*(만)?\s*원"
# What may follow the matched price: "~ 230만원" (a range), "이상"/"미만"/"이하"/"초과"/"부터"/"~" (a bound).
_RANGE_TAIL = re.compile(rf"\s*(?:~|∼|〜|–|-)\s*{_MONEY}")
_BOUND_TAIL = re.compile(r"\s*(이상|초과|부터|이하|미만|까지|(?:~|∼|〜)(?!\s*\d))")
# "건당 50~80원", "시급 1만~1.2만원": a range written with one 원 at the end.
_SHORT_RANGE = {
    PayUnit.ITEM: "(?:건당|개당|장당|문장당|1건당|1개당)", PayUnit.HOUR: "(?:시급|시간당)",
    PayUnit.MONTH: "(?:월급|월\\s*급여|(?<![0-9])월)", PayUnit.DAY: "(?:일급|일당)", PayUnit.YEAR: "연봉",
}
_SHORT_RANGE_PATTERNS = tuple(
    (unit, re.compile(rf"{prefix}\s*{_NUMBER}\s*(만)?\s*(?:~|∼|〜|–|-)\s*{_MONEY}"))
    for unit, prefix in _SHORT_RANGE.items()
)
_LOWER_WORDS = {"이상", "초과", "부터", "~", "∼", "〜"}


def _won(number: str, man: str | None) -> int:
    value = float(number.replace(",", ""))
    return int(round(value * 10_000)) if man else int(value)


def parse_pay(text: str) -> Pay | None:
    """'건당 50원' → 50 per item; '시급 12,000원' → 12,000 per hour; '월 200만원' → 2,000,000 per month.

    '월급 200만원 ~ 230만원' → no flat amount, 2,000,000–2,300,000 per month; '시급 12,000원 이상' → at
    least 12,000 per hour; '건당 최대 80원' → at most 80 per item.
    """
    for unit, pattern in _SHORT_RANGE_PATTERNS:
        match = pattern.search(text)
        if match:
            low = _won(match.group(1), match.group(2) or match.group(4))
            high = _won(match.group(3), match.group(4))
            if 0 < low and 0 < high:
                return Pay(None, unit, minimum=min(low, high), maximum=max(low, high))
    for unit, pattern in _PAY_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        amount = _won(match.group(1), match.group(2))
        if amount <= 0:
            continue
        tail = text[match.end():]
        ranged = _RANGE_TAIL.match(tail)
        if ranged:
            high = _won(ranged.group(1), ranged.group(2))
            return Pay(None, unit, minimum=min(amount, high), maximum=max(amount, high))
        bound = _BOUND_TAIL.match(tail)
        if bound:
            if bound.group(1) in _LOWER_WORDS:
                return Pay(None, unit, minimum=amount)
            return Pay(None, unit, maximum=amount)
        if "최대" in match.group(0):
            return Pay(None, unit, maximum=amount)
        if "최소" in match.group(0):
            return Pay(None, unit, minimum=amount)
        return Pay(amount, unit)
    return None


def task_types(text: str) -> list[TaskType]:
    lowered = text.lower()
    return [task for task, matcher in _TASK_MATCHERS.items() if matcher.search(lowered)]


def is_remote(text: str) -> bool:
    return bool(_REMOTE_MATCHER.search(text.lower()))


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
    """The pay as written in `text`, with its range or bound ("월급 200만원 ~ 230만원", "시급 1만원 이상")."""
    for _unit, pattern in _SHORT_RANGE_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(0)
    for _unit, pattern in _PAY_PATTERNS:
        match = pattern.search(text)
        if match:
            tail = text[match.end():]
            extra = _RANGE_TAIL.match(tail) or _BOUND_TAIL.match(tail)
            return match.group(0) + (extra.group(0) if extra else "")
    return ""
