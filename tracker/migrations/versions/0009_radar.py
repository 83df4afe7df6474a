"""radar: columns and tables for the new sources, ranking and background refresh

PLACEHOLDER: filled in by the work on this capability (no schema change yet).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00
"""
from typing import Sequence, Union

revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
