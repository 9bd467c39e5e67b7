"""custom fields and their values

Revision ID: b6c604822734
Revises: f863d22d880e
Create Date: 2026-11-24 08:57:58.102872
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "b6c604822734"
down_revision: str | None = "f863d22d880e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custom_field",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("field_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("applies_to", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("custom_field", schema=None) as batch_op:
        batch_op.create_index("ix_custom_field_order", ["position", "id"], unique=False)

    op.create_table(
        "custom_field_value",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["field_id"], ["custom_field.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id", "field_id"),
    )
    with op.batch_alter_table("custom_field_value", schema=None) as batch_op:
        batch_op.create_index("ix_custom_field_value_field", ["field_id", "customer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("custom_field_value", schema=None) as batch_op:
        batch_op.drop_index("ix_custom_field_value_field")

    op.drop_table("custom_field_value")
    with op.batch_alter_table("custom_field", schema=None) as batch_op:
        batch_op.drop_index("ix_custom_field_order")

    op.drop_table("custom_field")
