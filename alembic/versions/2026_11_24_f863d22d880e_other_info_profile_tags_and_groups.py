"""Other info: profile, tags and groups

Revision ID: f863d22d880e
Revises: 86858adf25ea
Create Date: 2026-11-24 08:13:15.080925
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'f863d22d880e'
down_revision: str | None = '86858adf25ea'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('customer_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('customer_group_member',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['customer_group.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', 'group_id')
    )
    with op.batch_alter_table('customer_group_member', schema=None) as batch_op:
        batch_op.create_index('ix_customer_group_member_group', ['group_id', 'customer_id'], unique=False)

    op.create_table('customer_profile',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('business_number', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('sales_rep_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sales_rep_id'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('customer_id')
    )
    op.create_table('customer_tag',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('tag', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', 'tag')
    )
    with op.batch_alter_table('customer_tag', schema=None) as batch_op:
        batch_op.create_index('ix_customer_tag_tag', ['tag', 'customer_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('customer_tag', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_tag_tag')

    op.drop_table('customer_tag')
    op.drop_table('customer_profile')
    with op.batch_alter_table('customer_group_member', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_group_member_group')

    op.drop_table('customer_group_member')
    op.drop_table('customer_group')
