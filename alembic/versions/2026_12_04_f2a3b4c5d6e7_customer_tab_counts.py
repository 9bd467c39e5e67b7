"""customer tab counts

Revision ID: f2a3b4c5d6e7
Revises: a3b4c5d6e7f8
Create Date: 2026-12-04 23:30:00

How many customers each tab (Individuals, Institutions, Trash) holds, kept by database triggers in the same
transaction as every write to `customer`, so a page load reads three numbers instead of counting a million rows.
Triggers rather than service code: every path that moves a customer between tabs (create, kind change, trash,
restore, purge, import, undo, Remove all, a restore of a backup, plain SQL) is covered without being listed.

SQLite (one writer at a time) updates one row per tab. PostgreSQL appends one row of differences per statement
(statement-level triggers over transition tables, so a COPY or a bulk UPDATE costs one insert) and now and then folds
the rows into one per tab when no other transaction is folding: concurrent writers never wait on a shared counter row.
A tab's count is the sum of its rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "f2a3b4c5d6e7"
down_revision: str | None = "a3b4c5d6e7f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABS = ("individual", "institution", "trash")
_TAB_OF = "CASE WHEN {row}.deleted_at IS NULL THEN {row}.kind ELSE 'trash' END"

_SQLITE = [
    "CREATE TRIGGER customer_tab_count_insert AFTER INSERT ON customer BEGIN "
    "UPDATE customer_tab_count SET customers = customers + 1 WHERE tab = {new}; END",
    "CREATE TRIGGER customer_tab_count_delete AFTER DELETE ON customer BEGIN "
    "UPDATE customer_tab_count SET customers = customers - 1 WHERE tab = {old}; END",
    "CREATE TRIGGER customer_tab_count_update AFTER UPDATE OF kind, deleted_at ON customer WHEN {old} IS NOT {new} "
    "BEGIN UPDATE customer_tab_count SET customers = customers - 1 WHERE tab = {old}; "
    "UPDATE customer_tab_count SET customers = customers + 1 WHERE tab = {new}; END",
]

# One advisory lock key for folding; any constant unlikely to be used elsewhere.
_FOLD_LOCK = 7_310_424_871
_FOLD_EVERY = 64  # statements per fold, on average: the rows a tab's count sums stay few

_POSTGRES_FUNCTION = f"""
CREATE FUNCTION customer_tab_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO customer_tab_count (tab, customers)
        SELECT {_TAB_OF.format(row="added")}, count(*) FROM added GROUP BY 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO customer_tab_count (tab, customers)
        SELECT {_TAB_OF.format(row="removed")}, -count(*) FROM removed GROUP BY 1;
    ELSE
        INSERT INTO customer_tab_count (tab, customers)
        SELECT tab, sum(change) FROM (
            SELECT {_TAB_OF.format(row="removed")} AS tab, -1 AS change FROM removed
            UNION ALL SELECT {_TAB_OF.format(row="added")}, 1 FROM added
        ) AS moves GROUP BY tab HAVING sum(change) <> 0;
    END IF;
    -- Now and then (one statement in FOLD_EVERY, so rows stay few and a write one at a time stays cheap: folding
    -- every statement tripled the cost of inserting rows one by one), fold into one row per tab unless another
    -- transaction is folding (it holds the lock until it commits). Only under READ COMMITTED: a stricter snapshot
    -- could meet rows another fold removed and fail the write.
    IF random() * {_FOLD_EVERY} < 1 AND current_setting('transaction_isolation') = 'read committed'
        AND pg_try_advisory_xact_lock({_FOLD_LOCK}) THEN
        WITH gone AS (DELETE FROM customer_tab_count RETURNING tab, customers)
        INSERT INTO customer_tab_count (tab, customers) SELECT tab, sum(customers) FROM gone GROUP BY tab;
    END IF;
    RETURN NULL;
END $$
"""

_POSTGRES_TRIGGERS = [
    "CREATE TRIGGER customer_tab_count_insert AFTER INSERT ON customer REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION customer_tab_count_change()",
    "CREATE TRIGGER customer_tab_count_delete AFTER DELETE ON customer REFERENCING OLD TABLE AS removed "
    "FOR EACH STATEMENT EXECUTE FUNCTION customer_tab_count_change()",
    "CREATE TRIGGER customer_tab_count_update AFTER UPDATE ON customer REFERENCING OLD TABLE AS removed "
    "NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION customer_tab_count_change()",
]


def upgrade() -> None:
    op.create_table(
        "customer_tab_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tab", sa.String(length=16), nullable=False),
        sa.Column("customers", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # Writers wait for this migration's lock on customer, so nobody changes a tab between backfill and trigger.
        op.execute("LOCK TABLE customer IN SHARE MODE")
    for tab in TABS:  # the backfill: SQLite's triggers update these rows, so every tab has one
        op.execute(
            sa.text(
                "INSERT INTO customer_tab_count (tab, customers) SELECT :tab, count(*) FROM customer "
                f"WHERE {_TAB_OF.format(row='customer')} = :tab"
            ).bindparams(tab=tab)
        )
    if dialect == "sqlite":
        new, old = _TAB_OF.format(row="new"), _TAB_OF.format(row="old")
        for statement in _SQLITE:
            op.execute(statement.format(new=new, old=old))
    elif dialect == "postgresql":
        op.execute(_POSTGRES_FUNCTION)
        for statement in _POSTGRES_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    for name in ("customer_tab_count_insert", "customer_tab_count_delete", "customer_tab_count_update"):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON customer")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS customer_tab_count_change()")
    op.drop_table("customer_tab_count")
