"""Backup and restore of the whole ledger, the same file for SQLite and PostgreSQL, and a copy of
the SQLite file before each schema upgrade. Plain functions; the CLI and the settings page call them."""
from tracker.backup.copy import KEEP, copy_before_upgrade, pre_upgrade_copies
from tracker.backup.dump import backup, backup_bytes, default_backup_path, write_backup
from tracker.backup.fileformat import FORMAT, FORMAT_VERSION, Summary
from tracker.backup.load import check_revision, inspect_backup, restore
from tracker.backup.paths import backup_dir, sqlite_file
from tracker.backup.tables import (
    EXCLUDED,
    BackupError,
    LedgerNotEmpty,
    count_text,
    describe,
    label,
    ledger_counts,
    ledger_tables,
    ordered,
)

__all__ = [
    "EXCLUDED",
    "FORMAT",
    "FORMAT_VERSION",
    "KEEP",
    "BackupError",
    "LedgerNotEmpty",
    "Summary",
    "backup",
    "backup_bytes",
    "backup_dir",
    "check_revision",
    "copy_before_upgrade",
    "count_text",
    "default_backup_path",
    "describe",
    "inspect_backup",
    "label",
    "ledger_counts",
    "ledger_tables",
    "ordered",
    "pre_upgrade_copies",
    "restore",
    "sqlite_file",
    "write_backup",
]
