"""Helpers for parsers: plain text from HTML, Korean time, canonical URLs."""
from __future__ import annotations

import html
import re
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from tracker.timeutil import KST

# Query parameters that only track the reader; removed before de-duplicating.
TRACKING_PARAMS = {"fromrss", "trackingcode", "fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "oc"}
TRACKING_PREFIXES = ("utm_",)


def plain_text(markup: str | None) -> str:
    """Text content of an HTML fragment, entities decoded, whitespace folded."""
    if not markup:
        return ""
    if "<" in markup:
        markup = BeautifulSoup(markup, "html.parser").get_text(" ")
    return re.sub(r"\s+", " ", html.unescape(markup)).strip()


def to_kst(moment: datetime | None) -> datetime | None:
    """An aware datetime in Korean time; a naive one is taken to be Korean time already."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=KST)
    return moment.astimezone(KST)


def canonical_url(url: str) -> str:
    """The URL without tracking parameters or fragment, scheme and host lower-cased."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))
