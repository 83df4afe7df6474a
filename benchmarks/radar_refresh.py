"""The radar's refresh against a local server: sources on one host, and one source that hangs.

    nice -n 10 .venv/bin/python benchmarks/radar_refresh.py [--delays 0.5,1,1.5,2,2.5,3,3]

Two fetchers in the same run, against the same endpoints:
- baseline: how the fetcher worked before — one lock per host held for the whole request (the 1 s
  politeness wait included), 4 workers, a source deadline of 60 s (emulated by a subclass that
  takes that lock around each request);
- now: request starts booked 1 s apart per host and the requests overlap, a worker per source,
  a source deadline of 20 s.

Scenario 1: 7 sources on one host, each answering after its delay: the run's seconds and how many
times the slowest source's delay that is. Scenario 2: the same 6 quick sources plus one that never
answers (its server sleeps 120 s): the run's seconds, when the last quick source had finished, and
what the hanging one cost. Seconds hold roughly across machines: they are mostly waiting.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.localserver import LocalServer, Reply  # noqa: E402
from tracker.db import connect  # noqa: E402
from tracker.scrapers.base import SourceConfig  # noqa: E402
from tracker.scrapers.fetch import Fetcher, Limits  # noqa: E402
from tracker.scrapers.runner import run_sources  # noqa: E402

FEED = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
        '<item><title>{n}번 데이터 라벨링 작업자 모집</title><link>https://example.com/{n}</link></item>'
        '</channel></rss>')


class BaselineFetcher(Fetcher):
    """The fetcher as it was: a per-host lock held for the politeness wait AND the whole request."""

    def __init__(self, **kw):
        super().__init__(limits=Limits(source_deadline=60.0), **kw)
        self._held: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}

    def _wait_for_host(self, url: str) -> None:  # the wait happens under the lock, in _attempt
        pass

    def _attempt(self, request, headers, end, limit):
        host = urlsplit(request.url).netloc
        with self._lock:
            lock = self._held.setdefault(host, threading.Lock())
        with lock:
            last = self._last.get(host)
            if last is not None:
                remaining = self.host_delay - (time.monotonic() - last)
                if remaining > 0:
                    time.sleep(remaining)
            self._last[host] = time.monotonic()
            return super()._attempt(request, headers, end, limit)


def run(kind: str, configs, db: Path) -> tuple[float, dict[str, float], list]:
    engine = connect(f"sqlite:///{db}")
    fetcher = BaselineFetcher() if kind == "baseline" else Fetcher()
    finished: dict[str, float] = {}
    started = time.monotonic()
    try:
        results = run_sources(engine, configs, fetcher=fetcher, env={}, max_workers=4 if kind == "baseline" else 12,
                              on_result=lambda r: finished.setdefault(r.name, time.monotonic() - started))
    finally:
        fetcher.close()
        engine.dispose()
    return time.monotonic() - started, finished, results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delays", default="0.5,1,1.5,2,2.5,3,3", help="seconds each of the 7 sources takes")
    args = parser.parse_args()
    delays = [float(d) for d in args.delays.split(",")]
    tmp = Path(tempfile.mkdtemp())

    with LocalServer() as server:
        def source(n: int, delay: float) -> SourceConfig:
            body = FEED.format(n=n).encode("utf-8")
            return SourceConfig(f"소스 {n}", "rss", server.route(f"/s{n}-{delay}", Reply(body=body, delay=delay)))

        one_host = [source(n, d) for n, d in enumerate(delays)]
        hanging = SourceConfig("멈춘 곳", "rss", server.route("/hang", Reply(body=b"", delay=120)))
        with_hang = [hanging, *[source(n, d) for n, d in enumerate(delays[:6])]]

        print(f"7 sources on one host, answering after {', '.join(f'{d:g}' for d in delays)} s "
              f"(slowest {max(delays):g} s)")
        for kind in ("baseline", "now"):
            seconds, _finished, results = run(kind, one_host, tmp / f"one-{kind}.db")
            assert all(r.ok for r in results), [r.line() for r in results]
            print(f"  {kind:8} {seconds:6.1f} s = {seconds / max(delays):.1f}× the slowest source")

        print("1 hanging source + 6 of the above on the same host")
        for kind in ("baseline", "now"):
            seconds, finished, results = run(kind, with_hang, tmp / f"hang-{kind}.db")
            quick = max(v for k, v in finished.items() if k != "멈춘 곳")
            error = next(r.error for r in results if r.name == "멈춘 곳")
            print(f"  {kind:8} run {seconds:6.1f} s · the 6 others done after {quick:5.1f} s · "
                  f"the hanging one gave up after {finished['멈춘 곳']:5.1f} s: {error}")


if __name__ == "__main__":
    main()
