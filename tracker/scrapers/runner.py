"""Run sources: fetch and parse concurrently, store one source at a time, never let one stop the rest.

Each source's health row (SourceState) is written in its own transaction after its postings, so
it is saved even when the postings could not be (the source then shows its own error). Errors are
stored and logged with the source's keys masked (tracker.scrapers.redact).
"""
from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from tracker.db import session_scope
from tracker.models import SourceState
from tracker.scrapers.base import ScrapeError, SourceConfig
from tracker.scrapers.fetch import Fetcher, Limits
from tracker.scrapers.normalize import normalize, passes_filters
from tracker.scrapers.redact import mask, remember, secret_values
from tracker.scrapers.registry import KINDS
from tracker.scrapers.store import error_text, header_value, load_states, save_postings
from tracker.timeutil import now_kst, today_kst

log = logging.getLogger(__name__)

MAX_WORKERS = 4
SWITCHED_OFF = "설정에서 꺼 두었습니다 (enabled = false)."


@dataclass
class SourceResult:
    name: str
    kind: str
    ok: bool = False
    disabled: str = ""  # why the source did not run (no key, switched off)
    error: str = ""  # a Korean sentence when it failed
    not_modified: bool = False  # 304: nothing new since the last run
    items: int = 0  # postings in the answer
    kept: int = 0  # after include/exclude
    new: int = 0  # not seen before
    layout_warning: str = ""  # used to have items, now none
    seconds: float = 0.0
    rows: list[dict] = field(default_factory=list, repr=False)
    etag: str = ""
    last_modified: str = ""
    secrets: set[str] = field(default_factory=set, repr=False)  # masked in errors and logs

    def line(self) -> str:
        """One summary line for the command line."""
        if self.disabled:
            return f"[꺼짐] {self.name}: {self.disabled}"
        if not self.ok:
            return f"[실패] {self.name}: {self.error}"
        if self.not_modified:
            return f"[그대로] {self.name}: 지난번 이후 바뀐 것이 없습니다 ({self.seconds:.1f}초)"
        text = f"[성공] {self.name}: {self.items}건 중 {self.kept}건 해당, 새 공고 {self.new}건 ({self.seconds:.1f}초)"
        return text + (f" — 경고: {self.layout_warning}" if self.layout_warning else "")


def source_limits(config: SourceConfig, default: Limits) -> Limits:
    """The fetcher's limits, with this source's `max_response_mb`, `request_deadline` and
    `source_deadline` options (already validated by tracker.scrapers.config) in their place."""
    options = config.options
    return Limits(
        max_bytes=int(float(options["max_response_mb"]) * 1024 * 1024) if "max_response_mb" in options
        else default.max_bytes,
        request_deadline=float(options.get("request_deadline", default.request_deadline)),
        source_deadline=float(options.get("source_deadline", default.source_deadline)),
    )


def _collect(config: SourceConfig, state: SourceState | None, fetcher: Fetcher, env: Mapping[str, str],
             today) -> SourceResult:
    """Fetch, parse, filter and normalise one source. Never raises."""
    result = SourceResult(config.name, config.kind)
    started = time.monotonic()
    try:
        source = KINDS[config.kind](config, env)
        result.secrets = secret_values(options=config.options, env=env, env_keys=source.env_keys)
        remember(result.secrets)
        reason = source.disabled_reason()
        if reason:
            result.disabled = reason
            return result
        request = source.request()
        result.secrets |= secret_values(params=request.params, headers=request.headers)
        remember(result.secrets)
        fetched = fetcher.get(request, etag=state.etag if state else "",
                              last_modified=state.last_modified if state else "",
                              limits=source_limits(config, fetcher.limits))
        result.etag, result.last_modified = fetched.etag, fetched.last_modified
        if fetched.not_modified:
            result.ok = result.not_modified = True
            return result
        raws = source.parse(fetched.content, fetched.url)
        result.items = len(raws)
        kept = [raw for raw in raws if passes_filters(raw, config)]
        result.kept = len(kept)
        rows = [normalize(raw, config, today) for raw in kept]
        result.rows = [row for row in rows if row["url"]]  # no http(s) link: nothing to open, not kept
        if not raws and state is not None and state.item_count > 0:
            result.layout_warning = (f"지난번엔 {state.item_count}건이었는데 이번엔 0건입니다: "
                                     "페이지 구조가 바뀌었을 수 있습니다.")
        result.ok = True
    except ScrapeError as exc:
        result.error = mask(str(exc), result.secrets)
    except Exception as exc:  # a parser bug or garbage input must not stop the other sources
        result.error = mask(f"예상하지 못한 오류: {type(exc).__name__}: {exc}", result.secrets)
        log.debug("%s: %s", config.name, mask("".join(traceback.format_exception(exc)), result.secrets))
    finally:
        result.seconds = time.monotonic() - started
    return result


