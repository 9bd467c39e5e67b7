"""commercial documents

Revision ID: d4e5f6a7b8c9
Revises: c3d4e5f6a7b8
Create Date: 2026-12-04 20:00:00

Tax classes, rates and rules; what each customer brings to documents; a number sequence per kind of document;
documents and their lines. Seeds the classes the issue names, a zero rate with the rules every workspace needs
(exempt and export customers, zero-rated items), and the sequences (INV-2026-00001 and the like).
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "d4e5f6a7b8c9"
down_revision: str | None = "c3d4e5f6a7b8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CUSTOMER_CLASSES = (("standard", "Standard"), ("exempt", "Exempt"), ("reverse_charge", "Reverse charge EU B2B"),
                    ("export", "Export"))
ITEM_CLASSES = (("standard", "Standard"), ("reduced", "Reduced"), ("zero", "Zero"))
SEQUENCES = (("estimate", "EST-{year}-"), ("sales_order", "SO-{year}-"), ("sales_receipt", "SR-{year}-"),
             ("invoice", "INV-{year}-"), ("credit_note", "CN-{year}-"))


def upgrade() -> None:
    tax_class = op.create_table(
        "tax_class",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "code", name="uq_tax_class_kind_code"),
        sqlite_autoincrement=True,
    )
    tax_rate = op.create_table(
        "tax_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("percent", sa.String(length=40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    tax_rule = op.create_table(
        "tax_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_class_id", sa.Integer(), nullable=False),
        sa.Column("item_class_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("rate_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_class_id"], ["tax_class.id"]),
        sa.ForeignKeyConstraint(["item_class_id"], ["tax_class.id"]),
        sa.ForeignKeyConstraint(["rate_id"], ["tax_rate.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_class_id", "item_class_id", "country", name="uq_tax_rule_classes_country"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "customer_sales",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("tax_class_id", sa.Integer(), nullable=True),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("exemption_reference", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tax_class_id"], ["tax_class.id"]),
        sa.PrimaryKeyConstraint("customer_id"),
    )
    sequence = op.create_table(
        "number_sequence",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("padding", sa.Integer(), nullable=False),
        sa.Column("next_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind"),
    )
    op.create_table(
        "sales_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("billing_address", sa.Text(), nullable=False),
        sa.Column("shipping_address", sa.Text(), nullable=False),
        sa.Column("destination_country", sa.String(length=2), nullable=False),
        sa.Column("customer_tax_class_id", sa.Integer(), nullable=True),
        sa.Column("prices_include_tax", sa.Boolean(), nullable=False),
        sa.Column("round_per_line", sa.Boolean(), nullable=False),
        sa.Column("net_minor", sa.Integer(), nullable=False),
        sa.Column("tax_minor", sa.Integer(), nullable=False),
        sa.Column("gross_minor", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["source_id"], ["sales_document.id"]),
        sa.ForeignKeyConstraint(["customer_tax_class_id"], ["tax_class.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "number", name="uq_sales_document_kind_number"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_sales_document_customer", "sales_document", ["customer_id", "created_at", "id"], unique=False)
    op.create_table(
        "sales_document_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.String(length=40), nullable=False),
        sa.Column("unit_price", sa.String(length=40), nullable=False),
        sa.Column("discount_percent", sa.String(length=40), nullable=False),
        sa.Column("item_tax_class_id", sa.Integer(), nullable=True),
        sa.Column("tax_rate", sa.String(length=40), nullable=True),
        sa.Column("net_minor", sa.Integer(), nullable=False),
        sa.Column("tax_minor", sa.Integer(), nullable=False),
        sa.Column("gross_minor", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["sales_document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_tax_class_id"], ["tax_class.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_sales_document_line_document", "sales_document_line", ["document_id", "position"], unique=False)
    _seed(tax_class, tax_rate, tax_rule, sequence)


def _seed(tax_class, tax_rate, tax_rule, sequence) -> None:
    """The classes, a zero rate with the rules that need no country's law, and the number sequences (ids come from
    the database, so its sequences stay right on PostgreSQL)."""
    bind = op.get_bind()
    rows = [{"kind": "customer", "code": c, "name": n} for c, n in CUSTOMER_CLASSES]
    bind.execute(tax_class.insert(), rows + [{"kind": "item", "code": c, "name": n} for c, n in ITEM_CLASSES])
    ids = {(kind, code): id_ for id_, kind, code in bind.execute(sa.select(tax_class.c.id, tax_class.c.kind,
                                                                             tax_class.c.code))}
    bind.execute(tax_rate.insert(), [{"name": "No tax (0 %)", "percent": "0", "valid_from": date(2000, 1, 1)}])
    zero = bind.execute(sa.select(tax_rate.c.id)).scalar_one()
    zero_rated = [(c, i) for c in ("exempt", "reverse_charge", "export") for i in ("standard", "reduced", "zero")]
    zero_rated.append(("standard", "zero"))
    bind.execute(
        tax_rule.insert(),
        [{"customer_class_id": ids[("customer", c)], "item_class_id": ids[("item", i)], "country": "", "rate_id": zero}
         for c, i in zero_rated],
    )
    bind.execute(sequence.insert(), [{"kind": k, "prefix": p, "padding": 5, "next_value": 1} for k, p in SEQUENCES])


def downgrade() -> None:
    op.drop_index("ix_sales_document_line_document", table_name="sales_document_line")
    op.drop_table("sales_document_line")
    op.drop_index("ix_sales_document_customer", table_name="sales_document")
    op.drop_table("sales_document")
    op.drop_table("number_sequence")
    op.drop_table("customer_sales")
    op.drop_table("tax_rule")
    op.drop_table("tax_rate")
    op.drop_table("tax_class")
