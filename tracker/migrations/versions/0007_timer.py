"""work timers: one running timer per project, its start stored

PLACEHOLDER: filled in by the work on this capability (no schema change yet).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:00:00
"""
from typing import Sequence, Union

revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
