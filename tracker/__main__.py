"""Command line: `python -m tracker migrate | demo | backup [FILE] | restore FILE [--force]`.

Exit codes: 0 done; 1 refused or failed (a Korean sentence on stderr, the detail in the log);
2 bad arguments, or a restore into a ledger that already holds rows without --force.
"""
from __future__ import annotations

import argparse
import logging
import sys

from tracker.config import database_url
from tracker.timeutil import parse_month

log = logging.getLogger("tracker.cli")
REFUSED = 2


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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tracker", description="라벨장부 관리 명령")
    parser.add_argument("--db", default=None, help="데이터베이스 URL (기본: TRACKER_DATABASE_URL 또는 data/tracker.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="스키마를 최신으로 올립니다")
    demo = sub.add_parser("demo", help="18개월치 데모 데이터를 채웁니다")
    demo.add_argument("--end", type=_month, default=None, help="마지막 작업월 YYYY-MM (기본: 이번 달)")
    demo.add_argument("--force", action="store_true", help="이미 있는 기록을 지우고 채웁니다")
    demo.add_argument("--scale", type=_positive, default=1, help="회사·프로젝트·기록을 N배로 (부하 시험용)")
    backup = sub.add_parser("backup", help="장부 전체를 백업 파일 하나로 씁니다")
    backup.add_argument("file", nargs="?", default=None,
                        help="백업 파일 (기본: 장부 파일 옆 backups/ledger-YYYYMMDD-HHMMSS.json.gz)")
    restore = sub.add_parser("restore", help="백업 파일을 빈 장부에 복원합니다")
    restore.add_argument("file", help="python -m tracker backup이 만든 파일 (.json.gz)")
    restore.add_argument("--force", action="store_true", help="장부에 있는 기록을 모두 지우고 복원합니다")
    return parser


def _counts(counts: dict[str, int]) -> None:
    from tracker.backup import count_text, ordered

    for table, count in ordered(counts):
        print(f"  {count_text(table, count)}")


def _run(args: argparse.Namespace) -> int:
    from tracker.db import connect

    engine = connect(args.db or database_url())
    try:
        if args.command == "migrate":
            print(f"스키마 최신: {engine.url.render_as_string(hide_password=True)}")
            return 0
        if args.command == "backup":
            from tracker.backup import backup

            summary = backup(engine, args.file)
            print(f"백업을 만들었습니다: {summary.path}")
            _counts(summary.counts)
            print(f"  모두 {summary.rows:,}행, 스키마 {summary.schema_revision}")
            return 0
        if args.command == "restore":
            from tracker.backup import LedgerNotEmpty, restore

            try:
                summary = restore(engine, args.file, force=args.force)
            except LedgerNotEmpty as exc:
                print(exc.message, file=sys.stderr)
                print("기존 기록을 모두 지우고 복원하려면 --force를 붙이세요.", file=sys.stderr)
                return REFUSED
            print(f"복원했습니다: {args.file} ({summary.created_at}에 만든 백업, 스키마 {summary.schema_revision})")
            _counts(summary.counts)
            return 0
        return _demo(engine, args)
    finally:
        engine.dispose()


def _demo(engine, args: argparse.Namespace) -> int:
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


def main(argv: list[str] | None = None) -> int:
    from tracker.logs import setup_logging

    setup_logging(quiet=("alembic",))  # alembic's per-step chatter, unless debugging
    args = _parser().parse_args(argv)

    import sqlalchemy as sa

    from tracker.errors import LedgerError

    try:
        return _run(args)
    except LedgerError as exc:  # refused input, a database that cannot be opened, tracker.backup.BackupError
        log.debug("%s refused: %s", args.command, exc)
        print(str(exc), file=sys.stderr)
        return 1
    except sa.exc.SQLAlchemyError as exc:
        log.error("%s failed: %s", args.command, exc)
        print("데이터베이스 오류로 멈췄습니다. 자세한 내용은 위의 로그를 보세요.", file=sys.stderr)
        return 1
    except Exception as exc:  # never a traceback for the user; TRACKER_LOG_LEVEL=DEBUG shows it
        log.error("%s failed: %s: %s", args.command, type(exc).__name__, exc)
        log.debug("traceback", exc_info=True)
        print(f"예상하지 못한 오류로 멈췄습니다 ({type(exc).__name__}). 자세한 내용은 위의 로그를 보세요.",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
