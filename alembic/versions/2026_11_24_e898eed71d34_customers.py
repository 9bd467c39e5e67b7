"""Customers table, list indexes and the substring search index.

Revision ID: e898eed71d34
Revises: 
Create Date: 2026-11-24 04:17:02.177840
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'e898eed71d34'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('customer',
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('mobile', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('fax', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('company_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('website', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('vat_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('position', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('footnotes', sa.Text(), nullable=True),
    sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('gender', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('ownership_type', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('picture', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('email_key', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('sort_name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('company_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index('ix_customer_active_company', ['kind', 'company_key', 'id'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('ix_customer_active_created', ['kind', 'created_at', 'id'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('ix_customer_active_email', ['kind', 'email_key', 'id'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('ix_customer_active_email_key', ['email_key'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('ix_customer_active_name', ['kind', 'sort_name', 'id'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('ix_customer_active_phone', ['kind', 'phone', 'id'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('ix_customer_deleted', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    _create_search_index()


def downgrade() -> None:
    _drop_search_index()
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_deleted', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index('ix_customer_active_phone', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_customer_active_name', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_customer_active_email_key', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_customer_active_email', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_customer_active_created', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_customer_active_company', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.drop_table('customer')


# Substring search over name, e-mail, phone and company must not scan a million rows:
# SQLite gets an FTS5 trigram index kept in step by triggers, PostgreSQL a pg_trgm GIN index.
_SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE customer_fts USING fts5("
    "search_text, content='customer', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER customer_fts_insert AFTER INSERT ON customer BEGIN "
    "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER customer_fts_delete AFTER DELETE ON customer BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER customer_fts_update AFTER UPDATE OF search_text ON customer BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]


def _create_search_index() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_SEARCH:
            op.execute(statement)
    elif dialect == "postgresql":
        # In public, where every schema's search path finds it (created in a private schema it would vanish with it).
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        op.execute("CREATE INDEX ix_customer_search_trgm ON customer USING gin (search_text gin_trgm_ops)")


def _drop_search_index() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("customer_fts_insert", "customer_fts_delete", "customer_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS customer_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_customer_search_trgm")
