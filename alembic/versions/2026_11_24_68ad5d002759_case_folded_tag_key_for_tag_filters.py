"""case-folded tag key for tag filters

Revision ID: 68ad5d002759
Revises: b6c604822734
Create Date: 2026-11-24 09:28:57.647170
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '68ad5d002759'
down_revision: str | None = 'b6c604822734'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('customer_tag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tag_key', sa.String(length=150), nullable=False, server_default=''))
    # Python's casefold(), not SQL lower(): SQLite's lower() leaves everything beyond ASCII alone.
    connection = op.get_bind()
    tags = [tag for (tag,) in connection.execute(sa.text('SELECT DISTINCT tag FROM customer_tag'))]
    for tag in tags:
        connection.execute(
            sa.text('UPDATE customer_tag SET tag_key = :key WHERE tag = :tag'), {'key': tag.casefold(), 'tag': tag}
        )
    with op.batch_alter_table('customer_tag', schema=None) as batch_op:
        batch_op.alter_column('tag_key', server_default=None)
        batch_op.create_index('ix_customer_tag_key', ['tag_key', 'customer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('customer_tag', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_tag_key')
        batch_op.drop_column('tag_key')

