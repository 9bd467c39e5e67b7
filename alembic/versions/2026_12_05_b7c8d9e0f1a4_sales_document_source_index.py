"""sales document source index

Revision ID: b7c8d9e0f1a4
Revises: f2a3b4c5d6e7
Create Date: 2026-12-05 01:50:00

The Invoices tab, the kept balances and a document's "made from" links look documents up by the document they were
made from (a credit note by the invoice it credits). Without an index each invoice shown scanned every document:
bench/bench_documents.py measured 8 s for a customer's open invoices with 50,000 documents in all.
Partial (only documents made from another): most documents have none, and an index of all of them looks to SQLite's
statistics like one value shared by every row, so its planner would keep scanning.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "b7c8d9e0f1a4"
down_revision: str | None = "f2a3b4c5d6e7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    made_from = sa.text("source_id IS NOT NULL")
    op.create_index(
        "ix_sales_document_source", "sales_document", ["source_id"], sqlite_where=made_from, postgresql_where=made_from
    )


def downgrade() -> None:
    op.drop_index("ix_sales_document_source", table_name="sales_document")
