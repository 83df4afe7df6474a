"""API keys never reach the database or the log: every secret a source uses is masked as ***.

Secrets are the values of a source's key environment variables (WORK24_API_KEY …), of request
parameters and headers whose name says key/secret/token (serviceKey, access-key, authKey, key,
api_key, client_secret, Authorization …), and of such options in data/sources.toml. A server that
echoes the key in an error message ("invalid authKey=abc…") then shows "invalid authKey=***".
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

MASK = "***"
MIN_SECRET_LENGTH = 4  # shorter values ("1", "on") would mask ordinary words

_SECRET_NAMES = {"key", "clientid", "xnaverclientid", "passwd", "signature", "sig", "authorization"}
# serviceKey, access-key, authKey, api_key, X-API-Key, client_secret, access_token … (not dedupe_key, keyword)
_SECRET_ENDINGS = ("apikey", "servicekey", "accesskey", "authkey", "secretkey", "privatekey", "subscriptionkey",
                   "clientkey", "appkey", "consumerkey", "signingkey", "secret", "token", "password")

# name=value in URLs, query strings and messages: `authKey=abc`, `"serviceKey": "abc"`, `api_key: abc`.
# Only names that end like a secret match, so a URL (`https://…?access-key=…`) is not taken as one value.
_PAIR = re.compile(
    r"""(?ix)
    (?<![a-z0-9])                                   # the name starts at a boundary
    (?P<name>[a-z][a-z0-9_\-]*?(?:key|secret|token|password|passwd|signature|sig|authorization|client[_\-]?id))
    (?P<sep>["']?\s*[=:]\s*["']?)                  # = or : with optional quotes
    (?P<value>(?:bearer\s+|basic\s+)?[^\s&"'<>,;)}\]]+)   # the value, up to a delimiter
    """)


def is_secret_name(name: str) -> bool:
    """serviceKey, access-key, authKey, key, api_key, client_secret, X-Naver-Client-Secret … (not keyword)."""
    folded = re.sub(r"[^a-z0-9]", "", name.lower())
    return folded in _SECRET_NAMES or folded.endswith(_SECRET_ENDINGS)


def _variants(secret: str) -> set[str]:
    """The secret as a server may echo it: raw, percent-encoded, form-encoded."""
    return {secret, quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret)}


def secret_values(*, params: Mapping[str, Any] | None = None, headers: Mapping[str, Any] | None = None,
                  options: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None,
                  env_keys: Iterable[str] = ()) -> set[str]:
    """The values to mask for one source."""
    found: set[str] = set()
    for mapping in (params or {}, headers or {}, options or {}):
        for name, value in mapping.items():
            if is_secret_name(str(name)) and isinstance(value, (str, int)):
                found.add(str(value))
    for key in env_keys:
        if env and env.get(key):
            found.add(env[key])
    for value in list(found):  # "Bearer abc…": the token alone too
        if " " in value.strip():
            found.add(value.strip().split()[-1])
    return {value for value in found if len(value.strip()) >= MIN_SECRET_LENGTH}


def mask(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every secret, and every value of a secret-named parameter, replaced by ***."""
    if not text:
        return text
    variants = sorted({v for s in secrets for v in _variants(s) if v}, key=len, reverse=True)
    for value in variants:
        text = text.replace(value, MASK)

    def pair(match: re.Match) -> str:
        if not is_secret_name(match.group("name")) or match.group("value") == MASK:
            return match.group(0)
        return f"{match.group('name')}{match.group('sep')}{MASK}"

    return _PAIR.sub(pair, text)


def mask_url(url: str, secrets: Iterable[str] = ()) -> str:
    """A URL for a log line: secret-named query parameters and known secrets masked, userinfo dropped."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rsplit("@", 1)[-1]
        url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    except ValueError:
        pass
    return mask(url, secrets)


# Logging: httpx logs every request's full URL at INFO ("HTTP Request: GET …?authKey=…"). Records of
# these loggers, and of any handler given MaskingFilter, are masked with the secrets seen so far.
_KNOWN: set[str] = set()
_KNOWN_LOCK = threading.Lock()
LIBRARY_LOGGERS = ("httpx", "httpcore", "httpcore.connection", "httpcore.http11", "httpcore.http2",
                   "httpcore.proxy", "httpcore.socks")


def remember(secrets: Iterable[str]) -> None:
    """Secrets of this process's sources, masked in every log record that passes MaskingFilter."""
    with _KNOWN_LOCK:
        _KNOWN.update(s for s in secrets if len(s.strip()) >= MIN_SECRET_LENGTH)


def known_secrets() -> set[str]:
    with _KNOWN_LOCK:
        return set(_KNOWN)


class MaskingFilter(logging.Filter):
    """Masks secrets in a record's message (and its formatted traceback) before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours
            return True
        masked = mask(text, known_secrets())
        if masked != text:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info), known_secrets())
        elif record.exc_text:
            record.exc_text = mask(record.exc_text, known_secrets())
        return True


_FILTER = MaskingFilter()


def install_log_masking(*handlers: logging.Handler) -> None:
    """Put MaskingFilter on the HTTP libraries' loggers and on `handlers` (once each)."""
    for target in (*(logging.getLogger(name) for name in LIBRARY_LOGGERS), *handlers):
        if not any(isinstance(f, MaskingFilter) for f in target.filters):
            target.addFilter(_FILTER)
