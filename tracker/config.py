"""Where things live. Every setting comes from an environment variable with a safe default."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'tracker.db'}"


def database_url() -> str:
    """`TRACKER_DATABASE_URL`, or a SQLite file `data/tracker.db` (created on first run)."""
    return os.environ.get("TRACKER_DATABASE_URL") or DEFAULT_DATABASE_URL


# The digest (tracker.alerts). Secrets stay in the environment; nothing here is stored or shown.
def smtp_url() -> str:
    """`TRACKER_SMTP_URL`: `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://…` (TLS)."""
    return os.environ.get("TRACKER_SMTP_URL", "").strip()


def digest_to() -> list[str]:
    """`TRACKER_DIGEST_TO`: the digest's e-mail recipients, comma-separated."""
    return [a.strip() for a in os.environ.get("TRACKER_DIGEST_TO", "").split(",") if a.strip()]


def digest_from() -> str:
    """`TRACKER_DIGEST_FROM`: the sender address (default: the SMTP user when it is an address, else
    the first recipient)."""
    return os.environ.get("TRACKER_DIGEST_FROM", "").strip()


def webhook_url() -> str:
    """`TRACKER_WEBHOOK_URL`: a chat webhook (Slack/Discord style) that takes a JSON POST."""
    return os.environ.get("TRACKER_WEBHOOK_URL", "").strip()
