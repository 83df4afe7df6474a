"""indexes for the SQL aggregates and paged tables

Work entries by project and day carrying the summed columns (the per project-month GROUP BY reads
only this index, and a project's month is one range of it); payments by company and work month
(the 지급 page's filters and the unbilled-work check). Indexes only: no table is rebuilt, so the
data-version triggers stay as they are.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:00:00
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

WORKLOG_COLUMNS = ["project_id", "work_date", "pay_scheme", "minutes", "items_submitted", "items_rejected", "rate"]


def upgrade() -> None:
    op.create_index("ix_worklog_project_id_work_date", "worklog", WORKLOG_COLUMNS, unique=False)
    op.create_index("ix_payment_company_id_work_month", "payment", ["company_id", "work_month"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_payment_company_id_work_month", table_name="payment")
    op.drop_index("ix_worklog_project_id_work_date", table_name="worklog")
