"""edit versions on every editable row, per-table data versions kept by triggers

Existing rows start at version 1. `data_version` holds one counter per table, bumped by triggers
(see tracker/dataversion.py), so cached reads notice every write, from any process.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from tracker.dataversion import PG_DROP_FUNCTION, drop_statements, install_triggers

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

EDITABLE = ("company", "project", "worklog", "payment", "deposit")
TABLES = (*EDITABLE, "posting", "source_state")  # the tables whose writes this revision starts counting


def upgrade() -> None:
    for table in EDITABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    op.create_table('data_version',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_version'))
    )
    install_triggers(op.get_bind(), TABLES)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in drop_statements(dialect, TABLES):
        op.execute(statement)
    if dialect == "postgresql":
        op.execute(PG_DROP_FUNCTION)
    op.drop_table('data_version')
    for table in reversed(EDITABLE):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
