"""The backup file: gzip-compressed JSON lines, the same for SQLite and PostgreSQL.

Line 1 is the header:

    {"format": "labeler-ledger-backup", "format_version": 1, "schema_revision": "0003",
     "created_at": "2026-11-22T12:00:00+09:00", "tables": {"company": 9, ...},
     "columns": {"company": ["id", "name", ...], ...}}

Then one line per row, tables in foreign-key order, rows by primary key:

    ["company", [1, "크라우드웍스", "platform", ...]]

Values keep their type: integers, strings, true/false, null; dates as "YYYY-MM-DD", date-times as
ISO 8601 with their offset (the database's UTC). Enum columns hold their stored code.
"""
from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa

from tracker.backup.tables import BackupError

FORMAT = "labeler-ledger-backup"
FORMAT_VERSION = 1
SUFFIX = ".json.gz"
HEADER_LIMIT = 1_000_000  # characters: a header is a few kB; anything longer is not ours

Source = str | Path | BinaryIO


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _python_type(column: sa.Column) -> type | None:
    kind = column.type
    if isinstance(kind, sa.types.TypeDecorator):  # e.g. UTCDateTime, AutoString: what they store
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def encoder(column: sa.Column) -> Callable[[Any], Any]:
    """Database value (as SQLAlchemy returns it) → JSON value."""
    kind = _python_type(column)
    if kind is not None and issubclass(kind, date):  # date and datetime
        return lambda v: None if v is None else v.isoformat()
    if kind is not None and issubclass(kind, Enum):
        return lambda v: v.value if isinstance(v, Enum) else v
    return lambda v: v


class BadValue(ValueError):
    pass


def decoder(column: sa.Column) -> Callable[[Any], Any]:
    """JSON value → the Python value to insert; BadValue when its type is not the column's."""
    kind = _python_type(column)
    nullable = column.nullable

    def check(ok: Callable[[Any], bool], convert: Callable[[Any], Any] = lambda v: v):
        def decode(value: Any) -> Any:
            if value is None:
                if nullable:
                    return None
                raise BadValue(value)
            if not ok(value):
                raise BadValue(value)
            try:
                return convert(value)
            except (TypeError, ValueError):
                raise BadValue(value) from None
        return decode

    if kind is None:
        return check(lambda v: True)
    if issubclass(kind, Enum):  # the stored codes, e.g. "platform"
        codes = {member.value for member in kind}
        return check(lambda v: v in codes)
    if issubclass(kind, datetime):
        return check(lambda v: isinstance(v, str), datetime.fromisoformat)
    if issubclass(kind, date):
        return check(lambda v: isinstance(v, str), date.fromisoformat)
    if kind is bool:
        return check(lambda v: isinstance(v, bool))
    if issubclass(kind, int):
        return check(lambda v: isinstance(v, int) and not isinstance(v, bool))
    if issubclass(kind, str):
        return check(lambda v: isinstance(v, str))
    return check(lambda v: True)


@contextmanager
def open_lines(source: Source) -> Iterator[io.TextIOBase]:
    """The backup's decompressed text, from a path or an open binary file."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise BackupError(f"백업 파일이 없습니다: {path}")
        raw: BinaryIO = path.open("rb")
    else:
        raw = source
        if raw.seekable():
            raw.seek(0)
    try:
        with io.TextIOWrapper(gzip.GzipFile(fileobj=raw, mode="rb"), encoding="utf-8", newline="\n") as text:
            yield text
    finally:
        if isinstance(source, (str, Path)):
            raw.close()


NOT_OURS = "라벨장부 백업 파일이 아닙니다"


def read_header(text: io.TextIOBase) -> dict:
    """The first line, checked: our format, a version this code reads."""
    try:
        line = text.readline(HEADER_LIMIT)
        header = json.loads(line)
    except (gzip.BadGzipFile, zlib.error):
        raise BackupError(f"{NOT_OURS} (gzip으로 압축된 파일이 아님).") from None
    except EOFError:
        raise BackupError("백업 파일이 중간에 잘렸습니다.") from None
    except (UnicodeDecodeError, ValueError):
        raise BackupError(f"{NOT_OURS} (머리말을 읽을 수 없음).") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{NOT_OURS} (형식 표시가 없음).")
    version = header.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError(f"{NOT_OURS} (형식 버전이 올바르지 않음: {version!r}).")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"이 백업은 더 새로운 라벨장부가 만든 형식(버전 {version})입니다. 이 라벨장부는 버전 {FORMAT_VERSION}까지 "
            "읽습니다: 라벨장부를 업데이트한 뒤 복원하세요."
        )
    tables, columns = header.get("tables"), header.get("columns")
    if (not isinstance(header.get("schema_revision"), str) or not isinstance(tables, dict)
            or not isinstance(columns, dict) or set(tables) != set(columns)
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in tables.values())
            or not all(isinstance(c, list) and all(isinstance(x, str) for x in c) for c in columns.values())):
        raise BackupError(f"{NOT_OURS} (머리말의 표 목록이 올바르지 않음).")
    return header


@dataclass(frozen=True)
class Summary:
    """What a backup file holds (or what a restore loaded)."""

    schema_revision: str
    created_at: str
    counts: dict[str, int]
    path: Path | None = None

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @classmethod
    def of(cls, header: dict, path: Path | None = None) -> Summary:
        return cls(header["schema_revision"], str(header.get("created_at", "")), dict(header["tables"]), path)
