"""spreadsheet import: a stable key per imported row

PLACEHOLDER: filled in by the work on this capability (no schema change yet).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:00:00
"""
from typing import Sequence, Union

revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
