"""customer portal

Revision ID: c3d4e5f6a7b8
Revises: b2c3d4e5f6a7
Create Date: 2026-12-04 19:30:00

Portal accounts, their access to customers and their sessions; each customer's portal sections and language; the
portal's settings and welcome e-mail; sign-in attempts counted per realm (staff or portal).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "c3d4e5f6a7b8"
down_revision: str | None = "b2c3d4e5f6a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portal_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("email_key", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email_key"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "portal_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("invited_by_name", sa.String(length=200), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["portal_account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", "account_id", name="uq_portal_grant_customer_account"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_portal_grant_account", "portal_grant", ["account_id"], unique=False)
    op.create_table(
        "portal_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["portal_account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_portal_session_account_id", "portal_session", ["account_id"], unique=False)
    op.create_table(
        "portal_sections",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("sections", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id"),
    )
    op.create_table(
        "portal_email_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("new_email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["portal_account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "portal_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("default_sections", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "portal_template",
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("language"),
    )
    # In place (no batch): rebuilding the customer table on SQLite would drop its search triggers.
    op.add_column("customer", sa.Column("language", sa.String(length=8), nullable=True))
    with op.batch_alter_table("sign_in_attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("realm", sa.String(length=8), nullable=False, server_default="staff"))
        batch_op.drop_index("ix_sign_in_attempt_address")
        batch_op.drop_index("ix_sign_in_attempt_email")
        batch_op.create_index("ix_sign_in_attempt_address", ["address", "realm", "at"], unique=False)
        batch_op.create_index("ix_sign_in_attempt_email", ["email_key", "realm", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sign_in_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_attempt_email")
        batch_op.drop_index("ix_sign_in_attempt_address")
        batch_op.create_index("ix_sign_in_attempt_email", ["email_key", "at"], unique=False)
        batch_op.create_index("ix_sign_in_attempt_address", ["address", "at"], unique=False)
        batch_op.drop_column("realm")
    op.drop_column("customer", "language")
    op.drop_table("portal_template")
    op.drop_table("portal_settings")
    op.drop_table("portal_email_change")
    op.drop_table("portal_sections")
    op.drop_index("ix_portal_session_account_id", table_name="portal_session")
    op.drop_table("portal_session")
    op.drop_index("ix_portal_grant_account", table_name="portal_grant")
    op.drop_table("portal_grant")
    op.drop_table("portal_account")
