"""The portal's own services: tickets scoped to the customer, the profile through the staff validation, a new e-mail
only after its link, sections and their defaults, the welcome e-mail and its template, sign-in throttled apart."""

import pytest
from sqlmodel import select

from customer_app.access.auth import LOCK_ACCOUNT_AFTER
from customer_app.core.models import AuditEvent
from customer_app.customers import form_extras
from customer_app.customers.editing import save_customer
from customer_app.customers.models import Customer
from customer_app.errors import (
    CustomerAppError,
    NotFoundError,
    PermissionDenied,
    PortalDenied,
    SignInError,
    ValidationError,
)
from customer_app.portal import accounts, form_boxes, grants, profile, sections, sign_in, templates, tickets
from customer_app.portal.models import PortalAccount
from customer_app.records import notifications
from tests.unit.portal.portal_world import PORTAL_PASSWORD, link_token, outbox, registered


def scope_of(session, email: str = "ada@example.com"):
    token = sign_in.sign_in(email, PORTAL_PASSWORD, address="198.51.100.7", session=session)
    session.commit()
    return sign_in.resolve(token, address="198.51.100.7", session=session)


@pytest.fixture
def ada(session, staff, add) -> Customer:
    customer = add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    registered(session, customer.id, actor=staff)
    return customer


def test_tickets_opened_in_the_portal_are_the_customers_and_marked_as_such(session, ada, staff):
    scope = scope_of(session)
    ticket = tickets.open_ticket("Printer", "Broken since Monday", scope=scope, session=session)
    tickets.reply(ticket.id, "Any news?", scope=scope, session=session)
    session.commit()
    [found] = tickets.my_tickets("", scope=scope, session=session)
    assert (found.customer_id, found.from_customer, found.created_by_name) == (ada.id, True, "Ada Lovelace")
    assert [r.body for r in tickets.threads([found], scope=scope, session=session)[found.id]] == ["Any news?"]
    assert tickets.open_count(scope=scope, session=session) == 1
    tickets.tickets.update_ticket(found.id, "Printer", "", "normal", "solved", actor=staff, session=session)
    session.commit()
    [change] = tickets.status_changes([found], scope=scope, session=session)[found.id]
    assert (change.from_status, change.to_status, change.changed_by_name) == ("new", "solved", "Sam Staff")
    assert tickets.open_count(scope=scope, session=session) == 0
    audited = session.exec(select(AuditEvent.action).where(AuditEvent.entity_id == ada.id)).all()
    assert {"portal_ticket_add", "portal_ticket_reply"} <= set(audited)


def test_replying_to_another_customers_ticket_finds_nothing(session, ada, staff, add):
    bob = add(first_name="Bob", email="bob@example.com")
    theirs = tickets.tickets.open_ticket(
        bob.id, "Bob's", "", "normal", author_name="Bob", from_customer=False, session=session
    )
    session.commit()
    with pytest.raises(NotFoundError):
        tickets.reply(theirs.id, "Hello Bob", scope=scope_of(session), session=session)


def test_a_section_switched_off_is_refused_and_reads_nothing(session, ada, staff):
    sections.set_sections(ada.id, ["profile"], actor=staff, session=session)
    session.commit()
    scope = scope_of(session)
    assert scope.sections == frozenset({"profile"})
    with pytest.raises(PortalDenied):
        tickets.my_tickets("", scope=scope, session=session)
    with pytest.raises(PortalDenied):
        tickets.open_ticket("x", "", scope=scope, session=session)


def test_only_known_sections_can_be_switched_on(session, ada, staff):
    sections.set_sections(ada.id, ["tickets", "payments"], actor=staff, session=session)
    session.commit()
    assert scope_of(session).sections == frozenset({"tickets", "payments"})
    with pytest.raises(ValidationError):
        sections.set_sections(ada.id, ["tickets", "everything"], actor=staff, session=session)


def test_admins_choose_the_sections_new_customers_get(session, admin, staff, add):
    sections.set_default_sections(["tickets"], actor=admin, session=session)
    session.commit()
    ada = add(first_name="Ada", email="ada@example.com")
    assert sections.chosen_sections(ada.id, actor=staff, session=session) == frozenset({"tickets"})
    with pytest.raises(PermissionDenied):
        sections.set_default_sections(["profile"], actor=staff, session=session)


def test_the_profile_saves_through_the_staff_validation_and_names_the_person(session, ada):
    scope = scope_of(session)
    with pytest.raises(ValidationError) as caught:
        profile.update_profile(
            {"first_name": "Ada", "last_name": "Lovelace", "phone": "not a phone"}, scope=scope, session=session
        )
    assert set(caught.value.errors) == {"phone"}
    session.rollback()
    profile.update_profile(
        {"first_name": "Ada", "last_name": "King", "phone": "+1 212 555 0100"}, scope=scope, session=session
    )
    session.commit()
    session.expire_all()
    stored = session.get(Customer, ada.id)
    assert (stored.last_name, stored.phone, stored.email) == ("King", "+12125550100", "ada@example.com")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert (event.actor_id, event.actor_email) == (None, "ada@example.com")


