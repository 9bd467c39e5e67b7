"""Ticket replies: one thread per ticket, oldest first, from staff or the customer; checked, audited, and removed
with their ticket."""

import pytest
from sqlalchemy import text
from sqlmodel import select

from customer_app.core.models import AuditEvent
from customer_app.customers import customers
from customer_app.errors import NotFoundError, PermissionDenied, ValidationError
from customer_app.records.models import Ticket, TicketReply
from customer_app.records.ticket_replies import add_reply, replies_of, ticket_replies, write_reply
from customer_app.records.tickets import create_ticket, list_tickets, open_ticket, status_history
from tests.unit.refusals import SIGN_IN, refusal


def thread(session, ticket_id: int) -> list[tuple[str, str, bool]]:
    return [(r.author_name, r.body, r.from_customer) for r in replies_of([ticket_id], session=session)[ticket_id]]


def test_replies_are_listed_oldest_first_with_their_authors(session, staff, admin, add):
    ada = add(first_name="Ada")
    ticket = create_ticket(ada.id, "Invoice missing", "March", "normal", actor=staff, session=session)
    add_reply(ticket.id, "  Sent it again.  ", actor=staff, session=session)
    write_reply(ticket, "Still nothing here", author_name="Ada Lee", from_customer=True, session=session)
    add_reply(ticket.id, "Found it: wrong address.", actor=admin, session=session)
    session.commit()
    assert thread(session, ticket.id) == [
        ("Sam Staff", "Sent it again.", False),
        ("Ada Lee", "Still nothing here", True),
        ("Ada Admin", "Found it: wrong address.", False),
    ]
    assert ticket_replies([ticket.id, 999_999], actor=staff, session=session)[999_999] == []


def test_a_staff_reply_leaves_the_status_as_it_was(session, staff, add):
    ticket = create_ticket(add(first_name="Ada").id, "Question", "", "normal", actor=staff, session=session)
    add_reply(ticket.id, "Looking into it", actor=staff, session=session)
    session.commit()
    assert session.get(Ticket, ticket.id).status == "new"
    assert len(status_history([ticket.id], actor=staff, session=session)[ticket.id]) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [(" \n ", "Write a reply first."), ("x" * 10_001, "Keep a reply under 10,000 characters.")],
    ids=["empty", "too long"],
)
def test_an_empty_or_too_long_reply_is_refused_and_nothing_is_kept(session, staff, add, body, message):
    ticket = create_ticket(add(first_name="Ada").id, "Question", "", "normal", actor=staff, session=session)
    with pytest.raises(ValidationError) as caught:
        add_reply(ticket.id, body, actor=staff, session=session)
    assert caught.value.errors == {"reply": message}
    with pytest.raises(ValidationError):
        write_reply(ticket, body, author_name="Ada", from_customer=True, session=session)
    assert session.exec(select(TicketReply)).all() == []
    assert [e.action for e in session.exec(select(AuditEvent))].count("ticket_reply") == 0


def test_read_only_staff_read_the_thread_but_cannot_reply(session, staff, reader, add):
    ticket = create_ticket(add(first_name="Ada").id, "Question", "", "normal", actor=staff, session=session)
    add_reply(ticket.id, "Visible", actor=staff, session=session)
    session.commit()
    assert [r.body for r in ticket_replies([ticket.id], actor=reader, session=session)[ticket.id]] == ["Visible"]
    with pytest.raises(PermissionDenied):
        add_reply(ticket.id, "Sneaky", actor=reader, session=session)
    assert thread(session, ticket.id) == [("Sam Staff", "Visible", False)]


def test_no_reply_to_a_ticket_of_a_customer_in_trash_or_to_a_ticket_that_is_gone(session, staff, add):
    ada = add(first_name="Ada")
    ticket = create_ticket(ada.id, "Question", "", "normal", actor=staff, session=session)
    customers.trash_customers([ada.id], actor=staff, session=session)
    with pytest.raises(NotFoundError, match="This customer does not exist any more"):
        add_reply(ticket.id, "Hello?", actor=staff, session=session)
    with pytest.raises(NotFoundError, match="This customer does not exist any more"):
        write_reply(ticket, "Hello?", author_name="Ada", from_customer=True, session=session)
    with pytest.raises(NotFoundError, match="This customer does not exist any more"):
        open_ticket(ada.id, "New", "", "normal", author_name="Ada", from_customer=True, session=session)
    with pytest.raises(NotFoundError, match="This ticket does not exist any more"):
        add_reply(999_999, "Hello?", actor=staff, session=session)
    assert session.exec(select(TicketReply)).all() == []


def test_a_staff_reply_is_in_the_customers_audit_trail(session, staff, add):
    ada = add(first_name="Ada")
    ticket = create_ticket(ada.id, "Invoice missing", "", "normal", actor=staff, session=session)
    add_reply(ticket.id, "Sent again", actor=staff, session=session)
    session.commit()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "ticket_reply")).one()
    assert (event.entity_type, event.entity_id, event.actor_id) == ("customer", ada.id, staff.id)
    assert event.summary == "Replied to ticket “Invoice missing”"


def test_tickets_and_replies_from_the_portal_say_so(session, staff, add):
    ada = add(first_name="Ada")
    ticket = open_ticket(
        ada.id, " Login fails ", "Since Monday", "high", author_name="Ada Lee", from_customer=True, session=session
    )
    write_reply(ticket, "Tried again today", author_name="Ada Lee", from_customer=True, session=session)
    session.commit()
    shown = list_tickets(ada.id, actor=staff, session=session)
    assert [(t.subject, t.from_customer, t.created_by_name, t.status) for t in shown] == [
        ("Login fails", True, "Ada Lee", "new")
    ]
    assert thread(session, ticket.id) == [("Ada Lee", "Tried again today", True)]
    assert create_ticket(ada.id, "By phone", "", "normal", actor=staff, session=session).from_customer is False
    # The portal writes its own audit records: these writers leave none.
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "ticket_reply")).all() == []


def test_open_ticket_checks_its_fields_like_the_staff_form(session, add):
    ada = add(first_name="Ada")
    with pytest.raises(ValidationError) as caught:
        open_ticket(ada.id, " ", "", "someday", author_name="Ada", from_customer=True, session=session)
    assert set(caught.value.errors) == {"subject", "priority"}


def test_replies_go_with_their_ticket_and_with_a_purged_customer(session, staff, admin, add):
    ada, bob = add(first_name="Ada"), add(first_name="Bob")
    first = create_ticket(ada.id, "First", "", "normal", actor=staff, session=session)
    add_reply(first.id, "On the first", actor=staff, session=session)
    second = create_ticket(bob.id, "Second", "", "normal", actor=staff, session=session)
    add_reply(second.id, "On the second", actor=staff, session=session)
    session.commit()
    session.execute(text("DELETE FROM ticket WHERE id = :id"), {"id": first.id})  # the database's own cascade
    session.commit()
    assert [r.body for r in session.exec(select(TicketReply))] == ["On the second"]
    customers.trash_customers([bob.id], actor=staff, session=session)
    customers.purge_customers([bob.id], actor=admin, session=session)
    session.commit()
    assert session.exec(select(TicketReply)).all() == []


READS = {"ticket_replies": lambda actor, session: ticket_replies([1], actor=actor, session=session)}
WRITES = {"add_reply": lambda actor, session: add_reply(1, "Hi", actor=actor, session=session)}


@pytest.mark.parametrize("call", [*READS.values(), *WRITES.values()], ids=[*READS, *WRITES])
def test_nobody_signed_in_reads_or_writes_replies(call):
    assert refusal(call, None).startswith(SIGN_IN)
