"""durable background jobs

Revision ID: e5c9f2a1b6d3
Revises: d4b8e1f09a52
Create Date: 2026-12-04 14:20:00

Long work (imports, their undo) becomes a row any worker can run, held by a lease its runner renews; a worker that
dies stops renewing and another takes the job over.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'e5c9f2a1b6d3'
down_revision: str | None = 'd4b8e1f09a52'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'background_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=True),
        sa.Column('params', sa.Text(), nullable=False),
        sa.Column('actor', sa.Text(), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('lease_owner', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('result', sa.Text(), nullable=False),
        sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.create_index('ix_background_job_pending', ['status', 'lease_until', 'id'], unique=False)
    # Imports the old thread runner left running belong to no job: nothing would ever finish them, and they would
    # block every later import. What they committed stays, and can be undone.
    op.execute(
        "UPDATE import_job SET status = 'failed', "
        "message = 'Stopped when the workspace was upgraded; what it imported can be undone.' "
        "WHERE status IN ('running', 'cancelling')"
    )


def downgrade() -> None:
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.drop_index('ix_background_job_pending')
    op.drop_table('background_job')
