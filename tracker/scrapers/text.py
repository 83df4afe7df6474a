"""Helpers for parsers: plain text from HTML, Korean time, canonical URLs, decoding pages, board dates."""
from __future__ import annotations

import html
import re
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from tracker.scrapers.base import ParseError
from tracker.timeutil import KST

# Query parameters that only track the reader; removed before de-duplicating.
TRACKING_PARAMS = {"fromrss", "trackingcode", "fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "oc",
                   # mailing services' click ids (notification mails, tracker.scrapers.mail)
                   "mkt_tok", "_hsenc", "_hsmi", "yclid", "dclid", "wbraid", "gbraid", "msclkid"}
TRACKING_PREFIXES = ("utm_",)


# Control characters other than whitespace: PostgreSQL refuses NUL in text, and none belongs in a title.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # lone halves (JSON "\ud800"): not encodable as UTF-8


def clean_text(value: str | None) -> str:
    """`value` fit to store: NUL and other control characters removed, lone surrogates replaced by U+FFFD."""
    if not value:
        return ""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", value))


def bounded_text(value: str | None, limit: int) -> str:
    """clean_text, cut to `limit` characters (the last one an ellipsis when cut)."""
    value = clean_text(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


_BLOCK_EDGE = re.compile(r"(?i)(<br\s*/?>|</?(?:p|div|li|ul|ol|tr|td|th|h[1-6]|table|blockquote)\b[^>]*>)")


def plain_text(markup: str | None) -> str:
    """Text content of an HTML fragment, entities decoded, whitespace folded.

    Block elements and line breaks separate words; inline tags do not ("<b>폴리곤</b>으로" stays one word).
    """
    if not markup:
        return ""
    if "<" in markup:
        markup = BeautifulSoup(_BLOCK_EDGE.sub(r" \1 ", markup), "html.parser").get_text("")
    return re.sub(r"\s+", " ", clean_text(html.unescape(markup))).strip()


def to_kst(moment: datetime | None) -> datetime | None:
    """An aware datetime in Korean time; a naive one is taken to be Korean time already."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=KST)
    return moment.astimezone(KST)


def canonical_url(url: str) -> str:
    """The URL without tracking parameters or fragment, scheme and host lower-cased; '' unless http(s)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""  # javascript:, data:, relative or empty: nothing a link column may show
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


# Pages: bytes to a parsed document, board dates to Korean time.

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_KOREAN_CODECS = {"euc-kr": "cp949", "euckr": "cp949", "ks_c_5601-1987": "cp949", "ksc5601": "cp949",
                  "x-windows-949": "cp949", "windows-949": "cp949", "ms949": "cp949", "uhc": "cp949"}


def python_codec(name: str) -> str | None:
    """The Python codec for a declared charset (EUC-KR and its aliases read as CP949), or None if unknown."""
    name = name.strip().lower()
    name = _KOREAN_CODECS.get(name, name)
    try:
        "".encode(name)
    except LookupError:
        return None
    return name


def decode_html(content: bytes) -> str:
    """Text of an HTML page: a BOM, else the <meta> charset, else UTF-8, else CP949 (EUC-KR)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    tried: list[str] = []
    declared = _META_CHARSET.search(content[:4096])
    if declared:
        codec = python_codec(declared.group(1).decode("ascii", "ignore"))
        if codec:
            tried.append(codec)
    for codec in (*tried, "utf-8", "cp949"):
        try:
            return content.decode(codec)
        except UnicodeDecodeError:
            continue
    return content.decode(tried[0] if tried else "utf-8", errors="replace")


def read_html(content: bytes, what: str) -> BeautifulSoup:
    """Parse an HTML page, refusing an empty body or a page cut off before </html>."""
    if not content or not content.strip():
        raise ParseError(f"{what} 응답이 비어 있습니다.")
    text = decode_html(content)
    lowered = text.lower()
    if "<html" in lowered and "</html>" not in lowered:
        raise ParseError(f"{what} 페이지가 중간에 끊겼습니다(</html> 없음): 다음 실행에서 다시 받습니다.")
    return BeautifulSoup(text, "html.parser")


_FULL = re.compile(r"(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})")
_SHORT_YEAR = re.compile(r"(?<!\d)(\d{2})[.\-/](\d{1,2})[.\-/](\d{1,2})(?!\d)")
_MONTH_DAY = re.compile(r"(?<![\d.\-/])(\d{1,2})\s*[.\-/월]\s*(\d{1,2})(?![\d.\-/:])")


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_board_date(text: str, *, fmt: str = "", year: int | None = None) -> tuple[date | None, bool]:
    """A date written on a board: (date, year_was_written).

    Tries `fmt` first, then YYYY.MM.DD / YYYY-MM-DD / YYYY/MM/DD / 2026년 10월 1일, then YY.MM.DD,
    then MM.DD (only with a `year`). Returns (None, False) when nothing reads as a date.
    """
    text = (text or "").strip()
    if not text:
        return None, False
    if fmt:
        try:
            return datetime.strptime(text, fmt).date(), True
        except ValueError:
            pass
    match = _FULL.search(text)
    if match:
        return safe_date(*map(int, match.groups())), True
    match = _SHORT_YEAR.search(text)
    if match:
        yy, month, day = map(int, match.groups())
        return safe_date(2000 + yy, month, day), True
    match = _MONTH_DAY.search(text)
    if match and year:
        return safe_date(year, *map(int, match.groups())), False
    return None, False


def kst_midnight(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=KST) if day else None


# ---------------------------------------------------------------------------------------------
