"""Extra e-mails and phones, the communication e-mail hierarchy (and why it won), and contact persons."""

import pytest
from sqlmodel import select

from customer_app.core.models import AuditEvent
from customer_app.errors import PermissionDenied, ValidationError
from customer_app.records.contacts import (
    add_contact,
    add_person,
    change_contact,
    communication_email,
    delete_contact,
    list_contacts,
    list_people,
)
from tests.unit.refusals import SIGN_IN, refusal


def winner(session, staff, customer):
    session.refresh(customer)
    found = communication_email(customer, list_contacts(customer.id, actor=staff, session=session))
    return found.address, found.reason


def test_the_communication_email_follows_the_hierarchy(session, staff, add):
    ada = add(first_name="Ada", email="main@example.com")
    assert winner(session, staff, ada) == ("main@example.com", "the customer's main e-mail")
    add_contact(ada.id, "email", "home@example.com", "home", actor=staff, session=session)
    assert winner(session, staff, ada)[0] == "main@example.com"  # a home address does not beat the main one
    add_contact(ada.id, "email", "work@example.com", "work", actor=staff, session=session)
    assert winner(session, staff, ada) == ("work@example.com", "the first work address")
    billing = add_contact(
        ada.id, "email", "billing@example.com", "billing", is_primary=True, actor=staff, session=session
    )
    assert winner(session, staff, ada) == ("billing@example.com", "the primary address")
    home = list_contacts(ada.id, actor=staff, session=session)[0]
    change_contact(home.id, "choose", actor=staff, session=session)
    assert winner(session, staff, ada) == ("home@example.com", "chosen explicitly")
    change_contact(home.id, "opt_out", actor=staff, session=session)  # opted out: never the winner
    assert winner(session, staff, ada) == ("billing@example.com", "the primary address")
    delete_contact(billing.id, actor=staff, session=session)
    assert winner(session, staff, ada) == ("work@example.com", "the first work address")


def test_one_primary_per_kind_and_values_are_checked(session, staff, add):
    ada = add(first_name="Ada")
    first = add_contact(ada.id, "phone", "+1 415 555 0100", "work", is_primary=True, actor=staff, session=session)
    second = add_contact(ada.id, "phone", "(415) 555-0101", "home", is_primary=True, actor=staff, session=session)
    session.refresh(first)
    assert (first.is_primary, second.is_primary, second.value) == (False, True, "+14155550101")
    with pytest.raises(ValidationError, match="valid e-mail"):
        add_contact(ada.id, "email", "not-an-address", "work", actor=staff, session=session)
    with pytest.raises(ValidationError):
        add_contact(ada.id, "fax", "123", "work", actor=staff, session=session)
    with pytest.raises(ValidationError):
        add_contact(ada.id, "email", "a@example.com", "holiday", actor=staff, session=session)


def test_contact_persons_belong_to_institutions_only(session, staff, add):
    acme = add(kind="institution", name="Acme")
    person = add_person(
        acme.id,
        {"name": "Grace Hopper", "position": "Buyer", "email": "grace@acme.example"},
        actor=staff,
        session=session,
    )
    assert [(p.name, p.email) for p in list_people(acme.id, actor=staff, session=session)] == [
        ("Grace Hopper", "grace@acme.example")
    ]
    assert person.phone == ""
    with pytest.raises(ValidationError) as caught:
        add_person(acme.id, {"name": "", "email": "nope", "phone": "12"}, actor=staff, session=session)
    assert set(caught.value.errors) == {"name", "email", "phone"}
    ada = add(first_name="Ada")
    with pytest.raises(ValidationError, match="Only institutions"):
        add_person(ada.id, {"name": "Someone"}, actor=staff, session=session)


def test_changes_are_audited_and_read_only_staff_cannot_make_them(session, staff, reader, add):
    ada = add(first_name="Ada")
    add_contact(ada.id, "email", "work@example.com", "work", actor=staff, session=session)
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "contact_info")).all()
    assert [e.summary for e in events] == ["Added e-mail work@example.com"]
    with pytest.raises(PermissionDenied):
        add_contact(ada.id, "email", "x@example.com", "work", actor=reader, session=session)


READS = {
    "list_contacts": lambda actor, session: list_contacts(1, actor=actor, session=session),
    "list_people": lambda actor, session: list_people(1, actor=actor, session=session),
}


@pytest.mark.parametrize("read", list(READS))
def test_nobody_signed_in_reads_contacts(read):
    assert refusal(READS[read], None).startswith(SIGN_IN)
