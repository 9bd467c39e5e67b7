"""Customer contacts and contact persons

Revision ID: f8b284dcd52e
Revises: 44f1d292eb0c
Create Date: 2026-11-24 07:55:25.627629
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'f8b284dcd52e'
down_revision: str | None = '44f1d292eb0c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('contact_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('position', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contact_person', schema=None) as batch_op:
        batch_op.create_index('ix_contact_person_customer', ['customer_id', 'id'], unique=False)

    op.create_table('customer_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('chosen', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('customer_contact', schema=None) as batch_op:
        batch_op.create_index('ix_customer_contact_customer', ['customer_id', 'channel', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('customer_contact', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_contact_customer')

    op.drop_table('customer_contact')
    with op.batch_alter_table('contact_person', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_person_customer')

    op.drop_table('contact_person')
