"""pay shift per company, deposits

Existing companies keep moving a holiday pay day to the next business day (server default).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:47:07.004878
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('deposit',
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('gross', sa.BigInteger(), nullable=False),
    sa.Column('income_tax', sa.BigInteger(), nullable=False),
    sa.Column('local_tax', sa.BigInteger(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_deposit_payment_id_payment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deposit'))
    )
    with op.batch_alter_table('deposit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deposit_payment_id'), ['payment_id'], unique=False)

    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pay_shift', sa.Enum('next', 'previous', 'none', name='payshift', native_enum=False, length=32), nullable=False, server_default='next'))



def downgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('pay_shift')

    with op.batch_alter_table('deposit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deposit_payment_id'))

    op.drop_table('deposit')
