"""Run sources: fetch and parse concurrently, store one source at a time, never let one stop the rest.

Each source's health row (SourceState) is written in its own transaction after its postings, so
it is saved even when the postings could not be (the source then shows its own error). Errors are
stored and logged with the source's keys masked (tracker.scrapers.redact).

The page does not wait for a run: `start_refresh` claims a RefreshRun row (the database refuses a
second one while the first runs, whichever tab or process asks) and runs the sources in a
background thread, writing one progress line per source as it finishes; the page polls
`refresh_status`. Every source runs in its own worker (a hanging one holds up nobody) and its
fetch has an overall deadline (tracker.scrapers.fetch.SOURCE_DEADLINE).
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import select

from tracker.db import session_scope
from tracker.models import RefreshRun, SourceState
from tracker.scrapers.base import ScrapeError, SourceConfig
from tracker.scrapers.fetch import Fetcher, Limits
from tracker.scrapers.normalize import normalize, passes_filters
from tracker.scrapers.redact import mask, remember, secret_values
from tracker.scrapers.registry import KINDS
from tracker.scrapers.store import error_text, header_value, load_states, save_postings
from tracker.scrapers.text import to_kst
from tracker.timeutil import now_kst, today_kst

log = logging.getLogger(__name__)

#: sources fetched at once; more than a config usually has, so a slow or hanging source never
#: keeps another waiting for a worker (requests to one host still START a second apart)
MAX_WORKERS = 12
#: a run whose last sign of life is older than this is taken to have died with its process
STALE_AFTER = timedelta(minutes=20)
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
        if source.fetches_itself:  # the mailbox: read over IMAP, no URL to fetch
            result.secrets |= source.secrets()
            remember(result.secrets)
            raws = source.collect(today, timeout=source_limits(config, fetcher.limits).request_deadline)
        else:
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
        # A quiet week of mail is not a changed page layout.
        if not raws and state is not None and state.item_count > 0 and not source.fetches_itself:
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


# ── background runs the page polls ────────────────────────────────────────────────────────────

ALREADY_RUNNING = "이미 새로 가져오는 중입니다 (다른 탭이나 명령줄에서 시작한 것일 수 있습니다). 끝나면 결과가 여기에 나옵니다."
STALE_ERROR = "끝났다는 기록 없이 멈췄습니다 (앱이 다시 시작되었을 수 있습니다)."


@dataclass(frozen=True)
class RefreshStatus:
    """A RefreshRun as plain values, for the page to show."""

    id: int
    active: bool
    started: datetime
    finished: datetime | None
    total: int
    done: int
    new: int
    failed: int
    lines: tuple[dict, ...]  # {"name", "state": "ok"|"failed"|"same"|"off", "line"} in finishing order
    error: str


def _state(result: SourceResult) -> str:
    if result.disabled:
        return "off"
    if not result.ok:
        return "failed"
    return "same" if result.not_modified else "ok"


def claim_refresh(engine: sa.Engine, total: int) -> int | None:
    """A new running RefreshRun's id, or None when one is already running. A run that stopped
    giving signs of life STALE_AFTER ago (its process died) is closed first. Under the ledger's
    write lock, with the unique `active` column as the database's own guarantee."""
    now = now_kst()
    try:
        with session_scope(engine) as session:
            running = session.exec(select(RefreshRun).where(RefreshRun.active.is_(True))).first()
            if running is not None:
                if running.heartbeat > now - STALE_AFTER:
                    return None
                running.active, running.finished, running.error = None, now, STALE_ERROR
                session.add(running)
                session.flush()
            run = RefreshRun(total=total, started=now, heartbeat=now)
            session.add(run)
            session.flush()
            return run.id
    except sa.exc.IntegrityError:  # another process claimed it between our read and our insert
        return None


def _progress(engine: sa.Engine, run_id: int, result: SourceResult) -> None:
    with session_scope(engine) as session:
        run = session.get(RefreshRun, run_id)
        if run is None:
            return
        lines = json.loads(run.progress or "[]")
        lines.append({"name": result.name, "state": _state(result), "line": mask(result.line(), result.secrets)})
        run.progress = json.dumps(lines, ensure_ascii=False)
        run.heartbeat = now_kst()
        if not result.disabled:
            run.done += 1
            run.new += result.new
            run.failed += 0 if result.ok else 1
        session.add(run)


def _finish(engine: sa.Engine, run_id: int, error: str = "") -> None:
    with session_scope(engine) as session:
        run = session.get(RefreshRun, run_id)
        if run is not None:
            run.active, run.finished, run.error = None, now_kst(), error_text(error)
            session.add(run)


def run_refresh(engine: sa.Engine, run_id: int, configs: list[SourceConfig], *, fetcher: Fetcher | None = None,
                env: Mapping[str, str] | None = None) -> list[SourceResult]:
    """Run the sources for the claimed run `run_id`, writing its progress; the run is closed
    however it ends (a crash is stored as the run's error, never left 'running')."""
    error = ""
    try:
        return run_sources(engine, configs, fetcher=fetcher, env=env,
                           on_result=lambda result: _progress(engine, run_id, result))
    except Exception as exc:  # noqa: BLE001 - the page must learn that the run ended
        log.exception("refresh run %s failed", run_id)
        error = f"새로 가져오기가 중간에 멈췄습니다: {type(exc).__name__}: {_first_line(exc)}"
        return []
    finally:
        _finish(engine, run_id, mask(error))


def start_refresh(engine: sa.Engine, configs: list[SourceConfig], *, fetcher: Fetcher | None = None,
                  env: Mapping[str, str] | None = None) -> int | None:
    """Claim a run and start it in a background thread; the run's id, or None when one is already
    running (nothing started). Returns at once: poll `refresh_status`."""
    run_id = claim_refresh(engine, sum(c.enabled for c in configs))
    if run_id is None:
        return None
    thread = threading.Thread(target=run_refresh, args=(engine, run_id, configs),
                              kwargs={"fetcher": fetcher, "env": env}, name=f"radar-refresh-{run_id}", daemon=True)
    thread.start()
    return run_id


def refresh_status(engine: sa.Engine, run_id: int | None = None) -> RefreshStatus | None:
    """The run `run_id`, or the latest run; None when there is none. One small query."""
    with engine.connect() as conn:
        query = select(RefreshRun)
        query = query.where(RefreshRun.id == run_id) if run_id is not None else query.order_by(RefreshRun.id.desc())
        row = conn.execute(query.limit(1)).mappings().first()
    if row is None:
        return None
    return RefreshStatus(
        id=row["id"], active=bool(row["active"]), started=to_kst(row["started"]), finished=to_kst(row["finished"]),
        total=row["total"], done=row["done"], new=row["new"], failed=row["failed"],
        lines=tuple(json.loads(row["progress"] or "[]")), error=row["error"],
    )
