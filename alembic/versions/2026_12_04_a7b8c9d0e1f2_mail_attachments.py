"""mail attachments

Revision ID: a7b8c9d0e1f2
Revises: e5f6a7b8c9d0
Create Date: 2026-12-04 20:30:00

An e-mail may carry one file (a document's PDF), kept with the message until it is delivered.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7b8c9d0e1f2"
down_revision: str | None = "e5f6a7b8c9d0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # In place (no batch): rebuilding the table on SQLite would lose its AUTOINCREMENT.
    op.add_column("outbox_message", sa.Column("attachment_name", sa.String(length=200), nullable=False, server_default=""))
    op.add_column("outbox_message", sa.Column("attachment", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("attachment")
        batch_op.drop_column("attachment_name")
