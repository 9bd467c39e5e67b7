"""ticket replies

Revision ID: b2c3d4e5f6a7
Revises: f1a2b3c4d5e6
Create Date: 2026-12-04 19:00:00

A ticket gets a thread of replies, written by staff on the customer page or by the customer in the portal, and says
whether the customer opened it in the portal. Replies go with their ticket.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'b2c3d4e5f6a7'
down_revision: str | None = 'f1a2b3c4d5e6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing tickets were all opened by staff. Added in place: a batch would rebuild SQLite's table without
    # AUTOINCREMENT; the default stays for the same reason (dropping it would rebuild the table too).
    op.add_column('ticket', sa.Column('from_customer', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('ticket_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('from_customer', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('ticket_reply', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_reply_ticket', ['ticket_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ticket_reply', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_reply_ticket')
    op.drop_table('ticket_reply')
    # SQLite drops the column by rebuilding the table, which must keep AUTOINCREMENT (ids are never reused).
    with op.batch_alter_table('ticket', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_column('from_customer')
