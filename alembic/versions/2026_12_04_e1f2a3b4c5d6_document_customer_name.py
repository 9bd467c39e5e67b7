"""document customer name

Revision ID: e1f2a3b4c5d6
Revises: d0e1f2a3b4c5
Create Date: 2026-12-04 22:10:00

An issued document keeps the customer's name as it was at issue, so renaming the customer later never changes an
invoice already sent; documents issued before this keep the name the customer has now.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1f2a3b4c5d6"
down_revision: str | None = "d0e1f2a3b4c5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("sales_document", sa.Column("customer_name", sa.String(length=300), nullable=False, server_default=""))
    op.execute(
        "UPDATE sales_document SET customer_name = "
        "(SELECT display_name FROM customer WHERE customer.id = sales_document.customer_id) "
        "WHERE status <> 'draft'"
    )


def downgrade() -> None:
    with op.batch_alter_table("sales_document", schema=None) as batch_op:
        batch_op.drop_column("customer_name")
