"""per-year income profile: wage income (근로소득), health-insurance status, 사업자등록

One row per income year (the year is the key). Its data version is counted by triggers like the
other tables (tracker/dataversion.py), so the 세금 page and the dashboard notice every edit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 11:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from tracker.dataversion import drop_statements, install_triggers

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("income_profile",)


def upgrade() -> None:
    op.create_table('income_profile',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('has_wage', sa.Boolean(), nullable=False),
    sa.Column('wage_mode', sa.Enum('receipt', 'quick', name='wagemode', native_enum=False, length=32,
                                   create_constraint=False), nullable=False),
    sa.Column('wage_taxable_base', sa.BigInteger(), nullable=True),
    sa.Column('wage_determined_tax', sa.BigInteger(), nullable=True),
    sa.Column('wage_tax_credits', sa.BigInteger(), nullable=True),
    sa.Column('total_salary', sa.BigInteger(), nullable=True),
    sa.Column('health_status', sa.Enum('dependent', 'employee', 'none', name='healthstatus', native_enum=False,
                                       length=32, create_constraint=False), nullable=False),
    sa.Column('business_registered', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_income_profile'))
    )
    install_triggers(op.get_bind(), TABLES)


def downgrade() -> None:
    bind = op.get_bind()
    for statement in drop_statements(bind.dialect.name, TABLES):  # the shared PG function stays
        op.execute(statement)
    op.execute("DELETE FROM data_version WHERE name = 'income_profile'")
    op.drop_table('income_profile')
