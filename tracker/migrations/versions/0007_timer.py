"""work timers: one running timer per project, its start stored

Table `timer`: the project (key, deleted with it), when the timer started (UTC) and an edit version.
A running timer survives a rerun, a closed tab and a restart; stopping it removes the row
(tracker/timer.py). Its data version is counted by triggers like the other tables.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from tracker.dataversion import drop_statements, install_triggers

revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("timer",)


def upgrade() -> None:
    op.create_table('timer',
    sa.Column('project_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_timer_project_id_project'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_timer'))
    )
    install_triggers(op.get_bind(), TABLES)


def downgrade() -> None:
    bind = op.get_bind()
    for statement in drop_statements(bind.dialect.name, TABLES):  # the shared PG function stays
        op.execute(statement)
    op.execute("DELETE FROM data_version WHERE name = 'timer'")
    op.drop_table('timer')