def test_a_new_e_mail_counts_only_once_its_link_is_opened(session, ada):
    scope = scope_of(session)
    profile.ask_email_change("ada.king@example.com", scope=scope, session=session)
    session.commit()
    assert profile.my_profile(scope=scope, session=session).pending_email == "ada.king@example.com"
    assert session.get(Customer, ada.id).email == "ada@example.com"
    message = outbox(session)[-1]
    assert message.to == "ada.king@example.com"
    profile.confirm_email_change(link_token(message, "confirm-email"), session=session)
    session.commit()
    session.expire_all()
    assert session.get(Customer, ada.id).email == "ada.king@example.com"
    assert session.exec(select(PortalAccount.email)).one() == "ada.king@example.com"  # it was the sign-in address


def test_portal_sign_in_is_throttled_apart_from_staff_and_never_says_who_has_an_account(session, ada):
    answers = set()
    for email in ("ada@example.com", "nobody@example.com"):
        with pytest.raises(SignInError) as caught:
            sign_in.sign_in(email, "wrong password", address="203.0.113.9", session=session)
        answers.add(str(caught.value))
    assert answers == {"The e-mail or password is not right."}
    for _ in range(LOCK_ACCOUNT_AFTER):
        with pytest.raises(SignInError):
            sign_in.sign_in("ada@example.com", "wrong password", address="203.0.113.9", session=session)
        session.commit()
    with pytest.raises(SignInError, match=r"Too many|locked"):
        sign_in.sign_in("ada@example.com", PORTAL_PASSWORD, address="203.0.113.9", session=session)


def test_ticking_the_pop_up_box_invites_and_unticking_takes_access_back(session, staff):
    assert form_boxes.ACCESS in {extra.name for extra in form_extras.extras()}
    raw = {"kind": "individual", "first_name": "Ada", "email": "ada@example.com", "language": "de"}
    ada = save_customer(
        raw,
        {},
        customer_id=None,
        expected_version=0,
        picture=None,
        actor=staff,
        session=session,
        boxes={form_boxes.ACCESS: True, form_boxes.WELCOME: True},
    )
    session.commit()
    subjects = [m.subject for m in outbox(session)]
    assert len(subjects) == 2  # the invitation and the welcome e-mail, both in German
    assert all("Kundenportal" in s or "Willkommen" in s for s in subjects), subjects
    assert form_extras.read_all(ada.id, actor=staff, session=session)[form_boxes.ACCESS] is True
    save_customer(
        raw,
        {},
        customer_id=ada.id,
        expected_version=ada.version,
        picture=None,
        actor=staff,
        session=session,
        boxes={form_boxes.ACCESS: False},
    )
    session.commit()
    assert [row.status for row in grants.access_rows(ada.id, actor=staff, session=session)] == ["revoked"]


def test_the_welcome_e_mail_honours_the_customers_switch(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    notifications.set_preference(ada.id, "portal_notices", False, actor=staff, session=session)
    assert not form_boxes.mails.welcome(ada, "en", session=session)
    assert outbox(session) == []


def test_admins_write_the_welcome_e_mail_per_language_with_known_placeholders(session, admin, staff, add):
    with pytest.raises(ValidationError, match="Unknown placeholder"):
        templates.save_welcome_template("fr", "Bienvenue {client}", "Texte", actor=admin, session=session)
    templates.save_welcome_template(
        "fr", "Bienvenue {customer}", "Bonjour {customer} : {link}", actor=admin, session=session
    )
    session.commit()
    subject, body = templates.preview("fr", "Bienvenue {customer}", "{link}", actor=admin)
    assert subject == "Bienvenue Ada Lovelace"
    assert body.endswith("/clients/login")
    ada = add(first_name="Ada", email="ada@example.com", language="fr")
    assert form_boxes.mails.welcome(ada, "fr", session=session)
    assert outbox(session)[-1].subject == "Bienvenue Ada"
    with pytest.raises(PermissionDenied):
        templates.save_welcome_template("fr", "x", "y", actor=staff, session=session)
    assert not templates.reset_welcome_template("fr", actor=admin, session=session).customised


def test_reset_links_are_rate_limited_and_unknown_addresses_get_no_mail(session, ada):
    for _ in range(5):
        accounts.request_reset("ada@example.com", session=session)
        accounts.request_reset("nobody@example.com", session=session)
    session.commit()
    resets = [m for m in outbox(session) if m.to == "ada@example.com" and "password" in m.subject.lower()]
    assert len(resets) == accounts.RESETS_PER_HOUR
    assert not [m for m in outbox(session) if m.to == "nobody@example.com"]


def test_a_reset_link_sets_a_new_password_once_and_ends_the_other_sessions(session, ada):
    old = sign_in.sign_in("ada@example.com", PORTAL_PASSWORD, address="1", session=session)
    accounts.request_reset("ada@example.com", session=session)
    session.commit()
    token = link_token(outbox(session)[-1], "reset")
    accounts.reset_password(token, "a brand new harbour phrase 99", session=session)
    session.commit()
    assert sign_in.resolve(old, session=session) is None
    assert sign_in.sign_in("ada@example.com", "a brand new harbour phrase 99", address="1", session=session)
    with pytest.raises(CustomerAppError, match="already been used"):
        accounts.reset_password(token, "another phrase entirely 12", session=session)
