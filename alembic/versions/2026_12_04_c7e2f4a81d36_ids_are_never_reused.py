"""ids are never reused

Revision ID: c7e2f4a81d36
Revises: a3c91e5d7b20
Create Date: 2026-12-04 10:20:00

SQLite hands out the highest id again once that row is deleted, unless the table says AUTOINCREMENT: undoing an
old import could then touch an unrelated newer customer, and a purged customer's history showed up on the
newcomer. Every table with an `id` is rebuilt with AUTOINCREMENT (PostgreSQL's sequences never go back).
Import changes get a real foreign key to their customer, so a purged customer takes its import records along.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c7e2f4a81d36'
down_revision: str | None = 'a3c91e5d7b20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "customer", "staff_user", "staff_session", "sign_in_attempt", "one_time_token", "audit_event", "outbox_message",
    "customer_note", "ticket", "ticket_status_change", "activity", "customer_contact", "contact_person",
    "customer_address", "custom_field", "customer_group", "import_job", "import_change", "import_mapping",
    "export_config", "download_link",
)
FK = "fk_import_change_customer_id_customer"


def _rebuild(autoincrement: bool) -> None:
    """Rebuild each table (SQLite cannot add AUTOINCREMENT in place); the customer search triggers go with the old
    table, so they are put back. env.py turns foreign keys off for the run and checks them afterwards."""
    connection = op.get_bind()
    triggers = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customer'"
    ).scalars().all()
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass
    for trigger in triggers:
        connection.exec_driver_sql(trigger)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.execute("DELETE FROM import_change WHERE customer_id NOT IN (SELECT id FROM customer)")
    with op.batch_alter_table('import_change') as batch_op:
        batch_op.create_foreign_key(FK, 'customer', ['customer_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index('ix_import_change_customer', ['customer_id'], unique=False)
    if sqlite:
        _rebuild(autoincrement=True)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _rebuild(autoincrement=False)
    with op.batch_alter_table('import_change') as batch_op:
        batch_op.drop_index('ix_import_change_customer')
        batch_op.drop_constraint(FK, type_='foreignkey')
