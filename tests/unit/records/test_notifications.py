"""Per-customer e-mail switches: business mail on and newsletters off by default, and mail honours them."""

import pytest
from sqlmodel import select

from customer_app.core.models import AuditEvent, OutboxMessage
from customer_app.errors import PermissionDenied
from customer_app.records.notifications import mail_customer, preferences, set_preference
from tests.unit.accounts import READER
from tests.unit.refusals import SIGN_IN, refusal


def test_nobody_signed_in_reads_the_switches():
    assert refusal(lambda actor, session: preferences(1, actor=actor, session=session), None).startswith(SIGN_IN)


def test_defaults_send_business_mail_but_no_newsletter_until_asked(session, add):
    ada = add(first_name="Ada", email="ada@example.com")
    assert preferences(ada.id, actor=READER, session=session) == {
        "invoices": True,
        "payment_reminders": True,
        "portal_notices": True,
        "newsletters": False,
    }
    assert mail_customer(ada, "invoices", "Invoice 1", "Attached.", session=session) is not None
    assert mail_customer(ada, "newsletters", "News", "Hello", session=session) is None


def test_switching_off_stops_that_mail_and_is_audited(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    set_preference(ada.id, "payment_reminders", False, actor=staff, session=session)
    set_preference(ada.id, "newsletters", True, actor=staff, session=session)
    session.commit()
    assert mail_customer(ada, "payment_reminders", "Reminder", "Please pay.", session=session) is None
    assert mail_customer(ada, "newsletters", "News", "Hello", session=session) is not None
    sent = session.exec(select(OutboxMessage)).all()
    assert [m.subject for m in sent] == ["News"]
    summaries = [e.summary for e in session.exec(select(AuditEvent).where(AuditEvent.action == "notifications"))]
    assert summaries == ["Payment reminders e-mails off for Ada", "Newsletters e-mails on for Ada"]


def test_a_customer_without_email_gets_nothing_and_unknown_kinds_are_refused(session, add):
    bob = add(first_name="Bob")
    assert mail_customer(bob, "invoices", "Invoice", "x", session=session) is None
    with pytest.raises(ValueError, match="Unknown kind"):
        mail_customer(bob, "spam", "x", "x", session=session)


def test_read_only_staff_cannot_change_switches(session, reader, add):
    ada = add(first_name="Ada")
    with pytest.raises(PermissionDenied):
        set_preference(ada.id, "invoices", False, actor=reader, session=session)
