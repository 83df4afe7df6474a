"""What one write costs the next rerun: the dashboard after one added work log or one edited company,
with caches keyed on per-table data versions, against clearing every cache (what a write did before)
and against a trivial page, all in the same run.

    .venv/bin/python benchmarks/fresh_reads.py [--scale 10] [--repeat 15]

Prints the median milliseconds of each AppTest rerun. Ratios hold across machines; milliseconds do not.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'bench.db'}"
    os.environ["TRACKER_DATABASE_URL"] = url
    os.environ["TRACKER_TODAY"] = "2026-11-22"

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tracker import ledger
    from tracker.db import connect
    from tracker.demo import generate

    engine = connect(url)
    generate(engine, end=date(2026, 11, 1), today=date(2026, 11, 22), scale=args.scale)
    with engine.connect() as conn:
        project_id = conn.exec_driver_sql("SELECT min(id) FROM project").scalar_one()
        company_id = conn.exec_driver_sql("SELECT min(id) FROM company").scalar_one()
    trivial = tmp / "trivial.py"
    trivial.write_text("import streamlit as st\nst.title('trivial')\nst.write('x')\n")

    def timed(at: AppTest, before=None) -> float:
        if before:
            before()
        start = time.perf_counter()
        at.run()
        assert not at.exception, at.exception
        return (time.perf_counter() - start) * 1000

    day = iter(range(10_000))

    def add_worklog():
        ledger.create_worklog(engine, {"project_id": project_id, "work_date": date(2026, 11, 21), "minutes": 0,
                                       "note": f"bench {next(day)}"})

    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO posting (source, source_kind, external_id, url, title, organization, dedupe_key, pay_text, "
            "task_types, remote, certificate, region, summary, status, first_seen, last_seen) VALUES ('bench', "
            "'rss', '', 'https://example.invalid/1', '공고', '', 'bench-1', '', '', 0, 'none', '', '', 'new', "
            "'2026-11-22', '2026-11-22')")

    def hide_posting():
        from tracker.scrapers.postings import set_status

        with engine.connect() as conn:
            posting = conn.exec_driver_sql("SELECT id FROM posting").scalar_one()
        set_status(engine, [posting], "hidden" if next(day) % 2 else "new")

    def edit_company():
        ledger.update_company(engine, company_id, {"notes": f"bench {next(day)}"})

    cases = {
        "trivial page, warm rerun": (trivial, None),
        "dashboard, warm rerun": (ROOT / "app.py", None),
        "dashboard after 1 work log (data versions)": (ROOT / "app.py", add_worklog),
        "dashboard after 1 work log (clear every cache, before)": (
            ROOT / "app.py", lambda: (add_worklog(), st.cache_data.clear())),
        "dashboard after 1 company edit (data versions)": (ROOT / "app.py", edit_company),
        "dashboard after 1 posting hidden (data versions)": (ROOT / "app.py", hide_posting),
        "dashboard after 1 posting hidden (clear every cache, before)": (
            ROOT / "app.py", lambda: (hide_posting(), st.cache_data.clear())),
    }
    results = {}
    for name, (script, before) in cases.items():
        at = AppTest.from_file(str(script), default_timeout=120).run()
        at.run()
        results[name] = statistics.median(timed(at, before) for _ in range(args.repeat))
    base = results["trivial page, warm rerun"]
    print(f"demo ×{args.scale}, median of {args.repeat} reruns (SQLite)")
    print(f"{'case':58} {'ms':>8} {'× trivial':>10}")
    for name, ms in results.items():
        print(f"{name:58} {ms:8.1f} {ms / base:10.1f}")


if __name__ == "__main__":
    main()
