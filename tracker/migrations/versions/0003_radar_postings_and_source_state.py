"""radar: postings and source state

project.posting_id becomes a foreign key (SQLite recreates the table: run with foreign keys off).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:59:45.120786
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('posting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('source_kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('organization', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=900), nullable=False),
    sa.Column('published', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('pay_text', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('pay_amount', sa.BigInteger(), nullable=True),
    sa.Column('pay_unit', sa.Enum('item', 'hour', 'month', name='payunit', native_enum=False, length=32), nullable=True),
    sa.Column('task_types', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('remote', sa.Boolean(), nullable=False),
    sa.Column('certificate', sa.Enum('none', 'aide2', 'aide1', name='certificate', native_enum=False, length=32), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('status', sa.Enum('new', 'saved', 'applied', 'hidden', name='postingstatus', native_enum=False, length=32), nullable=False),
    sa.Column('first_seen', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_seen', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting')),
    sa.UniqueConstraint('dedupe_key', name='uq_posting_dedupe_key'),
    sa.UniqueConstraint('url', name='uq_posting_url')
    )
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posting_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_posting_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_posting_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_posting_status'), ['status'], unique=False)

    op.create_table('source_state',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('last_run', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_success', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('new_count', sa.Integer(), nullable=False),
    sa.Column('layout_warning', sa.Boolean(), nullable=False),
    sa.Column('etag', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('last_modified', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_source_state'))
    )
    # No posting existed before this revision, so no project can point at one yet.
    op.execute("UPDATE project SET posting_id = NULL WHERE posting_id IS NOT NULL")
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_project_posting_id_posting'), 'posting', ['posting_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_project_posting_id_posting'), type_='foreignkey')

    op.drop_table('source_state')
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posting_status'))
        batch_op.drop_index(batch_op.f('ix_posting_source'))
        batch_op.drop_index(batch_op.f('ix_posting_published'))
        batch_op.drop_index(batch_op.f('ix_posting_deadline'))

    op.drop_table('posting')
