"""Spreadsheets in and out: import the sheet a labeler already keeps (xlsx or CSV), export the ledger.

- `read_tables(source)`: the sheets of an xlsx, or a CSV (UTF-8, UTF-8 with BOM, CP949, UTF-16).
- `import_file(engine, source, kind=, sheet=, mapping=, create_missing=, dry_run=)` → `ImportReport`:
  everything in one transaction through the ledger's validation, or nothing; problems as "N행 열: 이유".
  The steps apart, for the page: `plan_tables` (cells → rows, no database) then `run_plans`.
- `export_xlsx(engine, path)` / `xlsx_bytes`, `export_csv(engine, directory)` / `csv_zip`: one sheet per
  table (회사, 프로젝트, 작업 기록, 지급, 입금, 모집 공고), Korean headers, which the import reads back.
"""
from tracker.sheets.columns import CLI_KINDS, COLUMNS, KIND_LABELS, auto_mapping, mapping_with, parse_map
from tracker.sheets.export import SHEETS, counts, csv_files, csv_zip, export_csv, export_xlsx, sheets, xlsx_bytes
from tracker.sheets.importer import (
    ImportReport,
    Issue,
    SheetPlan,
    Skip,
    guess_kind,
    import_file,
    plan_sheet,
    plan_tables,
    run_plans,
    sheet_kind,
)
from tracker.sheets.reading import SheetsError, Table, read_tables

__all__ = [
    "CLI_KINDS", "COLUMNS", "KIND_LABELS", "SHEETS", "ImportReport", "Issue", "SheetPlan", "SheetsError", "Skip",
    "Table", "auto_mapping", "counts", "csv_files", "csv_zip", "export_csv", "export_xlsx", "guess_kind",
    "import_file", "mapping_with", "parse_map", "plan_sheet", "plan_tables", "read_tables", "run_plans", "sheet_kind",
    "sheets", "xlsx_bytes",
]
