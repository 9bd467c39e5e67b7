"""customer balances

Revision ID: d0e1f2a3b4c5
Revises: a7b8c9d0e1f2
Create Date: 2026-12-04 22:00:00

What each customer owes per currency, kept up to date by the services that change it (commerce/open_balances.py), so
the customers list can show and filter by it. A row exists only while something is owed; filled here from the issued
invoices and the payments allocated to them, as balances.py derives it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0e1f2a3b4c5"
down_revision: str | None = "a7b8c9d0e1f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each issued, not cancelled invoice's gross amount less the payments (not refunds) allocated to it, summed per
# customer and currency over the invoices with something left.
BACKFILL = """
INSERT INTO customer_balance (customer_id, currency, open_minor)
SELECT customer_id, currency, SUM(left_minor) FROM (
    SELECT d.customer_id, d.currency, d.gross_minor - COALESCE((
        SELECT SUM(a.amount_minor) FROM payment_allocation AS a JOIN payment AS p ON p.id = a.payment_id
        WHERE a.document_id = d.id AND p.kind = 'payment'
    ), 0) AS left_minor
    FROM sales_document AS d
    WHERE d.kind = 'invoice' AND d.status NOT IN ('draft', 'cancelled')
) AS invoices
WHERE left_minor > 0
GROUP BY customer_id, currency
"""


def upgrade() -> None:
    op.create_table(
        "customer_balance",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id", "currency"),
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_table("customer_balance")
