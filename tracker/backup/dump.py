"""`backup`: the whole ledger, read in one snapshot, into one file (written aside, then renamed)."""
from __future__ import annotations

import gzip
import io
import logging
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext

from tracker.backup.fileformat import FORMAT, FORMAT_VERSION, SUFFIX, Summary, dumps, encoder
from tracker.backup.paths import backup_dir, stamp, unique
from tracker.backup.tables import BackupError, backed_up, count_rows, ledger_tables, transaction
from tracker.timeutil import now_kst

log = logging.getLogger(__name__)


def write_backup(engine: sa.Engine, out: BinaryIO) -> Summary:
    """Write the backup to an open binary file. The schema must be at head (`connect` sees to that)."""
    from tracker.db import head_revision

    tables = ledger_tables()
    with transaction(engine, write=False) as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
        if revision != head_revision():
            raise BackupError(f"장부의 스키마({revision or '없음'})가 최신({head_revision()})이 아닙니다. "
                              "`python -m tracker migrate`로 올린 뒤 백업하세요.")
        counts = count_rows(conn, tables)
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": revision,
            "created_at": now_kst().isoformat(timespec="seconds"),
            "tables": counts,
            "columns": {t.name: [c.name for c in backed_up(t)] for t in tables},
        }
        gz = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6)
        with io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as text:
            text.write(dumps(header) + "\n")
            for table in tables:
                columns = backed_up(table)
                encoders = [encoder(c) for c in columns]
                written = 0
                for row in conn.execute(sa.select(*columns).order_by(*table.primary_key.columns)):
                    text.write(dumps([table.name, [f(v) for f, v in zip(encoders, row)]]) + "\n")
                    written += 1
                if written != counts[table.name]:  # cannot happen inside one snapshot
                    raise BackupError(f"{table.name} 표를 읽는 동안 행 수가 바뀌었습니다. 다시 백업하세요.")
    return Summary.of(header)


def default_backup_path(engine: sa.Engine) -> Path:
    """backups/ledger-YYYYMMDD-HHMMSS.json.gz beside the SQLite file (or in the current directory)."""
    return unique(backup_dir(engine), f"ledger-{stamp()}", SUFFIX)


def backup(engine: sa.Engine, path: str | Path | None = None) -> Summary:
    """Write the backup to `path` (default: `default_backup_path`). A backup that fails or is killed
    leaves no file under that name: it is written beside it under a dot-name, then renamed."""
    target = Path(path) if path is not None else default_backup_path(engine)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        log.error("backup: cannot write in %s: %s", target.parent, exc)
        raise BackupError(f"백업 파일을 쓸 수 없습니다: {target} ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as out:
            summary = write_backup(engine, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        log.error("backup: writing %s failed: %s", target, exc)
        raise BackupError(f"백업 파일을 쓰지 못했습니다: {target} ({exc.strerror or exc})") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    log.info("backup: %s rows to %s", summary.rows, target)
    return Summary(summary.schema_revision, summary.created_at, summary.counts, target)


def backup_bytes(engine: sa.Engine) -> tuple[bytes, Summary]:
    """The backup in memory (for a download button) and its summary."""
    buffer = io.BytesIO()
    summary = write_backup(engine, buffer)
    return buffer.getvalue(), summary
