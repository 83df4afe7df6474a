"""a stamp on every worklog_month row a write touches, so readers catch up on the changed rows only

After one work entry, the pages re-read every project-month (66,000 entries: about 6,300 rows and
15 ms, then everything built on them again). Each row the triggers touch now gets the next stamp
(tracker/worklogsums.py), and a row whose last entry goes stays with zero entries, so a reader that
kept the sums at stamp S reads the rows stamped after S and patches what it kept
(tracker.queries.work_months). Rows already there start at stamp 0.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from tracker.worklogsums import drop_statements, trigger_statements

revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('worklog_month', sa.Column('stamp', sa.BigInteger(), server_default='0', nullable=False))
    op.create_index('ix_worklog_month_stamp', 'worklog_month', ['stamp'], unique=False)
    for statement in trigger_statements(op.get_bind().dialect.name, stamped=True):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in drop_statements(dialect):  # SQLite checks the triggers naming the table it renames
        op.execute(statement)
    op.execute("DELETE FROM worklog_month WHERE entries <= 0")
    op.drop_index('ix_worklog_month_stamp', table_name='worklog_month')
    with op.batch_alter_table('worklog_month') as batch:
        batch.drop_column('stamp')
    for statement in trigger_statements(dialect, stamped=False):
        op.execute(statement)
