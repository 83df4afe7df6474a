"""app settings and the digest's memory of what it sent

`app_setting`: one row per setting of the 설정 page (key, JSON value, edit version).
`digest_log`: one row per digest sent on one channel (when, which item keys, subject, text), so an
item is sent once per channel. Both tables' data versions are counted by triggers like the others
(tracker/dataversion.py).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from tracker.dataversion import drop_statements, install_triggers

revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("app_setting", "digest_log")


def upgrade() -> None:
    op.create_table('app_setting',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_setting'))
    )
    op.create_table('digest_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('item_keys', sa.Text(), nullable=False),
    sa.Column('items_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_log'))
    )
    op.create_index(op.f('ix_digest_log_channel'), 'digest_log', ['channel'], unique=False)
    op.create_index(op.f('ix_digest_log_sent_at'), 'digest_log', ['sent_at'], unique=False)
    install_triggers(op.get_bind(), TABLES)


def downgrade() -> None:
    bind = op.get_bind()
    for statement in drop_statements(bind.dialect.name, TABLES):  # the shared PG function stays
        op.execute(statement)
    op.execute("DELETE FROM data_version WHERE name IN ('app_setting', 'digest_log')")
    op.drop_index(op.f('ix_digest_log_sent_at'), table_name='digest_log')
    op.drop_index(op.f('ix_digest_log_channel'), table_name='digest_log')
    op.drop_table('digest_log')
    op.drop_table('app_setting')
