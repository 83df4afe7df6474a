"""Every page's warm rerun and its first rerun after a write, against a trivial page in the same run,
on the demo at ×10, ×100 and ×152 (about 100,000 work logs; AppTest, SQLite unless --url names another database).

    .venv/bin/python benchmarks/ui.py                 # ×10, ×100 and ×152, 7 reruns per case
    .venv/bin/python benchmarks/ui.py --quick         # ×10 only, 3 reruns per case
    .venv/bin/python benchmarks/ui.py --scales 100 --repeat 11
    .venv/bin/python benchmarks/ui.py --root /tmp/old-checkout   # the same run on another copy of the app

"Warm": the page rerun with nothing changed. "After a write": the page's first rerun after one write
of the kind that page makes (today's work log of 30 minutes and 20 items added, one payment's note or one received
payment's amount edited, one company edited, one posting hidden),
so it shows what a write makes the page recompute. The trivial page (a title and a line) is measured
between the pages. Each figure is the fastest of the reruns (`--stat median` for the median): on a shared
machine the fastest is the one least slowed by other programs. Ratios hold across machines; milliseconds do not.
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

TODAY = date(2026, 11, 22)
END = date(2026, 11, 1)
PAGES = [  # (page, label, the write that page's user makes); the payment pages with two kinds of edit
    ("views/dashboard.py", "대시보드", "worklog"),
    ("views/companies.py", "회사", "company"),
    ("views/projects.py", "프로젝트", "worklog"),
    ("views/worklogs.py", "작업 기록", "worklog"),
    ("views/payments.py", "지급", "payment"),
    ("views/payments.py", "지급", "payment_amount"),
    ("views/receivables.py", "받을 돈", "payment"),
    ("views/receivables.py", "받을 돈", "payment_amount"),
    ("views/income.py", "수입", "worklog"),
    ("views/forecast.py", "예측", "worklog"),
    ("views/tax.py", "세금", "payment"),
    ("views/tax.py", "세금", "payment_amount"),
    ("views/radar.py", "모집 공고", "posting"),
    ("views/sheets.py", "가져오기·내보내기", "worklog"),
    ("views/settings.py", "설정·백업", "worklog"),
]
WRITES = {"worklog": "오늘 작업 1건 추가 (30분, 20건)", "payment": "지급 1건 메모 수정",
          "payment_amount": "지급 1건 금액 수정 (입금된 지급)", "company": "회사 1곳 수정", "posting": "공고 1건 숨김"}
AMOUNTS = ({"gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700},
           {"gross": 101_000, "income_tax": 3_030, "local_tax": 303, "net": 97_667})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default=None, help="demo scales, comma separated (default 10,100,152: ×152 is about 100,000 work logs)")
    parser.add_argument("--repeat", type=int, default=None, help="reruns per case (default 7)")
    parser.add_argument("--stat", choices=("min", "median"), default="min", help="fastest (default) or median rerun")
    parser.add_argument("--quick", action="store_true", help="×10 only, 3 reruns per case")
    parser.add_argument("--pages", default=None, help="only these pages (comma separated file names, e.g. worklogs)")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent),
                        help="the app to measure (a checkout holding app.py)")
    parser.add_argument("--url", default=None, help="database URL to fill (default: a new SQLite file)")
    args = parser.parse_args()
    scales = [int(s) for s in (args.scales or ("10" if args.quick else "10,100,152")).split(",")]
    repeat = args.repeat or (3 if args.quick else 7)
    pages = [case for case in PAGES if not args.pages or Path(case[0]).stem in args.pages.split(",")]

    root = Path(args.root).resolve()
    sys.path.insert(0, str(root))
    os.chdir(root)
    os.environ["TRACKER_TODAY"] = TODAY.isoformat()
    os.environ.pop("TRACKER_PASSWORD", None)
    tmp = Path(tempfile.mkdtemp(prefix="ui-bench-"))
    trivial = tmp / "trivial.py"
    trivial.write_text("import streamlit as st\nst.title('trivial')\nst.write('x')\n")

    results: dict[int, dict[str, tuple[float, float]]] = {}
    baselines: dict[int, float] = {}
    counts: dict[int, int] = {}
    for scale in scales:
        url = args.url or f"sqlite:///{tmp / f'demo{scale}.db'}"
        results[scale], baselines[scale], counts[scale] = run_scale(url, scale, pages, repeat, root, trivial,
                                                                    min if args.stat == "min" else statistics.median)

    what = "fastest" if args.stat == "min" else "median"
    print(f"\nAppTest reruns, {what} of {repeat} (ms and × the trivial page in the same run); {sys.platform}, "
          f"{'SQLite' if not args.url else args.url.split(':')[0]}")
    head = "| 페이지 | 쓰기 |" + "".join(f" ×{s} 그대로 | ×{s} 쓰기 뒤 | ×{s} 쓰기 뒤 ÷ 그대로 |" for s in scales)
    print(head)
    print("|---|---|" + "---:|---:|---:|" * len(scales))
    print("| (빈 페이지) | |" + "".join(f" {baselines[s]:.0f} ms | | |" for s in scales))
    for page, label, write in pages:
        cells = ""
        for s in scales:
            warm, after = results[s][(page, write)]
            cells += (f" {warm:.0f} ms ({warm / baselines[s]:.0f}×) | {after:.0f} ms ({after / baselines[s]:.0f}×) |"
                      f" {after / warm:.1f} |")
        print(f"| {label} | {WRITES[write]} |{cells}")
    print("작업 기록: " + ", ".join(f"×{s} {counts[s]:,}건" for s in scales))


def run_scale(url: str, scale: int, pages: dict, repeat: int, root: Path, trivial: Path, stat=min):
    os.environ["TRACKER_DATABASE_URL"] = url
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tracker import ledger
    from tracker.db import connect
    from tracker.demo import generate

    st.cache_data.clear()
    st.cache_resource.clear()
    engine = connect(url)
    started = time.perf_counter()
    summary = generate(engine, end=END, today=TODAY, scale=scale, force=True)
    print(f"demo ×{scale}: {summary.worklogs:,} work logs, {summary.payments:,} payments, "
          f"{summary.companies} companies in {time.perf_counter() - started:.1f} s", flush=True)
    with engine.connect() as conn:
        project_id = conn.exec_driver_sql("SELECT max(id) FROM project WHERE pay_scheme = 'per_item'").scalar_one()
        company_id = conn.exec_driver_sql("SELECT min(id) FROM company").scalar_one()
        payment_id = conn.exec_driver_sql("SELECT max(id) FROM payment").scalar_one()
        received_id = conn.exec_driver_sql(  # the latest payment that landed this year: its amount counts on 세금
            "SELECT max(id) FROM payment WHERE received_date >= '2026-01-01'").scalar_one()
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM posting WHERE dedupe_key = 'bench-1'")  # --url: left by a previous scale
        conn.exec_driver_sql(
            "INSERT INTO posting (source, source_kind, external_id, url, title, organization, dedupe_key, pay_text, "
            "task_types, remote, certificate, region, summary, status, first_seen, last_seen) VALUES ('bench', "
            "'rss', '', 'https://example.invalid/1', '공고', '', 'bench-1', '', '', false, 'none', '', '', 'new', "
            "'2026-11-22', '2026-11-22')")
    n = iter(range(1_000_000))

    def version(table: str, row_id: int) -> int:
        with engine.connect() as conn:
            return conn.exec_driver_sql(f"SELECT version FROM {table} WHERE id = {int(row_id)}").scalar_one()

    def write(kind: str) -> None:
        if kind == "worklog":
            ledger.create_worklog(engine, {"project_id": project_id, "work_date": TODAY, "minutes": 30,
                                           "items_submitted": 20, "items_rejected": 1, "note": f"bench {next(n)}"})
        elif kind == "payment":
            ledger.update_payment(engine, payment_id, {"note": f"bench {next(n)}",
                                                       "version": version("payment", payment_id)})
        elif kind == "payment_amount":  # always the other amount: a write that changes nothing would be no write
            with engine.connect() as conn:
                gross = conn.exec_driver_sql(f"SELECT gross FROM payment WHERE id = {int(received_id)}").scalar_one()
            ledger.update_payment(engine, received_id, {**AMOUNTS[int(gross == AMOUNTS[0]["gross"])],
                                                        "version": version("payment", received_id)})
        elif kind == "company":
            ledger.update_company(engine, company_id, {"notes": f"bench {next(n)}",
                                                       "version": version("company", company_id)})
        else:
            from tracker.scrapers.postings import set_status

            with engine.connect() as conn:
                posting = conn.exec_driver_sql("SELECT id FROM posting").scalar_one()
            set_status(engine, [posting], "hidden" if next(n) % 2 else "new")

    def timed(at: AppTest) -> float:
        start = time.perf_counter()
        at.run()
        elapsed = (time.perf_counter() - start) * 1000
        assert not at.exception, [e.value for e in at.exception]
        return elapsed

    base = AppTest.from_file(str(trivial), default_timeout=300).run()
    trivial_runs: list[float] = []
    out = {}
    for page, label, kind in pages:
        trivial_runs += [timed(base) for _ in range(repeat)]
        at = AppTest.from_file(str(root / "app.py"), default_timeout=300).run()
        if page != "views/dashboard.py":
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        at.run()
        warm = stat([timed(at) for _ in range(repeat)])
        after = []
        for _ in range(repeat):
            write(kind)
            after.append(timed(at))
        out[(page, kind)] = (warm, stat(after))
        print(f"  ×{scale} {label:10} {kind:15} warm {warm:7.0f} ms   after a write {out[(page, kind)][1]:7.0f} ms",
              flush=True)
    trivial_runs += [timed(base) for _ in range(repeat)]
    engine.dispose()
    return out, stat(trivial_runs), summary.worklogs


if __name__ == "__main__":
    main()
