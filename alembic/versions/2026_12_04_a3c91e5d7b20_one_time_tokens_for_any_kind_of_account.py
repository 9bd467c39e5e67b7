"""one-time tokens for any kind of account

Revision ID: a3c91e5d7b20
Revises: 68ad5d002759
Create Date: 2026-12-04 10:20:00

A token names its subject (a kind of account and its id) instead of pointing at staff_user, so portal accounts
can get invitation and reset links too. Existing tokens keep working: they become the staff's.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a3c91e5d7b20'
down_revision: str | None = '68ad5d002759'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite's foreign key has no name; naming it lets batch mode drop it.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
SQLITE_FK = "fk_one_time_token_user_id_staff_user"
POSTGRES_FK = "one_time_token_user_id_fkey"


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table('one_time_token', naming_convention=NAMING if sqlite else None) as batch_op:
        batch_op.drop_constraint(SQLITE_FK if sqlite else POSTGRES_FK, type_='foreignkey')
        batch_op.drop_index('ix_one_time_token_user_id')
        batch_op.alter_column('user_id', new_column_name='subject_id', existing_type=sa.Integer(), existing_nullable=False)
        batch_op.add_column(sa.Column('subject_type', sa.String(length=16), nullable=False, server_default='staff'))
    with op.batch_alter_table('one_time_token') as batch_op:
        batch_op.alter_column('subject_type', server_default=None, existing_type=sa.String(length=16))
        batch_op.create_index(
            'ix_one_time_token_subject', ['subject_type', 'subject_id', 'purpose', 'created_at'], unique=False
        )


def downgrade() -> None:
    op.execute("DELETE FROM one_time_token WHERE subject_type <> 'staff'")
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table('one_time_token', naming_convention=NAMING if sqlite else None) as batch_op:
        batch_op.drop_index('ix_one_time_token_subject')
        batch_op.drop_column('subject_type')
        batch_op.alter_column('subject_id', new_column_name='user_id', existing_type=sa.Integer(), existing_nullable=False)
    with op.batch_alter_table('one_time_token', naming_convention=NAMING if sqlite else None) as batch_op:
        batch_op.create_index('ix_one_time_token_user_id', ['user_id'], unique=False)
        batch_op.create_foreign_key(SQLITE_FK if sqlite else POSTGRES_FK, 'staff_user', ['user_id'], ['id'])
