"""`restore`: a backup file into an empty ledger (or, with force, in place of its rows), all in one
transaction: a bad file or a refused row restores nothing."""
from __future__ import annotations

import gzip
import json
import logging
import zlib
from pathlib import Path
from typing import TextIO

import sqlalchemy as sa

from tracker.backup.fileformat import BadValue, Source, Summary, decoder, open_lines, read_header
from tracker.backup.tables import (
    BackupError,
    LedgerNotEmpty,
    backed_up,
    count_rows,
    label,
    ledger_tables,
    transaction,
)

log = logging.getLogger(__name__)
BATCH = 2000  # rows per INSERT
MAX_PARAMETERS = 30_000  # per statement (PostgreSQL allows 65,535)
DAMAGED = "백업 파일이 손상되었습니다"


def check_revision(revision: str) -> None:
    """Only a backup of the code's own schema revision is restored (see README: 백업과 복원)."""
    from tracker.db import alembic_config, head_revision
    from alembic.script import ScriptDirectory

    head = head_revision()
    if revision == head:
        return
    known = {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision in known:
        raise BackupError(
            f"이 백업은 예전 라벨장부(스키마 {revision})가 만들었고, 지금 라벨장부의 스키마는 {head}입니다. "
            "스키마가 다른 백업은 복원하지 않습니다: 백업을 만든 버전의 라벨장부로 빈 장부에 복원한 뒤 이 버전으로 "
            "열면 스키마가 저절로 최신이 됩니다."
        )
    raise BackupError(
        f"이 백업은 이 라벨장부가 모르는 스키마({revision})로 만들어졌습니다(더 새로운 라벨장부가 만든 것일 수 "
        f"있습니다; 지금 스키마는 {head}). 라벨장부를 업데이트한 뒤 복원하세요."
    )


def inspect_backup(source: Source) -> Summary:
    """The header of a backup file, checked as restore would check it (nothing is written)."""
    with open_lines(source) as text:
        header = read_header(text)
    check_revision(header["schema_revision"])
    _check_columns(header, {t.name: t for t in ledger_tables()})
    return Summary.of(header, Path(source) if isinstance(source, (str, Path)) else None)


def _check_columns(header: dict, tables: dict[str, sa.Table]) -> None:
    columns = header["columns"]
    if set(columns) != set(tables) or any(set(columns[n]) != {c.name for c in backed_up(t)} or
                                          len(columns[n]) != len(backed_up(t)) for n, t in tables.items()):
        raise BackupError("백업 파일의 표와 열이 이 라벨장부의 스키마와 다릅니다.")


def _one_line(error: BaseException | None) -> str:
    return " | ".join(str(error).split("\n"))


def _constraint(exc: sa.exc.IntegrityError) -> str:
    text = str(exc.orig).lower()
    if "unique" in text or "duplicate" in text:
        return "같은 값이 두 번 있음"
    if "foreign key" in text:
        return "없는 행을 가리킴"
    if "null" in text:
        return "필수 값이 비어 있음"
    return "제약 조건 위반"


def restore(engine: sa.Engine, source: Source, *, force: bool = False) -> Summary:
    """Load a backup file into the ledger, ids included, in one transaction. A ledger that holds rows
    is refused (LedgerNotEmpty) unless `force`, which deletes them first in the same transaction.
    Any other problem raises BackupError and restores nothing."""
    from tracker.db import current_revision, head_revision

    if isinstance(source, (str, Path)) and not Path(source).is_file():
        raise BackupError(f"백업 파일이 없습니다: {source}")
    if current_revision(engine) != head_revision():
        raise BackupError("장부의 스키마가 최신이 아닙니다. `python -m tracker migrate`로 올린 뒤 복원하세요.")
    try:
        header, loaded = _restore(engine, source, force)
    except LedgerNotEmpty:
        raise
    except BackupError as exc:
        raise BackupError(f"{exc.message} 아무것도 복원하지 않았습니다.") from None
    log.info("restore: %s rows (schema %s, made %s)", sum(loaded.values()), header["schema_revision"],
             header.get("created_at"))
    return Summary(header["schema_revision"], str(header.get("created_at", "")), loaded,
                   Path(source) if isinstance(source, (str, Path)) else None)


def _restore(engine: sa.Engine, source: Source, force: bool) -> tuple[dict, dict[str, int]]:
    tables = {t.name: t for t in ledger_tables()}
    with open_lines(source) as text:
        header = read_header(text)
        check_revision(header["schema_revision"])
        _check_columns(header, tables)
        try:
            with transaction(engine, write=True) as conn:
                before = count_rows(conn, tables.values())
                if any(before.values()):
                    if not force:
                        raise LedgerNotEmpty(before)
                    for table in reversed(list(tables.values())):
                        conn.execute(table.delete())
                loaded = _load(conn, text, tables, header)
                if loaded != {name: header["tables"][name] for name in tables}:
                    raise BackupError(f"{DAMAGED}: 행 수가 머리말과 다릅니다.")
                if conn.dialect.name == "postgresql":
                    _reset_sequences(conn, tables.values())
        except sa.exc.DBAPIError as exc:
            log.error("restore: database error: %s", _one_line(exc.orig))
            if "locked" in str(exc.orig).lower() or getattr(exc.orig, "sqlstate", None) == "55P03":
                raise BackupError("다른 작업이 장부에 쓰는 중이라 기다렸지만 끝나지 않았습니다. 잠시 후 다시 "
                                  "복원하세요.") from None
            raise BackupError(f"데이터베이스 오류로 복원하지 못했습니다 ({type(exc.orig).__name__}).") from None
    return header, loaded


def _load(conn: sa.Connection, text: TextIO, tables: dict[str, sa.Table], header: dict) -> dict[str, int]:
    """Insert the rows line by line, in batches; any problem raises BackupError (and rolls back)."""
    columns = {name: header["columns"][name] for name in tables}
    decoders = {name: [decoder(tables[name].c[c]) for c in cols] for name, cols in columns.items()}
    loaded = dict.fromkeys(tables, 0)
    limit = {name: max(1, min(BATCH, MAX_PARAMETERS // len(cols))) for name, cols in columns.items()}
    batch: list[dict] = []
    current: str | None = None

    def flush() -> None:
        if not batch:
            return
        try:
            table = tables[current]
            if conn.dialect.name == "postgresql":
                # RETURNING makes SQLAlchemy send multi-row INSERTs ("insertmanyvalues"); without it
                # psycopg's executemany sends one statement per row, and each would fire the data-version
                # trigger: 100,000 updates of one row in one transaction, ever slower.
                conn.execute(table.insert().returning(*table.primary_key.columns), batch).all()
            else:
                conn.execute(table.insert(), batch)
        except sa.exc.IntegrityError as exc:
            log.error("restore: %s refused: %s", current, _one_line(exc.orig))
            raise BackupError(f"백업의 {label(current)} 행이 장부의 규칙에 맞지 않습니다({_constraint(exc)}).") from None
        except sa.exc.DataError as exc:
            log.error("restore: %s refused: %s", current, _one_line(exc.orig))
            raise BackupError(f"백업의 {label(current)} 행에 들어갈 수 없는 값이 있습니다.") from None
        except sa.exc.StatementError as exc:
            if isinstance(exc, sa.exc.DBAPIError):
                raise
            log.error("restore: %s refused: %s", current, _one_line(exc.orig))
            raise BackupError(f"백업의 {label(current)} 행에 올바르지 않은 값이 있습니다.") from None
        batch.clear()

    number = 1
    try:
        for number, line in enumerate(text, start=2):
            try:
                item = json.loads(line)
            except ValueError:
                raise BackupError(f"{DAMAGED} ({number}번째 줄을 읽을 수 없음).") from None
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and item[0] in tables
                    and isinstance(item[1], list) and len(item[1]) == len(columns[item[0]])):
                raise BackupError(f"{DAMAGED} ({number}번째 줄의 모양이 올바르지 않음).")
            name, values = item
            if name != current:
                flush()
                current = name
            row = {}
            for column, decode, value in zip(columns[name], decoders[name], values):
                try:
                    row[column] = decode(value)
                except BadValue:
                    raise BackupError(f"백업의 {label(name)} 행({number}번째 줄)의 {column} 값이 올바르지 않습니다: "
                                      f"{str(value)[:40]!r}.") from None
            batch.append(row)
            loaded[name] += 1
            if len(batch) >= limit[name]:
                flush()
        flush()
    except EOFError:
        raise BackupError("백업 파일이 중간에 잘렸습니다.") from None
    except (gzip.BadGzipFile, zlib.error, UnicodeDecodeError):
        raise BackupError(f"{DAMAGED} (압축을 풀 수 없음, {number}번째 줄 근처).") from None
    return loaded


def _reset_sequences(conn: sa.Connection, tables) -> None:
    """PostgreSQL: each serial id's next value is max(id) + 1, so new rows don't collide."""
    preparer = conn.dialect.identifier_preparer
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, sa.Integer):
            continue
        key = keys[0]
        sequence = sa.func.pg_get_serial_sequence(preparer.format_table(table), key.name)
        conn.execute(sa.select(sa.func.setval(sequence, sa.func.coalesce(sa.func.max(key), 0) + 1, False))
                     .select_from(table))
