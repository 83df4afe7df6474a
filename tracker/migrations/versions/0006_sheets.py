"""spreadsheet import: a stable key per imported row

`import_key` on worklog and payment: set by the spreadsheet import (tracker/sheets) from the row's
values, unique, so importing the same file again adds nothing. Rows written any other way leave it
empty (NULL, which a unique index allows many times). Added in place (ALTER TABLE ADD COLUMN and a
unique index), so on SQLite the tables are not rebuilt and their data-version triggers stay.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("worklog", "payment")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('import_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        op.create_index(op.f(f'ix_{table}_import_key'), table, ['import_key'], unique=True)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(op.f(f'ix_{table}_import_key'), table_name=table)
        op.drop_column(table, 'import_key')  # SQLite ≥ 3.35 drops a column in place
