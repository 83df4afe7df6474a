"""radar: refresh runs polled by the page (one at a time, enforced here) and a paging index on posting

`refresh_run`: one row per background refresh, `active` True while it runs and NULL after, unique,
so a second run cannot start while one goes on (any tab, any process); per-source progress as JSON.
`ix_posting_first_seen_id`: the 모집 공고 page reads one page of postings, newest first.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from tracker.dataversion import drop_statements, install_triggers

revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("refresh_run",)


def upgrade() -> None:
    op.create_table('refresh_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('started', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('heartbeat', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('finished', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('new', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refresh_run')),
    sa.UniqueConstraint('active', name='uq_refresh_run_active')
    )
    install_triggers(op.get_bind(), TABLES)
    op.create_index('ix_posting_first_seen_id', 'posting', ['first_seen', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_posting_first_seen_id', table_name='posting')
    bind = op.get_bind()
    for statement in drop_statements(bind.dialect.name, TABLES):  # the shared PG function stays
        op.execute(statement)
    op.execute("DELETE FROM data_version WHERE name = 'refresh_run'")
    op.drop_table('refresh_run')
