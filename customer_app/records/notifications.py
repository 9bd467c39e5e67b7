"""Which e-mails each customer receives; every feature that mails a customer asks here first."""

from sqlmodel import Session, col, select

from customer_app.core import audit, mail
from customer_app.core.columns import utcnow
from customer_app.core.models import OutboxMessage
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.customers.models import Customer
from customer_app.errors import ValidationError
from customer_app.records.models import NOTIFICATION_DEFAULTS, NOTIFICATION_TOPICS, CustomerNotification


def preferences(customer_id: int, *, actor: Actor, session: Session) -> dict[str, bool]:
    """Each kind of e-mail and whether this customer gets it (defaults where they never chose)."""
    require(actor, "customer.view")
    return _preferences(customer_id, session)


def _preferences(customer_id: int, session: Session) -> dict[str, bool]:
    chosen = session.exec(select(CustomerNotification).where(col(CustomerNotification.customer_id) == customer_id))
    return NOTIFICATION_DEFAULTS | {row.topic: row.enabled for row in chosen if row.topic in NOTIFICATION_TOPICS}


def set_preference(customer_id: int, topic: str, enabled: bool, *, actor: Actor, session: Session) -> None:
    """Switch one kind of e-mail on or off for an active customer."""
    require(actor, "customer.edit")
    if topic not in NOTIFICATION_TOPICS:
        raise ValidationError({"topic": "Unknown kind of e-mail."})
    customer = get_customer(customer_id, actor=actor, session=session)
    before = _preferences(customer.id, session)[topic]
    row = session.get(CustomerNotification, (customer.id, topic))
    if row is None:
        row = CustomerNotification(customer_id=customer.id, topic=topic, enabled=enabled)
    row.enabled, row.updated_at = enabled, utcnow()
    session.add(row)
    session.flush()
    if before != enabled:
        label = NOTIFICATION_TOPICS[topic]
        audit.record(
            session,
            actor=actor,
            action="notifications",
            entity_type="customer",
            entity_id=customer.id,
            summary=f"{label} e-mails {'on' if enabled else 'off'} for {customer.display_name}",
            changes=audit.field_changes({label: "on" if before else "off"}, {label: "on" if enabled else "off"}),
        )


def mail_customer(
    customer: Customer,
    topic: str,
    subject: str,
    body: str,
    *,
    session: Session,
    attachment: tuple[str, bytes] | None = None,
) -> OutboxMessage | None:
    """Send `topic` mail to a customer unless they switched it off or have no e-mail; None when not sent.

    For the services that mail customers, which checked their actor (it reveals nothing to a caller).
    """
    if topic not in NOTIFICATION_TOPICS:
        raise ValueError(f"Unknown kind of e-mail: {topic}")
    if not customer.email or not _preferences(customer.id, session)[topic]:
        return None
    return mail.send_mail(customer.email, subject, body, session=session, attachment=attachment)
