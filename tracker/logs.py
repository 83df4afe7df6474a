"""Logging for the CLI, the radar and the ledger: stdlib logging, one line per event, with a timestamp.

`setup_logging()` is called once by each entry point (the CLI, the radar CLI, the app). Modules log
through `logging.getLogger(__name__)` and never print tracebacks to a user; the detail goes here.
`TRACKER_LOG_LEVEL` (default INFO) sets the level; logs go to stderr.
"""
from __future__ import annotations

import logging
import os
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATEFMT = "%Y-%m-%dT%H:%M:%S%z"


class _CurrentStderr:
    """Whatever sys.stderr is when a line is logged: in-process runs (tests) swap it and close the
    old one, and a handler holding the stream it was made with would then fail."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def tracker_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if getattr(h, "_tracker", False)]


def setup_logging(level: str | int | None = None, *, quiet: tuple[str, ...] = ()) -> None:
    """Configure the root logger once (a second call changes nothing but the level). Loggers named in
    `quiet` (chatty libraries) log warnings only, unless the level is DEBUG."""
    level = level or os.environ.get("TRACKER_LOG_LEVEL", "INFO")
    root = logging.getLogger()
    if not tracker_handlers():
        handler = logging.StreamHandler(_CurrentStderr())
        handler.setFormatter(logging.Formatter(FORMAT, DATEFMT))
        handler._tracker = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else str(level).upper())
    if root.getEffectiveLevel() > logging.DEBUG:
        for name in quiet:
            logging.getLogger(name).setLevel(logging.WARNING)
