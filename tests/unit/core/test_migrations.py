"""Migrations that rebuild tables keep every row, on the database people already have."""

import re

from sqlalchemy import Engine, text

from customer_app.core.columns import utcnow
from customer_app.core.db import make_engine
from customer_app.core.migrations import migrate

BEFORE_AUTOINCREMENT = "a3c91e5d7b20"
BEFORE_JOBS = "c7e2f4a81d36"


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def _customer_with_work(engine: Engine) -> int:
    now = {"now": utcnow()}
    with engine.begin() as connection:
        customer = connection.execute(
            text(
                "INSERT INTO customer (kind, display_name, sort_name, search_text, created_at, updated_at, version) "
                "VALUES ('individual', 'Ada Lee', 'lee ada', 'ada lee', :now, :now, 1) RETURNING id"
            ),
            now,
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO customer_note (customer_id, author_name, body, created_at) "
                "VALUES (:id, 'Sam', 'Call back on Monday', :now)"
            ),
            now | {"id": customer},
        )
        ticket = connection.execute(
            text(
                "INSERT INTO ticket (customer_id, subject, description, priority, status, created_by_name, "
                "created_at, updated_at) VALUES (:id, 'Broken', '', 'normal', 'new', 'Sam', :now, :now) RETURNING id"
            ),
            now | {"id": customer},
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO ticket_status_change (ticket_id, from_status, to_status, changed_by_name, at) "
                "VALUES (:ticket, '', 'new', 'Sam', :now)"
            ),
            now | {"ticket": ticket},
        )
    return customer


def test_rebuilding_tables_for_autoincrement_keeps_every_row_and_the_search_index(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'people-already-have.db'}")
    try:
        migrate(engine, BEFORE_AUTOINCREMENT)
        customer = _customer_with_work(engine)
        migrate(engine)
        assert [_count(engine, t) for t in ("customer", "customer_note", "ticket", "ticket_status_change")] == [1] * 4
        with engine.connect() as connection:
            found = connection.execute(text("SELECT rowid FROM customer_fts WHERE customer_fts MATCH '\"ada\"'"))
            assert found.scalars().all() == [customer]
            tables = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all()
        with_ids = {name for name, sql in tables if sql and re.search(r"\bid INTEGER NOT NULL", sql)}
        assert with_ids
        assert all("AUTOINCREMENT" in sql for name, sql in tables if name in with_ids)
        with engine.begin() as connection:  # foreign keys are on again for the app: a purge takes the notes along
            connection.execute(text("DELETE FROM customer WHERE id = :id"), {"id": customer})
        assert _count(engine, "customer_note") == 0
    finally:
        engine.dispose()


def test_imports_the_old_runner_left_running_are_failed_so_they_block_nothing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'mid-import.db'}")
    try:
        migrate(engine, BEFORE_JOBS)
        with engine.begin() as connection:
            for status in ("running", "cancelling", "done"):
                connection.execute(
                    text(
                        "INSERT INTO import_job (created_at, created_by_name, file_name, stored_as, sheet, mode, "
                        "match_on, mapping, status, total_rows, done_rows, created_count, updated_count, "
                        "unchanged_count, skipped_count, error_count, message) VALUES (:now, 'Ada', 'a.csv', '', '', "
                        "'both', 'email', '[]', :status, 10, 5, 5, 0, 0, 0, 0, '')"
                    ),
                    {"now": utcnow(), "status": status},
                )
        migrate(engine)
        with engine.connect() as connection:
            statuses = connection.execute(text("SELECT status FROM import_job ORDER BY id")).scalars().all()
        assert statuses == ["failed", "failed", "done"]
    finally:
        engine.dispose()
