"""A customer's extra e-mails and phones, which e-mail communication goes to (and why), and contact persons."""

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from customer_app.core import audit, normalize
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.customers.models import Customer, CustomerKind
from customer_app.errors import NotFoundError, ValidationError
from customer_app.records.models import CONTACT_CHANNELS, CONTACT_LABELS, ContactPerson, CustomerContact
from customer_app.settings import settings


@dataclass(frozen=True)
class CommunicationEmail:
    """The address mail goes to and the rule that picked it ("" when there is none)."""

    address: str
    reason: str


def list_contacts(customer_id: int, *, actor: Actor, session: Session) -> list[CustomerContact]:
    """E-mails first, then phones, each in the order they were added."""
    require(actor, "customer.view")
    query = select(CustomerContact).where(col(CustomerContact.customer_id) == customer_id)
    return list(session.exec(query.order_by(col(CustomerContact.channel), col(CustomerContact.id))).all())


def communication_email(customer: Customer, contacts: list[CustomerContact]) -> CommunicationEmail:
    """Explicitly chosen > primary > first work address > the main e-mail; opted-out addresses never win."""
    usable = [c for c in contacts if c.channel == "email" and not c.opted_out]
    for rule, reason in (
        (lambda c: c.chosen, "chosen explicitly"),
        (lambda c: c.is_primary, "the primary address"),
        (lambda c: c.label == "work", "the first work address"),
    ):
        winner = next((c for c in usable if rule(c)), None)
        if winner is not None:
            return CommunicationEmail(winner.value, reason)
    if customer.email:
        return CommunicationEmail(customer.email, "the customer's main e-mail")
    return CommunicationEmail("", "no usable e-mail address")


def add_contact(
    customer_id: int,
    channel: str,
    value: str,
    label: str,
    *,
    is_primary: bool = False,
    opted_out: bool = False,
    actor: Actor,
    session: Session,
) -> CustomerContact:
    """Add an e-mail or phone, checked like the main ones; a new primary replaces the old one of its kind."""
    require(actor, "customer.edit")
    if channel not in CONTACT_CHANNELS:
        raise ValidationError({"channel": "Choose e-mail or phone."})
    if label not in CONTACT_LABELS:
        raise ValidationError({"label": "Choose work, home, billing or other."})
    text = normalize.clean_text(value)
    if not text:
        raise ValidationError({"value": "Enter an e-mail address." if channel == "email" else "Enter a phone number."})
    try:
        checked = (
            normalize.normalize_email(text)
            if channel == "email"
            else normalize.normalize_phone(text, settings.default_phone_region)
        )
    except ValueError as exc:
        raise ValidationError({"value": str(exc)}) from exc
    customer = get_customer(customer_id, actor=actor, session=session)
    if is_primary:
        _clear(session, customer.id, channel, CustomerContact.is_primary)
    contact = CustomerContact(
        customer_id=customer.id,
        channel=channel,
        value=checked,
        label=label,
        is_primary=is_primary,
        opted_out=opted_out,
    )
    session.add(contact)
    session.flush()
    _audit(session, actor, customer.id, f"Added {CONTACT_CHANNELS[channel].lower()} {checked}")
    return contact


def change_contact(contact_id: int, change: str, *, actor: Actor, session: Session) -> CustomerContact:
    """Make a contact primary, choose it for communication, or switch its opted-out flag."""
    require(actor, "customer.edit")
    contact = _contact(contact_id, session)
    if change == "primary":
        _clear(session, contact.customer_id, contact.channel, CustomerContact.is_primary)
        contact.is_primary, summary = True, f"Made {contact.value} primary"
    elif change == "choose" and contact.channel == "email":
        _clear(session, contact.customer_id, "email", CustomerContact.chosen)
        contact.chosen, summary = True, f"Chose {contact.value} for communication"
    elif change == "opt_out":
        contact.opted_out = not contact.opted_out
        summary = f"{contact.value} {'opted out' if contact.opted_out else 'opted in again'}"
    else:
        raise ValidationError({"change": "Unknown change."})
    session.add(contact)
    session.flush()
    _audit(session, actor, contact.customer_id, summary)
    return contact


def delete_contact(contact_id: int, *, actor: Actor, session: Session) -> None:
    """Remove an extra e-mail or phone."""
    require(actor, "customer.edit")
    contact = _contact(contact_id, session)
    session.delete(contact)
    session.flush()
    _audit(session, actor, contact.customer_id, f"Removed {contact.value}")


def list_people(customer_id: int, *, actor: Actor, session: Session) -> list[ContactPerson]:
    """An institution's contact persons, in the order they were added."""
    require(actor, "customer.view")
    query = select(ContactPerson).where(col(ContactPerson.customer_id) == customer_id)
    return list(session.exec(query.order_by(col(ContactPerson.id))).all())


def add_person(customer_id: int, raw: dict[str, object], *, actor: Actor, session: Session) -> ContactPerson:
    """Add a contact person to an institution (name required; e-mail and phone checked when given)."""
    require(actor, "customer.edit")
    errors, values = {}, {}
    values["name"] = normalize.clean_text(raw.get("name")) or ""
    if not values["name"]:
        errors["name"] = "Enter the person's name."
    values["position"] = (normalize.clean_text(raw.get("position")) or "")[:120]
    for name, check in (
        ("email", normalize.normalize_email),
        ("phone", lambda v: normalize.normalize_phone(v, settings.default_phone_region)),
    ):
        text = normalize.clean_text(raw.get(name)) or ""
        try:
            values[name] = check(text) if text else ""
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise ValidationError(errors)
    customer = get_customer(customer_id, actor=actor, session=session)
    if customer.kind != CustomerKind.INSTITUTION:
        raise ValidationError({"name": "Only institutions have contact persons."})
    person = ContactPerson(customer_id=customer.id, **values)
    session.add(person)
    session.flush()
    _audit(session, actor, customer.id, f"Added contact person {person.name}")
    return person


def delete_person(person_id: int, *, actor: Actor, session: Session) -> None:
    """Remove a contact person."""
    require(actor, "customer.edit")
    person = session.get(ContactPerson, person_id)
    if person is None:
        raise NotFoundError("This contact person was already removed.")
    session.delete(person)
    session.flush()
    _audit(session, actor, person.customer_id, f"Removed contact person {person.name}")


def _contact(contact_id: int, session: Session) -> CustomerContact:
    contact = session.get(CustomerContact, contact_id)
    if contact is None:
        raise NotFoundError("This contact was already removed.")
    return contact


def _clear(session: Session, customer_id: int, channel: str, flag) -> None:
    session.execute(
        update(CustomerContact)
        .where(col(CustomerContact.customer_id) == customer_id, col(CustomerContact.channel) == channel)
        .values({flag: False})
    )


def _audit(session: Session, actor: Actor, customer_id: int, summary: str) -> None:
    audit.record(
        session,
        actor=actor,
        action="contact_info",
        entity_type="customer",
        entity_id=customer_id,
        summary=summary[:300],
    )
