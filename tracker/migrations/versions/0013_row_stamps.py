"""a stamp on every payment and deposit row a write touches, so readers catch up on the changed rows only

After one payment edit, the pages read every payment again (10,000 at team size: about 12 ms, then
the landed money of every year). Triggers now give each row a write touches the next stamp of its
table, from a counter that never goes back (tracker/rowstamps.py), so a reader that kept the rows at
stamp S reads the rows stamped after S (tracker.queries.RowMirror). Rows already there are stamped
once here, in id order.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 18:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from tracker import dataversion
from tracker.rowstamps import COUNTER, TABLES, drop_statements, trigger_statements

revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(COUNTER,
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('stamp', sa.BigInteger(), nullable=False),
    sa.Column('deleted', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_row_stamp'))
    )
    for table in TABLES:
        op.add_column(table, sa.Column('stamp', sa.BigInteger(), server_default='0', nullable=False))
        op.create_index(f'ix_{table}_stamp', table, ['stamp'], unique=False)
        op.execute(f"UPDATE {table} SET stamp = id")  # the rows there, in id order: ids only grow
        op.execute(f"INSERT INTO {COUNTER} (name, stamp, deleted) SELECT '{table}', COALESCE(MAX(id), 0), 0 FROM {table}")
    for statement in trigger_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in drop_statements(dialect):
        op.execute(statement)
    for table in TABLES:
        op.drop_index(f'ix_{table}_stamp', table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column('stamp')
    op.drop_table(COUNTER)
    for statement in dataversion.trigger_statements(dialect, TABLES):  # SQLite recreated the tables without them
        op.execute(statement)
