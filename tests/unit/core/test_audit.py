"""The audit trail of customer changes: who did what, when, and each visible field from → to."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from customer_app.audit import queries as audit_queries
from customer_app.core.columns import utcnow
from customer_app.core.models import AuditEvent
from customer_app.customers import customers
from customer_app.customers.models import Customer
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.customers.validation import validate_customer
from customer_app.errors import ValidationError
from tests.unit.accounts import ADDRESS
from tests.unit.reflex_helpers import run

HIDDEN = {
    "display_name",
    "sort_name",
    "search_text",
    "email_key",
    "company_key",
    "updated_at",
    "version",
    "created_at",
    "id",
}


def data(**raw: object):
    return validate_customer(raw, phone_region="US")


def customer_events(session: Session) -> list[AuditEvent]:
    session.expire_all()
    return list(
        session.exec(select(AuditEvent).where(AuditEvent.entity_type == "customer").order_by(col(AuditEvent.id)))
    )


def changes(event: AuditEvent) -> dict[str, list[object]]:
    return json.loads(event.changes)


def assert_by(event: AuditEvent, actor, action: str, customer_id: int) -> None:
    """The event says this actor did this to this customer, from the actor's address, just now."""
    assert (event.action, event.entity_type, event.entity_id) == (action, "customer", customer_id)
    assert (event.actor_id, event.actor_email, event.address) == (actor.id, actor.email, ADDRESS)
    assert abs(event.at - utcnow()) < timedelta(minutes=1)


def test_create_records_every_field_entered(session, admin):
    customer = customers.create_customer(
        data(first_name="Ann", last_name="Lee", email="Ann@X.com", phone="202-555-0143", date_of_birth="1990-04-23"),
        actor=admin,
        session=session,
    )
    session.commit()
    [event] = customer_events(session)
    assert_by(event, admin, "create", customer.id)
    assert event.summary == "Created Ann Lee"
    assert changes(event) == {
        "kind": [None, "individual"],
        "first_name": [None, "Ann"],
        "last_name": [None, "Lee"],
        "email": [None, "Ann@x.com"],
        "phone": [None, "+12025550143"],
        "date_of_birth": [None, "1990-04-23"],
    }


def test_update_records_each_changed_field_from_and_to_and_nothing_derived(session, add, staff):
    customer = add(first_name="Ann", last_name="Lee", email="ann@x.com", company_name="Acme")
    customers.update_customer(
        customer.id,
        data(first_name="Anna", last_name="Lee", phone="202-555-0143", company_name="Acme"),
        actor=staff,
        session=session,
        expected_version=1,
    )
    session.commit()
    create, update = customer_events(session)
    assert create.action == "create"
    assert_by(update, staff, "update", customer.id)
    assert update.summary == "Edited Anna Lee"
    assert changes(update) == {
        "first_name": ["Ann", "Anna"],
        "email": ["ann@x.com", None],
        "phone": [None, "+12025550143"],
    }
    assert not HIDDEN & set(changes(update))
    assert not HIDDEN & set(changes(create))


def test_saving_without_changes_records_no_field_changes(session, add, staff):
    customer = add(last_name="Lee")
    customers.update_customer(customer.id, data(last_name="Lee"), actor=staff, session=session, expected_version=1)
    session.commit()
    assert changes(customer_events(session)[-1]) == {}


def test_trash_restore_and_purge_each_record_an_event(session, add, staff, admin):
    customer = add(last_name="Lee")
    customers.trash_customers([customer.id], actor=staff, session=session)
    session.commit()
    customers.restore_customers([customer.id], actor=admin, session=session)
    session.commit()
    customers.trash_customers([customer.id], actor=admin, session=session)
    customers.purge_customers([customer.id], actor=admin, session=session)
    session.commit()
    assert session.get(Customer, customer.id) is None
    _create, trash, restore, trash_again, purge = customer_events(session)  # the trail outlives the customer
    assert_by(trash, staff, "delete", customer.id)
    assert_by(restore, admin, "restore", customer.id)
    assert_by(trash_again, admin, "delete", customer.id)
    assert_by(purge, admin, "purge", customer.id)
    assert [trash.summary, restore.summary, purge.summary] == [
        "Moved Lee to Trash",
        "Restored Lee",
        "Deleted Lee permanently",
    ]


def test_remove_all_records_one_event_per_customer(session, add, staff):
    ids = {add(last_name=f"Acme {i}", company_name="Acme").id for i in range(5)}
    other = add(last_name="Other")
    assert customers.trash_matching("individual", "acme", actor=staff, session=session) == 5
    session.commit()
    removed = [e for e in customer_events(session) if e.action == "delete"]
    assert {e.entity_id for e in removed} == ids
    assert len(removed) == 5
    for event in removed:
        assert_by(event, staff, "delete", event.entity_id)
    assert other.id not in {e.entity_id for e in removed}


def test_nothing_is_recorded_when_nothing_happens(session, add, staff, admin):
    customer = add(last_name="Lee")
    before = len(customer_events(session))
    assert customers.trash_customers([999_999], actor=staff, session=session) == 0
    assert customers.restore_customers([customer.id], actor=staff, session=session) == 0  # not in Trash
    assert customers.purge_customers([customer.id], actor=admin, session=session) == 0  # not in Trash
    session.commit()
    assert len(customer_events(session)) == before


def test_a_refused_change_leaves_no_event(session, add, staff):
    old = add(last_name="Old", email="ann@x.com")
    customers.trash_customers([old.id], actor=staff, session=session)
    session.commit()
    add(last_name="New", email="ann@x.com")
    before = len(customer_events(session))
    with pytest.raises(ValidationError):
        customers.restore_customers([old.id], actor=staff, session=session)
    session.rollback()  # the event goes with the change it describes
    assert len(customer_events(session)) == before


def test_changes_made_in_the_browser_are_recorded_as_the_signed_in_person(new_tab, staff_user, session):
    tab = new_tab(staff_user)
    form = tab.get_substate(CustomerFormState._get_substate_path())
    page = tab.get_substate(CustomerListState._get_substate_path())
    run(form.open_new())
    run(form.save({"first_name": "Ann", "last_name": "Lee"}))
    [row] = session.exec(select(Customer)).all()
    page.ask_delete(str(row.id), "Ann Lee")
    run(page.confirm_delete())
    create, trash = customer_events(session)
    for event, action in ((create, "create"), (trash, "delete")):
        assert (event.action, event.entity_id, event.actor_id, event.actor_email) == (
            action,
            row.id,
            staff_user.id,
            "sam@example.com",
        )
    assert changes(create) == {"kind": [None, "individual"], "first_name": [None, "Ann"], "last_name": [None, "Lee"]}


def test_every_action_the_services_record_has_a_readable_label():
    package = Path(audit_queries.__file__).parents[1]
    recorded = {m for f in package.rglob("*.py") for m in re.findall(r'action="(\w+)"', f.read_text())}
    assert recorded
    assert recorded - set(audit_queries.ACTION_LABELS) == set()
