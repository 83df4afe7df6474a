"""The 모집 공고 page with 5,000 and 50,000 stored postings: the page as it was beside the page now.

    nice -n 10 .venv/bin/python benchmarks/radar_page.py [--sizes 5000,50000] [--repeat 5]

Both pages run under Streamlit's AppTest on the same SQLite ledger in the same run: the baseline
is views/radar.py as of the last commit (read every posting, filter and format them all on each
rerun), the other is the current page (count + one page of 50 in SQL, newest first; formatting per
column). Each figure is the median milliseconds of a rerun after a filter change (낱말 set to a word
every title has, a different one each time, so no rerun is served from the page's caches; the
baseline keeps its one cached read of all postings), and of the first draw (nothing cached). Also the current page sorted
by fit (reads the score's columns of every matching posting). Ratios hold across machines;
milliseconds do not.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fill(url: str, count: int) -> None:
    import sqlalchemy as sa

    from tracker.db import connect
    from tracker.models import Posting
    from tracker.scrapers.text import KST

    engine = connect(url)
    start = datetime(2026, 1, 1, tzinfo=KST)
    types = ["transcription", "bounding_box", "polygon,segmentation", "", "ocr", "inspection"]
    rows = []
    for n in range(count):
        seen = start + timedelta(minutes=7 * n)
        rows.append({
            "source": f"소스 {n % 7}", "source_kind": ["google_news", "naver_blog", "rss", "nia"][n % 4],
            "external_id": str(n), "url": f"https://example.com/posting/{n}", "title": f"데이터 라벨링 작업자 모집 {n}",
            "organization": f"기관 {n % 50}", "dedupe_key": f"key-{n}", "published": seen, "deadline": None,
            "pay_text": "건당 50원" if n % 3 == 0 else "", "pay_amount": 50 + n % 100 if n % 3 == 0 else None,
            "pay_unit": "item" if n % 3 == 0 else None, "task_types": types[n % len(types)], "remote": n % 2 == 0,
            "certificate": "aide2" if n % 11 == 0 else "none", "region": "", "summary": "요약 " * 20,
            "status": "hidden" if n % 13 == 0 else "new", "first_seen": seen, "last_seen": seen,
        })
    with engine.begin() as conn:
        conn.execute(sa.insert(Posting.__table__), rows)
    engine.dispose()


WORDS = ["데이터", "라벨링", "작업자", "모집", "라벨링 작업자", "작업자 모집", "데이터 라벨링"]


def measure(page: Path, repeat: int, *, fit: bool = False) -> tuple[float, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    started = time.perf_counter()
    at = AppTest.from_file(str(page), default_timeout=300).run()
    first = (time.perf_counter() - started) * 1000
    assert not at.exception, [e.value for e in at.exception]
    if fit:
        at.radio(key="radar_order").set_value("fit").run()
    times = []
    for n in range(repeat):
        # a word every title has, never the same twice: every rerun misses the page's caches
        started = time.perf_counter()
        at.text_input(key="radar_keyword").input(WORDS[n % len(WORDS)]).run()
        times.append((time.perf_counter() - started) * 1000)
        assert not at.exception, [e.value for e in at.exception]
        assert len(at.dataframe[0].value) == 50 or len(at.dataframe[0].value) > 1000
    return first, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--repeat", type=int, default=5, help="at most 7")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp())
    (tmp / "sources.toml").write_text("", encoding="utf-8")
    os.environ["TRACKER_SOURCES"] = str(tmp / "sources.toml")
    os.environ["TRACKER_TODAY"] = "2026-11-22"
    os.environ.pop("TRACKER_PASSWORD", None)
    baseline = tmp / "radar_baseline.py"
    baseline.write_text(subprocess.run(["git", "show", "HEAD:views/radar.py"], cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout, encoding="utf-8")
    current = ROOT / "views" / "radar.py"
    print("ms per rerun after a filter change (median), and the first draw; same ledger, same run")
    for size in (int(s) for s in args.sizes.split(",")):
        url = f"sqlite:///{tmp / f'radar-{size}.db'}"
        os.environ["TRACKER_DATABASE_URL"] = url
        fill(url, size)
        b_first, b_rerun = measure(baseline, args.repeat)
        n_first, n_rerun = measure(current, args.repeat)
        f_first, f_rerun = measure(current, args.repeat, fit=True)
        print(f"{size:>7,} postings  baseline: rerun {b_rerun:7.0f} ms, first {b_first:7.0f} ms  |  "
              f"now: rerun {n_rerun:6.0f} ms, first {n_first:6.0f} ms ({b_rerun / n_rerun:.1f}× faster)  |  "
              f"now, by fit: rerun {f_rerun:6.0f} ms, first {f_first:6.0f} ms")


if __name__ == "__main__":
    main()
