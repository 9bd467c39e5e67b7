"""sales policy

Revision ID: a3b4c5d6e7f8
Revises: b8c9d0e1f2a3
Create Date: 2026-12-04 22:50:00

The company's choices for new documents: tax rounded per line instead of once per rate, prices typed with tax
included, and a customer's currency locked once documents have been issued for them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a3b4c5d6e7f8"
down_revision: str | None = "b8c9d0e1f2a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("round_per_line", "prices_include_tax", "lock_currency")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("commerce_settings", sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("commerce_settings", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.drop_column(name)
