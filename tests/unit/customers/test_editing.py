"""Saving a customer from the pop-up: its fields and custom fields checked together, then created or updated."""

import pytest
from sqlmodel import Session, select

from customer_app.core.models import AuditEvent
from customer_app.customers.custom_field_values import customer_values
from customer_app.customers.custom_fields import FieldDefinition, add_field
from customer_app.customers.editing import save_customer
from customer_app.customers.models import Customer
from customer_app.errors import ConflictError, PermissionDenied, ValidationError


@pytest.fixture
def seats(session: Session, admin) -> int:
    """A number field for every customer."""
    field = add_field(FieldDefinition(label="Seats", field_type="number"), actor=admin, session=session)
    session.commit()
    return field.id


@pytest.fixture
def board(session: Session, admin) -> int:
    """A field only institutions have."""
    field = add_field(FieldDefinition(label="Board size", applies_to="institution"), actor=admin, session=session)
    session.commit()
    return field.id


def save(session: Session, actor, raw: dict, custom: dict | None = None, **where) -> Customer:
    where = {"customer_id": None, "expected_version": 0, "picture": None} | where
    customer = save_customer({"kind": "individual"} | raw, custom or {}, actor=actor, session=session, **where)
    session.commit()
    return customer


def values(session: Session, actor, customer_id: int) -> dict[str, str]:
    session.expire_all()
    return {field.label: value for field, value in customer_values(customer_id, actor=actor, session=session)}


def everything(session: Session) -> tuple:
    session.expire_all()
    customers = [(c.id, c.display_name, c.version) for c in session.exec(select(Customer))]
    return customers, len(session.exec(select(AuditEvent)).all())


def test_a_new_customer_is_created_with_its_custom_fields(session, staff, seats):
    customer = save(session, staff, {"first_name": "Ann", "last_name": "Lee"}, {seats: " 1,200 "})
    assert (customer.display_name, customer.version) == ("Ann Lee", 1)
    assert values(session, staff, customer.id) == {"Seats": "1200"}


def test_an_existing_customer_is_updated_with_its_custom_fields(session, staff, add, seats):
    ann = add(first_name="Ann", last_name="Lee")
    updated = save(
        session,
        staff,
        {"first_name": "Ann", "last_name": "Leigh"},
        {seats: "3"},
        customer_id=ann.id,
        expected_version=1,
    )
    assert (updated.id, updated.display_name, updated.version) == (ann.id, "Ann Leigh", 2)
    assert values(session, staff, ann.id) == {"Seats": "3"}


def test_every_bad_field_is_named_at_once_custom_fields_included_and_nothing_is_written(session, staff, seats, board):
    before = everything(session)
    with pytest.raises(ValidationError) as refused:
        save(session, staff, {"last_name": "Lee", "email": "not an address"}, {seats: "many", board: "7"})
    assert set(refused.value.errors) == {"email", str(seats), str(board)}
    assert refused.value.errors[str(board)] == "This field was removed; reload the page."  # not for individuals
    session.rollback()
    assert everything(session) == before


def test_custom_fields_are_checked_even_when_the_form_fields_are_fine(session, staff, add, seats):
    ann = add(first_name="Ann", last_name="Lee")
    with pytest.raises(ValidationError) as refused:
        save(
            session,
            staff,
            {"first_name": "Ann", "last_name": "Leigh"},
            {seats: "12a"},
            customer_id=ann.id,
            expected_version=1,
        )
    assert list(refused.value.errors) == [str(seats)]
    session.rollback()
    assert everything(session)[0] == [(ann.id, "Ann Lee", 1)]


def test_a_customer_saved_by_someone_else_meanwhile_is_a_conflict(session, staff, admin, add, seats):
    ann = add(first_name="Ann", last_name="Lee")
    save(session, admin, {"first_name": "Ann", "last_name": "First"}, customer_id=ann.id, expected_version=1)
    with pytest.raises(ConflictError):
        save(
            session,
            staff,
            {"first_name": "Ann", "last_name": "Second"},
            {seats: "4"},
            customer_id=ann.id,
            expected_version=1,
        )
    session.rollback()
    assert everything(session)[0] == [(ann.id, "Ann First", 2)]
    assert values(session, staff, ann.id) == {"Seats": ""}


def test_read_only_staff_are_refused_before_anything_is_checked(session, reader, seats):
    before = everything(session)
    with pytest.raises(PermissionDenied):
        save(session, reader, {"last_name": "Lee", "email": "not an address"}, {seats: "many"})
    session.rollback()
    assert everything(session) == before
