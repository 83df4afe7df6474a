"""python -m tracker.scrapers run | parse | list — the radar from the command line (and cron).

`main()` configures logging (tracker.logs.setup_logging: timestamped lines on stderr,
TRACKER_LOG_LEVEL): one line per source and run, retries and failures, API keys masked. The
summary lines go to stdout as before.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date, datetime
from pathlib import Path

from tracker.config import database_url
from tracker.scrapers.base import ScrapeError, SourceConfig
from tracker.scrapers.config import ConfigError, load_sources
from tracker.scrapers.redact import mask
from tracker.scrapers.registry import KINDS
from tracker.timeutil import today_kst

EXIT_OK, EXIT_SOME_FAILED = 0, 2
log = logging.getLogger(__name__)


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def posting_json(row: dict) -> str:
    fields = ("title", "url", "published", "organization", "deadline", "pay_text", "pay_amount", "pay_unit",
              "task_types", "remote", "certificate", "region", "external_id", "source", "status")
    out = {k: row.get(k) for k in fields if k in row}
    out["task_types"] = [t for t in (row.get("task_types") or "").split(",") if t]
    return json.dumps(out, ensure_ascii=False, default=_json_default)


def cmd_run(args) -> int:
    from tracker.db import connect
    from tracker.scrapers.runner import run_sources

    try:
        configs, problems = load_sources(args.sources)
    except ConfigError as exc:
        print(f"[설정 오류] {exc}", file=sys.stderr)
        log.error("설정 오류: %s", exc)
        return EXIT_SOME_FAILED
    for problem in problems:
        print(f"[설정 오류] {problem.name}: {problem.message}")
        log.warning("설정 오류: %s: %s", problem.name, problem.message)
    log.info("레이더 실행: 소스 %d곳 (켜 둔 곳 %d곳)", len(configs), sum(c.enabled for c in configs))
    # The runner masks each source's keys in its result lines (tracker.scrapers.redact).
    results = run_sources(connect(args.db or database_url()), configs, on_result=lambda r: print(
        mask(r.line(), r.secrets), flush=True))
    failed = [r for r in results if not r.ok and not r.disabled]
    log.info("레이더 끝: 성공 %d곳, 실패 %d곳, 새 공고 %d건", sum(r.ok for r in results), len(failed),
             sum(r.new for r in results))
    return EXIT_SOME_FAILED if failed or problems else EXIT_OK


def parse_options(pairs: list[str] | None) -> dict[str, str]:
    """`--option item=tr.row --option title=td.subject a` → {"item": "tr.row", "title": "td.subject a"}."""
    options: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--option은 키=값 꼴이어야 합니다 (예: --option item=\"table.board tr\"): {pair!r}")
        options[key.strip()] = value.strip()
    return options


def cmd_parse(args) -> int:
    from tracker.scrapers.normalize import normalize

    try:
        options = parse_options(args.option)
    except ValueError as exc:
        print(f"[설정 오류] {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    config = SourceConfig(name=f"parse:{args.kind}", kind=args.kind, url=args.url or "", options=options)
    source = KINDS[args.kind](config, {})
    try:
        raws = source.parse(Path(args.file).read_bytes(), args.url or Path(args.file).resolve().as_uri())
    except ScrapeError as exc:
        print(f"읽지 못했습니다: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    today = today_kst()
    for raw in raws:
        print(posting_json(normalize(raw, config, today)))
    return EXIT_OK


def cmd_list(args) -> int:
    from tracker.db import connect
    from tracker.scrapers.postings import list_postings

    frame = list_postings(connect(args.db or database_url()), status=args.status)
    # Plain Python values: a missing date or pay is None (not NaT/NaN), a pay amount an int.
    frame = frame.astype({"pay_amount": "Int64"}).astype(object).where(frame.notna(), None)
    for row in frame.to_dict("records"):
        if args.json:
            print(posting_json(row))
        else:
            when = row["published"].strftime("%Y-%m-%d") if row["published"] else "----------"
            deadline = f" · 마감 {row['deadline']}" if row["deadline"] else ""
            print(f"{when} [{row['status_label']}] {row['title']} — {row['organization'] or row['source']}"
                  f"{deadline}\n    {row['url']}")
    return EXIT_OK


def _setup_logging() -> None:
    from tracker.logs import setup_logging, tracker_handlers
    from tracker.scrapers.redact import install_log_masking

    setup_logging(quiet=("httpx",))  # httpx logs a line per request, unless debugging
    for handler in tracker_handlers():
        install_log_masking(handler)  # every record written, whichever library logged it


def main(argv: list[str] | None = None) -> int:
    _setup_logging()
    parser = argparse.ArgumentParser(prog="python -m tracker.scrapers", description="모집 공고 레이더")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="켜 둔 소스를 모두 읽습니다 (한 줄에 한 소스)")
    run.add_argument("--sources", default=None, help="소스 설정 파일 (기본: TRACKER_SOURCES 또는 data/sources.toml)")
    run.add_argument("--db", default=None, help="데이터베이스 URL")
    parse = sub.add_parser("parse", help="저장해 둔 페이지를 오프라인으로 읽어 공고를 JSON 한 줄씩 출력")
    parse.add_argument("kind", choices=sorted(KINDS))
    parse.add_argument("file")
    parse.add_argument("--url", default=None, help="그 페이지의 원래 주소 (상대 링크를 풀 때)")
    parse.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                       help="data/sources.toml의 kind별 키 (html의 item=, title=, link=, date= … 여러 번)")
    listing = sub.add_parser("list", help="저장된 공고 목록")
    listing.add_argument("--db", default=None, help="데이터베이스 URL")
    listing.add_argument("--status", default=None, choices=["new", "saved", "applied", "hidden"])
    listing.add_argument("--json", action="store_true", help="JSON 한 줄씩")
    args = parser.parse_args(argv)
    return {"run": cmd_run, "parse": cmd_parse, "list": cmd_list}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
