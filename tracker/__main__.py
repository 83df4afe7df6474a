"""Command line: `python -m tracker migrate | demo | backup [FILE] | restore FILE [--force] | digest [--dry-run]
| import FILE [--kind K] [--sheet S] [--map M] [--create-missing] [--dry-run] | export FILE.xlsx | export --csv DIR`.

Exit codes: 0 done; 1 refused or failed (a Korean sentence on stderr, the detail in the log);
2 bad arguments, or a restore into a ledger that already holds rows without --force.
digest: 0 sent or nothing new, 1 a channel (or a part of the digest) failed, 2 no channel set up.
Import: 1 when the file cannot be read; 2 for any bad row (nothing written, "N행 열: 이유" lines on
stderr) or a bad --map.
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
    from tracker.demo import MAX_SCALE

    if value > MAX_SCALE:
        raise argparse.ArgumentTypeError(f"--scale은 {MAX_SCALE}배까지입니다(10배마다 18개월씩 앞으로 늘어남): {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tracker", description="라벨장부 관리 명령")
    parser.add_argument("--db", default=None, help="데이터베이스 URL (기본: TRACKER_DATABASE_URL 또는 data/tracker.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="스키마를 최신으로 올립니다")
    demo = sub.add_parser("demo", help="18개월치 데모 데이터를 채웁니다")
    demo.add_argument("--end", type=_month, default=None, help="마지막 작업월 YYYY-MM (기본: 이번 달)")
    demo.add_argument("--force", action="store_true", help="이미 있는 기록을 지우고 채웁니다")
    demo.add_argument("--scale", type=_positive, default=1, help="회사·프로젝트·기록을 N배로, 1~200 (부하 시험용: 10배마다 그 앞 18개월이 더해짐; ×152 ≈ 작업 기록 10만 건)")
    backup = sub.add_parser("backup", help="장부 전체를 백업 파일 하나로 씁니다")
    backup.add_argument("file", nargs="?", default=None,
                        help="백업 파일 (기본: 장부 파일 옆 backups/ledger-YYYYMMDD-HHMMSS.json.gz)")
    restore = sub.add_parser("restore", help="백업 파일을 빈 장부에 복원합니다")
    restore.add_argument("file", help="python -m tracker backup이 만든 파일 (.json.gz)")
    restore.add_argument("--force", action="store_true", help="장부에 있는 기록을 모두 지우고 복원합니다")
    sheet_in = sub.add_parser("import", help="스프레드시트(xlsx, CSV)의 작업 기록·지급을 가져옵니다")
    sheet_in.add_argument("file", help="xlsx 또는 CSV (UTF-8, UTF-8 BOM, CP949)")
    sheet_in.add_argument("--kind", choices=("worklogs", "payments"), default=None,
                          help="작업 기록(worklogs) 또는 지급(payments) (기본: 시트 이름이나 머리글로 판단)")
    sheet_in.add_argument("--sheet", default=None, help="읽을 시트 이름 (기본: 첫 시트, 라벨장부 내보내기 파일은 이름으로)")
    sheet_in.add_argument("--map", default=None, help='머리글을 직접 정하기: "머리글=필드,…" (예: "일한 날=작업일")')
    sheet_in.add_argument("--create-missing", action="store_true", help="장부에 없는 회사·프로젝트를 만듭니다")
    sheet_in.add_argument("--dry-run", action="store_true", help="검사만 하고 아무것도 쓰지 않습니다")
    sheet_out = sub.add_parser("export", help="장부 전체를 xlsx(또는 CSV 폴더)로 내보냅니다")
    sheet_out.add_argument("file", nargs="?", default=None, help="만들 xlsx 파일")
    sheet_out.add_argument("--csv", metavar="DIR", default=None, help="xlsx 대신 이 폴더에 표마다 CSV 하나씩")
    digest = sub.add_parser("digest", help="새 공고·늦어진 돈·입금 예정·세금 알림을 이메일/웹훅으로 보냅니다")
    digest.add_argument("--dry-run", action="store_true", help="보낼 글을 보여 주기만 하고 보내지도 기록하지도 않습니다")
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
        if args.command == "digest":
            return _digest(engine, args)
        if args.command == "import":
            return _import(engine, args)
        if args.command == "export":
            return _export(engine, args)
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


def _digest(engine, args: argparse.Namespace) -> int:
    from tracker.alerts import run

    outcome = run(engine, dry_run=args.dry_run)
    for line in outcome.lines:
        print(line)
    for line in outcome.errors:
        print(line, file=sys.stderr)
    return outcome.code


def _import(engine, args: argparse.Namespace) -> int:
    from tracker.errors import LedgerError
    from tracker.sheets import import_file, parse_map

    try:
        mapping = parse_map(args.map)
    except LedgerError as exc:
        print(exc.message, file=sys.stderr)
        return REFUSED
    try:
        report = import_file(engine, args.file, kind=args.kind, sheet=args.sheet, mapping=mapping,
                             create_missing=args.create_missing, dry_run=args.dry_run)
    except LedgerError as exc:
        if exc.field != "map":
            raise  # the file cannot be read: exit 1
        print(exc.message, file=sys.stderr)
        return REFUSED
    if report.ignored_sheets:
        print(f"읽지 않은 시트: {', '.join(report.ignored_sheets)}")
    if not report.ok:
        lines = report.issue_lines()
        print(f"가져오지 않았습니다: 문제가 {len(lines):,}개 있어 아무것도 쓰지 않았습니다.", file=sys.stderr)
        if report.unknown_companies:
            print(f"장부에 없는 회사: {', '.join(report.unknown_companies)} (--create-missing을 붙이면 만듭니다)",
                  file=sys.stderr)
        if report.unknown_projects:
            names = ", ".join(f"{c} / {p}" if c else p for c, p in report.unknown_projects)
            print(f"장부에 없는 프로젝트: {names} (--create-missing을 붙이면 만듭니다)", file=sys.stderr)
        for line in lines:
            print(f"  {line}", file=sys.stderr)
        return REFUSED
    if report.dry_run:
        print(f"미리 보기(--dry-run): 아무것도 쓰지 않았습니다. 가져오면 {report.summary()}")
    else:
        print(f"가져왔습니다: {args.file}")
        print(f"  {report.summary()}")
    if report.created_companies:
        print(f"  새 회사: {', '.join(report.created_companies)} (지급 조건은 기본값이니 회사 페이지에서 확인하세요)")
    if report.created_projects:
        print(f"  새 프로젝트: {', '.join(f'{c} / {p}' for c, p in report.created_projects)}")
    if report.skipped:
        print(f"  건너뛴 행 {len(report.skipped):,}개:")
        for line in report.skip_summary():
            print(f"    {line}")
    for warning in report.warnings:
        print(f"  참고: {warning.line(report.several_sheets)}")
    return 0


def _export(engine, args: argparse.Namespace) -> int:
    from tracker.sheets import export_csv, export_xlsx

    if (args.file is None) == (args.csv is None):
        print("내보낼 xlsx 파일 이름이나 --csv 폴더 중 하나를 주세요 (예: python -m tracker export 장부.xlsx).",
              file=sys.stderr)
        return REFUSED
    if args.csv is not None:
        rows = export_csv(engine, args.csv)
        print(f"내보냈습니다: {args.csv} (CSV {len(rows)}개)")
    else:
        rows = export_xlsx(engine, args.file)
        print(f"내보냈습니다: {args.file}")
    for sheet, count in rows.items():
        print(f"  {sheet} {count:,}행")
    return 0


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
