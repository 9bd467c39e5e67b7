"""import header row

Revision ID: f1a2b3c4d5e6
Revises: e5c9f2a1b6d3
Create Date: 2026-12-04 15:20:00

An import keeps the line its header is on: files other systems export often start with a title or a report name,
and the admin may choose another row than the one found.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f1a2b3c4d5e6"
down_revision: str | None = "e5c9f2a1b6d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("header_line", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.drop_column("header_line")
