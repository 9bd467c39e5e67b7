"""Tickets: opened New, moved through their statuses with a history of each change, filtered by status."""

import pytest
from sqlmodel import select

from customer_app.core.models import AuditEvent
from customer_app.customers import customers
from customer_app.errors import PermissionDenied, ValidationError
from customer_app.records.models import Ticket
from customer_app.records.tickets import create_ticket, list_tickets, status_history, update_ticket
from tests.unit.refusals import SIGN_IN, refusal


def test_a_ticket_keeps_each_status_change_with_who_made_it(session, staff, admin, add):
    ada = add(first_name="Ada", last_name="Lovelace")
    ticket = create_ticket(ada.id, "Invoice missing", "March invoice", "high", actor=staff, session=session)
    update_ticket(ticket.id, "Invoice missing", "March invoice", "high", "in_progress", actor=staff, session=session)
    update_ticket(ticket.id, "Invoice missing", "Sent again", "normal", "solved", actor=admin, session=session)
    session.commit()
    changes = status_history([ticket.id], actor=staff, session=session)[ticket.id]
    assert [(c.from_status, c.to_status, c.changed_by_name) for c in changes] == [
        ("", "new", "Sam Staff"),
        ("new", "in_progress", "Sam Staff"),
        ("in_progress", "solved", "Ada Admin"),
    ]
    actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.entity_id == ada.id))]
    assert actions.count("ticket_update") == 2
    assert "ticket_add" in actions


def test_editing_without_a_new_status_adds_no_history(session, staff, add):
    ada = add(first_name="Ada")
    ticket = create_ticket(ada.id, "Question", "", "normal", actor=staff, session=session)
    update_ticket(ticket.id, "Question about VAT", "", "low", "new", actor=staff, session=session)
    assert len(status_history([ticket.id], actor=staff, session=session)[ticket.id]) == 1


def test_tickets_filter_by_status_newest_first(session, staff, add):
    ada = add(first_name="Ada")
    first = create_ticket(ada.id, "First", "", "normal", actor=staff, session=session)
    second = create_ticket(ada.id, "Second", "", "normal", actor=staff, session=session)
    update_ticket(first.id, "First", "", "normal", "cancelled", actor=staff, session=session)
    session.commit()
    assert [t.subject for t in list_tickets(ada.id, actor=staff, session=session)] == ["Second", "First"]
    assert [t.id for t in list_tickets(ada.id, "cancelled", actor=staff, session=session)] == [first.id]
    assert [t.id for t in list_tickets(ada.id, "new", actor=staff, session=session)] == [second.id]


def test_bad_values_are_refused_field_by_field(session, staff, add):
    ada = add(first_name="Ada")
    with pytest.raises(ValidationError) as caught:
        create_ticket(ada.id, "  ", "x" * 10_001, "someday", actor=staff, session=session)
    assert set(caught.value.errors) == {"subject", "description", "priority"}
    ticket = create_ticket(ada.id, "Ok", "", "normal", actor=staff, session=session)
    with pytest.raises(ValidationError, match="status"):
        update_ticket(ticket.id, "Ok", "", "normal", "closed", actor=staff, session=session)


def test_read_only_staff_see_tickets_but_cannot_change_them(session, staff, reader, add):
    ada = add(first_name="Ada")
    ticket = create_ticket(ada.id, "Visible", "", "normal", actor=staff, session=session)
    session.commit()
    assert [t.subject for t in list_tickets(ada.id, actor=reader, session=session)] == ["Visible"]
    with pytest.raises(PermissionDenied):
        create_ticket(ada.id, "No", "", "normal", actor=reader, session=session)
    with pytest.raises(PermissionDenied):
        update_ticket(ticket.id, "No", "", "normal", "solved", actor=reader, session=session)


def test_tickets_go_with_their_customer_when_purged(session, admin, staff, add):
    ada = add(first_name="Ada")
    create_ticket(ada.id, "Gone soon", "", "normal", actor=staff, session=session)
    customers.trash_customers([ada.id], actor=staff, session=session)
    customers.purge_customers([ada.id], actor=admin, session=session)
    session.commit()
    assert session.exec(select(Ticket)).all() == []


READS = {
    "list_tickets": lambda actor, session: list_tickets(1, actor=actor, session=session),
    "list_tickets by status": lambda actor, session: list_tickets(1, "open", actor=actor, session=session),
    "status_history": lambda actor, session: status_history([1], actor=actor, session=session),
}


@pytest.mark.parametrize("read", list(READS))
def test_nobody_signed_in_reads_tickets(read):
    assert refusal(READS[read], None).startswith(SIGN_IN)
