"""income accounts and shipping

Revision ID: c9d0e1f2a3b4
Revises: e1f2a3b4c5d6
Create Date: 2026-12-04 22:00:00

A small chart of income accounts (seeded 4000 Sales of goods, 4400 Services, 4900 Other income) with each customer's
default and each document's account; shipping methods (seeded Standard post, Courier, Pickup by customer), each
customer's shipping address, method and delivery instructions, and the method a document was given.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c9d0e1f2a3b4"
down_revision: str | None = "e1f2a3b4c5d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCOUNTS = (("4000", "Sales of goods"), ("4400", "Services"), ("4900", "Other income"))
METHODS = ("Standard post", "Courier", "Pickup by customer")
# Where a column points at an account: (table, foreign key name); the names are PostgreSQL's, SQLite's are unnamed.
ACCOUNT_COLUMNS = (
    ("customer_sales", "fk_customer_sales_income_account_id_income_account"),
    ("sales_document", "fk_sales_document_income_account_id_income_account"),
)


def upgrade() -> None:
    income_account = op.create_table(
        "income_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", name="uq_income_account_code"),
        sqlite_autoincrement=True,
    )
    shipping_method = op.create_table(
        "shipping_method",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", name="uq_shipping_method_name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "customer_shipping",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("address_id", sa.Integer(), nullable=True),
        sa.Column("shipping_method_id", sa.Integer(), nullable=True),
        sa.Column("instructions", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["address_id"], ["customer_address.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["shipping_method_id"], ["shipping_method.id"]),
        sa.PrimaryKeyConstraint("customer_id"),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, name in ACCOUNT_COLUMNS:
        if sqlite:
            # In place: SQLite adds a column with a REFERENCES clause (default NULL) without a rebuild, and a rebuild
            # of sales_document would lose its AUTOINCREMENT.
            op.execute(f"ALTER TABLE {table} ADD COLUMN income_account_id INTEGER REFERENCES income_account (id)")
        else:
            op.add_column(table, sa.Column("income_account_id", sa.Integer(), nullable=True))
            op.create_foreign_key(name, table, "income_account", ["income_account_id"], ["id"])
    op.add_column(
        "sales_document", sa.Column("shipping_method", sa.String(length=80), nullable=False, server_default="")
    )
    op.bulk_insert(income_account, [{"code": code, "name": name, "retired": False} for code, name in ACCOUNTS])
    op.bulk_insert(shipping_method, [{"name": name, "retired": False} for name in METHODS])


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, name in ACCOUNT_COLUMNS:
        if sqlite:
            # SQLite drops a column with a foreign key only by rebuilding the table.
            autoincrement = {"sqlite_autoincrement": True} if table == "sales_document" else {}
            with op.batch_alter_table(table, recreate="always", table_kwargs=autoincrement) as batch_op:
                batch_op.drop_column("income_account_id")
                if table == "sales_document":
                    batch_op.drop_column("shipping_method")
        else:
            op.drop_constraint(name, table, type_="foreignkey")
            op.drop_column(table, "income_account_id")
    if not sqlite:
        op.drop_column("sales_document", "shipping_method")
    op.drop_table("customer_shipping")
    op.drop_table("shipping_method")
    op.drop_table("income_account")
