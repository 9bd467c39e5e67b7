"""trash batches

Revision ID: d4b8e1f09a52
Revises: c7e2f4a81d36
Create Date: 2026-12-04 14:00:00

Every Trash action becomes a batch (who, when, how many) and each customer in Trash names its batch, so a mistaken
bulk Trash can be restored in one action. Customers already in Trash are grouped by the moment they went there
(one Trash action stamps all its customers with the same time), with who did it taken from the audit trail.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'd4b8e1f09a52'
down_revision: str | None = 'c7e2f4a81d36'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IN_BATCH = sa.text('trash_batch_id IS NOT NULL')
FK = 'fk_customer_trash_batch_id_trash_batch'

# The newest "delete" audit event of a batch's first customer says who moved the batch to Trash.
_LAST_DELETE = (
    "FROM audit_event a WHERE a.entity_type = 'customer' AND a.action = 'delete' AND a.entity_id = "
    "(SELECT min(c.id) FROM customer c WHERE c.trash_batch_id = trash_batch.id) ORDER BY a.id DESC LIMIT 1"
)


def upgrade() -> None:
    op.create_table('trash_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('moved', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True,
    )
    if op.get_bind().dialect.name == 'sqlite':
        # In place: rebuilding the customer table would drop its search triggers, and SQLite may add a column with
        # a REFERENCES clause (default NULL) without a rebuild.
        op.execute(
            'ALTER TABLE customer ADD COLUMN trash_batch_id INTEGER REFERENCES trash_batch (id)'
        )
    else:
        op.add_column('customer', sa.Column('trash_batch_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FK, 'customer', 'trash_batch', ['trash_batch_id'], ['id'])
    op.create_index(
        'ix_customer_trash_batch', 'customer', ['trash_batch_id'], unique=False,
        sqlite_where=IN_BATCH, postgresql_where=IN_BATCH,
    )
    _group_what_is_in_trash()


def _group_what_is_in_trash() -> None:
    op.execute(
        "INSERT INTO trash_batch (at, actor_id, actor_name, label, moved) "
        "SELECT deleted_at, NULL, '', '', count(*) FROM customer WHERE deleted_at IS NOT NULL "
        "GROUP BY deleted_at ORDER BY deleted_at"
    )
    op.create_index('ix_trash_batch_at_tmp', 'trash_batch', ['at'])
    op.execute(
        "UPDATE customer SET trash_batch_id = (SELECT b.id FROM trash_batch b WHERE b.at = customer.deleted_at) "
        "WHERE deleted_at IS NOT NULL"
    )
    op.drop_index('ix_trash_batch_at_tmp', 'trash_batch')
    op.execute(
        f"UPDATE trash_batch SET actor_id = (SELECT a.actor_id {_LAST_DELETE}), "
        f"actor_name = COALESCE((SELECT coalesce(s.name, a.actor_email) "
        f"FROM audit_event a LEFT JOIN staff_user s ON s.id = a.actor_id "
        f"WHERE a.id = (SELECT a.id {_LAST_DELETE})), '')"
    )


def downgrade() -> None:
    op.drop_index(
        'ix_customer_trash_batch', 'customer', sqlite_where=IN_BATCH, postgresql_where=IN_BATCH,
    )
    connection = op.get_bind()
    if connection.dialect.name == 'sqlite':
        # SQLite drops a column with a foreign key only by rebuilding the table; the search triggers go with the old
        # table, so they are put back.
        triggers = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customer'"
        ).scalars().all()
        with op.batch_alter_table(
            'customer', recreate='always', table_kwargs={'sqlite_autoincrement': True}
        ) as batch_op:
            batch_op.drop_column('trash_batch_id')
        for trigger in triggers:
            connection.exec_driver_sql(trigger)
    else:
        op.drop_constraint(FK, 'customer', type_='foreignkey')
        op.drop_column('customer', 'trash_batch_id')
    op.drop_table('trash_batch')
