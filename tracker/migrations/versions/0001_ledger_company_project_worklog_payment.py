"""ledger: company, project, worklog, payment

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 03:18:15.525520
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('company',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sa.Enum('platform', 'agency', 'government', 'other', name='companykind', native_enum=False, length=32), nullable=False),
    sa.Column('website', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('pay_months_after', sa.Integer(), nullable=False),
    sa.Column('pay_day', sa.Integer(), nullable=False),
    sa.Column('withholding_kind', sa.Enum('business', 'other', 'none', name='withholdingkind', native_enum=False, length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company')),
    sa.UniqueConstraint('name', name='uq_company_name')
    )
    op.create_table('project',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('task_type', sa.Enum('bounding_box', 'polygon', 'keypoint', 'segmentation', 'ocr', 'transcription', 'classification', 'text_collection', 'inspection', 'other', name='tasktype', native_enum=False, length=32), nullable=False),
    sa.Column('role', sa.Enum('worker', 'inspector', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('pay_scheme', sa.Enum('per_item', 'per_hour', 'fixed', name='payscheme', native_enum=False, length=32), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.Enum('interested', 'applied', 'pretest', 'selected', 'in_progress', 'inspecting', 'completed', 'rejected', 'stopped', name='projectstatus', native_enum=False, length=32), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('remote', sa.Boolean(), nullable=False),
    sa.Column('certificate', sa.Enum('none', 'aide2', 'aide1', name='certificate', native_enum=False, length=32), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_project_company_id_company'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('company_id', 'name', name='uq_project_company_name')
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_posting_id'), ['posting_id'], unique=False)

    op.create_table('payment',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('work_month', sa.Date(), nullable=False),
    sa.Column('gross', sa.BigInteger(), nullable=False),
    sa.Column('income_tax', sa.BigInteger(), nullable=False),
    sa.Column('local_tax', sa.BigInteger(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('expected_date', sa.Date(), nullable=True),
    sa.Column('received_date', sa.Date(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_payment_company_id_company'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_payment_project_id_project'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_expected_date'), ['expected_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_work_month'), ['work_month'], unique=False)

    op.create_table('worklog',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('items_submitted', sa.Integer(), nullable=False),
    sa.Column('items_rejected', sa.Integer(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rate', sa.BigInteger(), nullable=False),
    sa.Column('pay_scheme', sa.Enum('per_item', 'per_hour', 'fixed', name='payscheme', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_worklog_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worklog'))
    )
    with op.batch_alter_table('worklog', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worklog_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_worklog_work_date'), ['work_date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('worklog', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worklog_work_date'))
        batch_op.drop_index(batch_op.f('ix_worklog_project_id'))

    op.drop_table('worklog')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_work_month'))
        batch_op.drop_index(batch_op.f('ix_payment_project_id'))
        batch_op.drop_index(batch_op.f('ix_payment_expected_date'))
        batch_op.drop_index(batch_op.f('ix_payment_company_id'))

    op.drop_table('payment')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_posting_id'))
        batch_op.drop_index(batch_op.f('ix_project_company_id'))

    op.drop_table('project')
    op.drop_table('company')
