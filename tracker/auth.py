"""Who may see the ledger: the password check and the "this computer only" rule, without Streamlit.

A labeler's income is nobody else's business. Without `TRACKER_PASSWORD` the app answers only a
browser on the computer it runs on (a loopback connection); anyone else gets a page saying how to set
a password. With `TRACKER_PASSWORD` every visitor, this computer included, signs in first.

The Streamlit side (the form, the refusal page, the session flag) is `views/guard.py`.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import unicodedata
from collections.abc import Mapping
from typing import Literal

Access = Literal["open", "login", "refuse"]

PASSWORD_ENV = "TRACKER_PASSWORD"
MAX_FAILURES = 5  # wrong passwords in one session before each further try waits
LOCKOUT_SECONDS = 30.0


def configured_password(environ: Mapping[str, str] | None = None) -> str | None:
    """`TRACKER_PASSWORD`, or None when it is unset or empty (an empty password is no password)."""
    value = (os.environ if environ is None else environ).get(PASSWORD_ENV)
    return value or None


def _digest(text: str) -> bytes:
    # NFC first: the same Hangul typed on macOS and on Windows can arrive composed or decomposed.
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).digest()


def password_matches(given: str | None, expected: str | None) -> bool:
    """True when `given` is the configured password. Constant time: `hmac.compare_digest` on the
    SHA-256 of both UTF-8 encodings, so neither the content nor the length of the password leaks."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(_digest(given), _digest(expected))


def is_loopback(ip: str) -> bool:
    """True for this computer's own addresses: 127.0.0.0/8, ::1 and ::ffff:127.x.x.x (also written
    in brackets or with an IPv6 zone). Anything that is not an IP address is not loopback."""
    text = ip.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def is_local_host(host: str) -> bool:
    """True when a `Host` header names this computer: localhost (and *.localhost), or a loopback IP,
    with or without a port. A tunnel or proxy on this computer forwards a public name instead."""
    name = host.strip().lower()
    if name.startswith("["):  # [::1]:8501
        end = name.find("]")
        if end < 0:
            return False
        name = name[1:end]
    elif name.count(":") == 1:  # localhost:8501, 127.0.0.1:8501
        name = name.split(":", 1)[0]
    name = name.rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    return bool(name) and is_loopback(name)


def from_this_computer(ip: str | None, host: str | None = None) -> bool:
    """Whether a connection comes from the computer the app runs on.

    `ip` is `st.context.ip_address`: Streamlit gives None for a 127.0.0.1 or ::1 peer (and when the
    session has no network client at all), and the peer's address otherwise. `host` is the request's
    `Host` header, when known: a loopback peer that asks for a public name came through a tunnel or a
    proxy on this computer, so it is someone else."""
    if ip is not None and not is_loopback(ip):
        return False
    if host is not None and not is_local_host(host):
        return False
    return True


def access(ip: str | None, password_set: bool, signed_in: bool, host: str | None = None) -> Access:
    """What one request gets: "open" (the ledger), "login" (the password form) or "refuse" (how to set
    a password, nothing else). With a password everyone signs in; without one only this computer."""
    if password_set:
        return "open" if signed_in else "login"
    return "open" if from_this_computer(ip, host) else "refuse"


def retry_after(failures: int, last_failure: float | None, now: float) -> float:
    """Seconds until the next password try: none for the first MAX_FAILURES wrong ones, then each
    further try waits LOCKOUT_SECONDS after the last wrong one (times from `time.monotonic()`)."""
    if failures < MAX_FAILURES or last_failure is None:
        return 0.0
    return max(0.0, last_failure + LOCKOUT_SECONDS - now)
