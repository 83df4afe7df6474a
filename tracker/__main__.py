"""Command line: `python -m tracker migrate` and `python -m tracker demo [--end YYYY-MM] [--force] [--scale N]`."""
from __future__ import annotations

import argparse
import sys

from tracker.config import database_url
from tracker.timeutil import parse_month


def _month(text: str):
    try:
        return parse_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"--scale은 1 이상의 정수여야 합니다: {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tracker", description="라벨장부 관리 명령")
    parser.add_argument("--db", default=None, help="데이터베이스 URL (기본: TRACKER_DATABASE_URL 또는 data/tracker.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="스키마를 최신으로 올립니다")
    demo = sub.add_parser("demo", help="18개월치 데모 데이터를 채웁니다")
    demo.add_argument("--end", type=_month, default=None, help="마지막 작업월 YYYY-MM (기본: 이번 달)")
    demo.add_argument("--force", action="store_true", help="이미 있는 기록을 지우고 채웁니다")
    demo.add_argument("--scale", type=_positive, default=1, help="회사·프로젝트·기록을 N배로 (부하 시험용)")
    args = parser.parse_args(argv)

    from tracker.db import connect

    url = args.db or database_url()
    engine = connect(url)
    if args.command == "migrate":
        print(f"스키마 최신: {engine.url.render_as_string(hide_password=True)}")
        return 0

    from tracker.demo import DemoRefused, generate

    try:
        summary = generate(engine, end=args.end, scale=args.scale, force=args.force)
    except DemoRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(
        f"데모 데이터: {summary.start:%Y-%m} ~ {summary.end:%Y-%m}, 회사 {summary.companies}곳, "
        f"프로젝트 {summary.projects}개, 작업 기록 {summary.worklogs:,}건, 지급 {summary.payments:,}건, "
        f"실수령 합계 ₩{summary.net_total:,}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