def _first_line(exc: Exception) -> str:
    """The database's own words (no SQL, no parameters), for a health line."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0][:200] if text else ""


def _save_rows(engine: sa.Engine, result: SourceResult, now: datetime) -> None:
    """The postings, in their own transaction; a failure becomes this source's error."""
    if not (result.ok and result.rows):
        return
    try:
        with session_scope(engine) as session:
            result.new = save_postings(session, result.rows, now)
    except Exception as exc:  # the state row below is still written
        detail = _first_line(exc)
        log.debug("%s: %s", result.name, mask("".join(traceback.format_exception(exc)), result.secrets))
        result.ok, result.new = False, 0
        result.error = mask(f"공고 {len(result.rows)}건을 저장하지 못했습니다 ({type(exc).__name__}"
                            + (f": {detail}" if detail else "") + "). 다음 실행에서 다시 받습니다.", result.secrets)


def _record(engine: sa.Engine, result: SourceResult, now: datetime) -> None:
    if result.disabled:  # nothing ran; the reason is shown from the configuration, not stored
        return
    _save_rows(engine, result, now)
    with session_scope(engine) as session:
        state = session.get(SourceState, result.name) or SourceState(name=result.name, kind=result.kind)
        state.kind = result.kind
        state.last_run = now
        if result.ok:
            state.last_success = now
            state.last_error = ""
            state.consecutive_failures = 0
            state.new_count = result.new
            if not result.not_modified:
                state.layout_warning = bool(result.layout_warning)
                if result.items or not result.layout_warning:
                    state.item_count = result.items
                state.etag = header_value(result.etag, "etag")
                state.last_modified = header_value(result.last_modified, "last_modified")
        else:  # the validators stay as they were: the next run fetches the whole answer again
            state.last_error = error_text(mask(result.error, result.secrets))
            state.consecutive_failures += 1
            state.new_count = 0
        session.add(state)


def _log_result(result: SourceResult) -> None:
    """One timestamped log line per source and run: the same line the command line prints."""
    failed = not result.ok and not result.disabled
    (log.warning if failed else log.info)("%s", mask(result.line(), result.secrets))


def run_sources(
    engine: sa.Engine,
    configs: list[SourceConfig],
    *,
    fetcher: Fetcher | None = None,
    env: Mapping[str, str] | None = None,
    max_workers: int = MAX_WORKERS,
    on_result: Callable[[SourceResult], None] | None = None,
) -> list[SourceResult]:
    """Run every enabled source; results in the order they finish. Writes happen in this thread.

    Sources switched off in the configuration come first, as results that say so.
    """
    env = os.environ if env is None else env
    enabled = [c for c in configs if c.enabled]
    results: list[SourceResult] = [
        SourceResult(c.name, c.kind, disabled=SWITCHED_OFF) for c in configs if not c.enabled
    ]
    for result in results:
        _log_result(result)
        if on_result:
            on_result(result)
    with session_scope(engine) as session:
        states = load_states(session)
        session.expunge_all()
    now, today = now_kst(), today_kst()  # today: for deadlines, honours TRACKER_TODAY like the page
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(enabled) or 1))) as pool:
            futures = [pool.submit(_collect, c, states.get(c.name), fetcher, env, today) for c in enabled]
            for future in as_completed(futures):
                result = future.result()
                try:
                    _record(engine, result, now)
                except Exception as exc:  # a storage problem belongs to this source too
                    detail = _first_line(exc)
                    log.debug("%s: %s", result.name, mask("".join(traceback.format_exception(exc)), result.secrets))
                    result.ok = False
                    result.error = mask(f"저장하지 못했습니다 ({type(exc).__name__}"
                                        + (f": {detail}" if detail else "") + ").", result.secrets)
                results.append(result)
                _log_result(result)
                if on_result:
                    on_result(result)
    finally:
        if own:
            fetcher.close()
    return results
