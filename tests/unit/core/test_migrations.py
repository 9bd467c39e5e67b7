"""Migrations keep every row and what it meant, on the database people already have."""

import re
from datetime import timedelta

from sqlalchemy import Engine, text
from sqlmodel import Session, select

from customer_app.core.columns import utcnow
from customer_app.core.db import make_engine
from customer_app.core.migrations import migrate
from customer_app.core.permissions import Actor, Role
from customer_app.customers import trash_batches
from customer_app.customers.models import Customer, TrashBatch
from tests.unit.databases import postgres_schema

BEFORE_AUTOINCREMENT = "a3c91e5d7b20"
BEFORE_JOBS = "d4b8e1f09a52"


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


BEFORE_BATCHES = "c7e2f4a81d36"


def _trash_the_old_way(engine: Engine) -> dict[str, list[int]]:
    """Customers moved to Trash before removals were recorded: three at one moment by Ann, one by a gone account."""
    one_moment, later = utcnow(), utcnow() + timedelta(minutes=5)
    made: dict[str, list[int]] = {"ann": [], "gone": [], "active": []}
    with engine.begin() as connection:
        ann = connection.execute(
            text(
                "INSERT INTO staff_user (email, email_key, name, role, active, created_at) "
                "VALUES ('ann@example.com', 'ann@example.com', 'Ann Smith', 'staff', true, :now) RETURNING id"
            ),
            {"now": one_moment},
        ).scalar_one()
        for who, deleted_at, actor_id, email in (
            *[("ann", one_moment, ann, "ann@example.com")] * 3,
            ("gone", later, 999, "gone@example.com"),
            ("active", None, None, ""),
        ):
            customer = connection.execute(
                text(
                    "INSERT INTO customer (kind, display_name, sort_name, search_text, created_at, updated_at, "
                    "deleted_at, version) VALUES ('individual', 'C', 'c', 'c', :now, :now, :deleted, 2) RETURNING id"
                ),
                {"now": one_moment, "deleted": deleted_at},
            ).scalar_one()
            made[who].append(customer)
            if deleted_at is not None:
                connection.execute(
                    text(
                        "INSERT INTO audit_event (at, actor_id, actor_email, action, entity_type, entity_id, summary, "
                        "changes, address) VALUES (:at, :actor, :email, 'delete', 'customer', :id, '', '{}', '')"
                    ),
                    {"at": deleted_at, "actor": actor_id, "email": email, "id": customer},
                )
    return made


def _check_trash_is_grouped(engine: Engine) -> None:
    made = _trash_the_old_way(engine)
    migrate(engine)
    staff = Actor(id=1, email="sam@example.com", name="Sam", role=Role.STAFF)
    with Session(engine) as session:
        batch_of = {c.id: c.trash_batch_id for c in session.exec(select(Customer))}
        removals = trash_batches.recent_removals(actor=staff, session=session)
        assert [(r.moved, r.in_trash, r.actor_name) for r in removals] == [(3, 3, "Ann Smith")]  # singles are rows
        assert {batch_of[i] for i in made["ann"]} == {removals[0].id}
        assert batch_of[made["active"][0]] is None
        lone = session.get(TrashBatch, batch_of[made["gone"][0]])
        assert lone is not None
        assert (lone.moved, lone.actor_name, lone.actor_id) == (1, "gone@example.com", 999)
        assert trash_batches.restore_batch(removals[0].id, actor=staff, session=session).restored == 3
        session.commit()


def test_customers_already_in_trash_are_grouped_into_removals_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'before-batches.db'}")
    try:
        migrate(engine, BEFORE_BATCHES)
        _check_trash_is_grouped(engine)
    finally:
        engine.dispose()


def test_customers_already_in_trash_are_grouped_into_removals_on_postgresql():
    with postgres_schema(migrated=False) as engine:
        migrate(engine, BEFORE_BATCHES)
        _check_trash_is_grouped(engine)


BEFORE_REPLIES = "f1a2b3c4d5e6"


def _check_tickets_keep_through_replies(engine: Engine) -> None:
    migrate(engine, BEFORE_REPLIES)
    _customer_with_work(engine)
    migrate(engine)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT from_customer FROM ticket")).scalars().all() == [False]
        connection.execute(
            text(
                "INSERT INTO ticket_reply (ticket_id, body, author_name, from_customer, created_at) "
                "SELECT id, 'Sent again', 'Sam', false, created_at FROM ticket"
            )
        )
    migrate(engine, BEFORE_REPLIES, down=True)
    assert [_count(engine, t) for t in ("ticket", "ticket_status_change")] == [1, 1]
    migrate(engine)
    assert _count(engine, "ticket_reply") == 0


def test_tickets_people_have_were_opened_by_staff_and_a_downgrade_keeps_them_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'tickets.db'}")
    try:
        _check_tickets_keep_through_replies(engine)
        with engine.connect() as connection:  # neither step rebuilt the table without AUTOINCREMENT
            sql = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'ticket'")).scalar_one()
        assert "AUTOINCREMENT" in sql
    finally:
        engine.dispose()


def test_tickets_people_have_were_opened_by_staff_and_a_downgrade_keeps_them_postgresql():
    with postgres_schema(migrated=False) as engine:
        _check_tickets_keep_through_replies(engine)
