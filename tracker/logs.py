"""Logging for the CLI, the radar and the ledger: stdlib logging, one line per event, with a timestamp.

`setup_logging()` is called once by each entry point (the CLI, the radar CLI, the app). Modules log
through `logging.getLogger(__name__)` and never print tracebacks to a user; the detail goes here.
`TRACKER_LOG_LEVEL` (default INFO) sets the level; logs go to stderr.
"""
from __future__ import annotations

import logging
import os

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATEFMT = "%Y-%m-%dT%H:%M:%S%z"


def setup_logging(level: str | int | None = None) -> None:
    """Configure the root logger once (a second call changes nothing but the level)."""
    level = level or os.environ.get("TRACKER_LOG_LEVEL", "INFO")
    root = logging.getLogger()
    if not any(getattr(h, "_tracker", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT, DATEFMT))
        handler._tracker = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else str(level).upper())
