"""work entries summed per project and month, kept by triggers (worklog_month)

The pages read the sums per project and month (tracker.queries.work_months). Summing every entry on
each read grew with the ledger (66,000 entries: about 100 ms after every write); the triggers in
tracker/worklogsums.py keep the sums in the writing transaction instead, so a write changes its own
project-month and a read costs one row per project-month. Filled once here from the entries.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 13:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from tracker.worklogsums import drop_statements, rebuild_statement, trigger_statements

revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('worklog_month',
    sa.Column('project_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('entries', sa.BigInteger(), nullable=False),
    sa.Column('minutes', sa.BigInteger(), nullable=False),
    sa.Column('earned', sa.BigInteger(), nullable=False),
    sa.Column('submitted', sa.BigInteger(), nullable=False),
    sa.Column('rejected', sa.BigInteger(), nullable=False),
    sa.Column('rejection_cost', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('project_id', 'month', name=op.f('pk_worklog_month'))
    )
    dialect = op.get_bind().dialect.name
    op.execute(rebuild_statement(dialect, stamped=False))
    for statement in trigger_statements(dialect, stamped=False):  # 0012 adds the stamps
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('worklog_month')
