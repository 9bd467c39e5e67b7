"""Rows inserted in bulk read back exactly as the same rows inserted one by one, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from customer_app.core.bulk import insert_many
from customer_app.core.db import BULK_CACHE_KIB, bulk_cache
from customer_app.core.models import AuditEvent
from customer_app.customers.models import Customer

AT = datetime(2026, 12, 5, 8, 30, 15, 250_000, tzinfo=UTC)


def customer_row(n: int, **changes) -> dict:
    row = {
        "kind": "individual",
        "first_name": f"Zoë{n}",
        "last_name": "Ångström",
        "display_name": f"Zoë{n} Ångström",
        "sort_name": f"zoe{n} angstrom",
        "search_text": f"zoe{n} angstrom",
        "email": f"z{n}@example.com",
        "email_key": f"z{n}@example.com",
        "date_of_birth": date(1990, 2, 28),
        "created_at": AT,
        "updated_at": AT,
        "version": 1,
    }
    return row | changes


def stored(session, ids) -> list[tuple]:
    names = ("display_name", "date_of_birth", "created_at", "kind", "phone")
    columns = [col(getattr(Customer, name)) for name in names]
    return [tuple(row) for row in session.execute(select(*columns).where(col(Customer.id).in_(ids)).order_by("id"))]


def test_bulk_rows_read_back_like_rows_inserted_one_by_one(session):
    connection = session.connection()
    insert_many(connection, Customer, [customer_row(1), customer_row(2, date_of_birth=None)])
    bulk_ids = list(session.scalars(select(col(Customer.id)).order_by("id")))
    for row in (customer_row(3), customer_row(4, date_of_birth=None)):
        connection.execute(insert(Customer), row)
    one_by_one = list(session.scalars(select(col(Customer.id)).order_by("id")))[2:]
    assert [row[1:] for row in stored(session, bulk_ids)] == [row[1:] for row in stored(session, one_by_one)]
    assert stored(session, bulk_ids)[0] == ("Zoë1 Ångström", date(1990, 2, 28), AT, "individual", None)
    # Compared in SQL, as a sort or filter would: the stored text is the same, not merely read back the same.
    same = session.execute(
        select(col(Customer.id)).where(col(Customer.created_at) == AT, col(Customer.date_of_birth) == date(1990, 2, 28))
    )
    assert len(same.all()) == 2


def test_rows_that_leave_out_a_column_with_a_default_are_refused_and_nothing_is_written(session):
    row = {"action": "create", "entity_type": "customer", "entity_id": 1, "summary": "Made", "actor_email": "a@b.c"}
    with pytest.raises(ValueError, match=r"lack \['address'\]"):
        insert_many(session.connection(), AuditEvent, [row])
    assert session.scalars(select(AuditEvent)).all() == []


def test_no_rows_write_nothing(session):
    insert_many(session.connection(), Customer, [])
    assert session.scalars(select(Customer)).all() == []


def test_a_bulk_write_keeps_more_pages_on_sqlite_and_puts_the_connection_back_as_it_was(session):
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        with bulk_cache(connection):  # nothing to change on PostgreSQL, and nothing fails
            insert_many(connection, Customer, [customer_row(3)])
        return
    cache_size = "PRAGMA cache_size"
    before = connection.exec_driver_sql(cache_size).scalar_one()
    with bulk_cache(connection):
        assert connection.exec_driver_sql(cache_size).scalar_one() == -BULK_CACHE_KIB
    assert connection.exec_driver_sql(cache_size).scalar_one() == before
    with pytest.raises(ValueError, match="a failed write"), bulk_cache(connection):
        raise ValueError("a failed write")
    assert connection.exec_driver_sql(cache_size).scalar_one() == before


def test_a_bulk_insert_refused_by_the_database_raises_its_integrity_error_on_both_databases(session):
    insert_many(session.connection(), Customer, [customer_row(4)])
    with pytest.raises(IntegrityError):  # callers catch it: someone saved a customer with this e-mail meanwhile
        insert_many(session.connection(), Customer, [customer_row(5), customer_row(4)])
    session.rollback()
