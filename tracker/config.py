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
