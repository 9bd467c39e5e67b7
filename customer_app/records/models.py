"""What staff record on a customer's page beyond the customer row itself, one table per kind of record."""

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from customer_app.core.columns import UTCDateTime, utcnow
from customer_app.customers.ownership import owns, same_row

NOTE_MAX_CHARS = 5000


class CustomerNote(SQLModel, table=True):
    """One note: plain text, its author and time; removed with its customer."""

    __tablename__: ClassVar[str] = "customer_note"
    __table_args__ = (Index("ix_customer_note_customer", "customer_id", "created_at", "id"),)

    id: int = Field(default=None, primary_key=True)
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False))
    author_id: int | None = Field(default=None)
    author_name: str = Field(default="", max_length=200)  # kept even if the account goes away
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


TICKET_STATUSES = {"new": "New", "in_progress": "In progress", "solved": "Solved", "cancelled": "Cancelled"}
TICKET_PRIORITIES = {"low": "Low", "normal": "Normal", "high": "High", "urgent": "Urgent"}


class Ticket(SQLModel, table=True):
    """A customer's request or problem, worked through New → In progress → Solved (or Cancelled)."""

    __tablename__: ClassVar[str] = "ticket"
    __table_args__ = (Index("ix_ticket_customer", "customer_id", "status", "created_at", "id"),)

    id: int = Field(default=None, primary_key=True)
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False))
    subject: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    priority: str = Field(default="normal", max_length=16)
    status: str = Field(default="new", max_length=16)
    created_by_name: str = Field(default="", max_length=200)
    from_customer: bool = Field(default=False)  # opened by the customer in the portal
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class TicketStatusChange(SQLModel, table=True):
    """One step in a ticket's status history: from, to, who and when."""

    __tablename__: ClassVar[str] = "ticket_status_change"
    __table_args__ = (Index("ix_ticket_status_change_ticket", "ticket_id", "id"),)

    id: int = Field(default=None, primary_key=True)
    ticket_id: int = Field(sa_column=Column(Integer, ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False))
    from_status: str = Field(default="", max_length=16)
    to_status: str = Field(max_length=16)
    changed_by_name: str = Field(default="", max_length=200)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


REPLY_MAX_CHARS = 10_000


class TicketReply(SQLModel, table=True):
    """One message in a ticket's thread, from staff on the customer page or from the customer in the portal."""

    __tablename__: ClassVar[str] = "ticket_reply"
    __table_args__ = (Index("ix_ticket_reply_ticket", "ticket_id", "id"),)

    id: int = Field(default=None, primary_key=True)
    ticket_id: int = Field(sa_column=Column(Integer, ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    author_name: str = Field(default="", max_length=200)  # kept even if the account goes away
    from_customer: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


ACTIVITY_KINDS = {"meeting": "Meeting", "call": "Call", "task": "Task"}
ACTIVITY_STATUSES = {"planned": "Planned", "done": "Done", "cancelled": "Cancelled"}


class Activity(SQLModel, table=True):
    """A meeting, call or task with a customer, at a time (UTC) and for a duration."""

    __tablename__: ClassVar[str] = "activity"
    __table_args__ = (Index("ix_activity_customer", "customer_id", "starts_at", "id"),)

    id: int = Field(default=None, primary_key=True)
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False))
    kind: str = Field(default="meeting", max_length=16)
    title: str = Field(max_length=200)
    starts_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    duration_minutes: int = Field(default=30)
    location: str = Field(default="", max_length=200)
    participants: str = Field(default="", max_length=1000)
    status: str = Field(default="planned", max_length=16)
    created_by_name: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


NOTIFICATION_TOPICS = {
    "invoices": "Invoices",
    "payment_reminders": "Payment reminders",
    "portal_notices": "Portal notices",
    "newsletters": "Newsletters",
}
# Business mail is on until switched off; marketing needs the customer's yes first.
NOTIFICATION_DEFAULTS = {"invoices": True, "payment_reminders": True, "portal_notices": True, "newsletters": False}


class CustomerNotification(SQLModel, table=True):
    """A customer's choice for one kind of e-mail; no row means the default for that kind."""

    __tablename__: ClassVar[str] = "customer_notification"

    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True))
    topic: str = Field(max_length=32, primary_key=True)
    enabled: bool
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


CONTACT_LABELS = {"work": "Work", "home": "Home", "billing": "Billing", "other": "Other"}
CONTACT_CHANNELS = {"email": "E-mail", "phone": "Phone"}


class CustomerContact(SQLModel, table=True):
    """An extra e-mail address or phone number of a customer, labelled, maybe primary, maybe opted out."""

    __tablename__: ClassVar[str] = "customer_contact"
    __table_args__ = (Index("ix_customer_contact_customer", "customer_id", "channel", "id"),)

    id: int = Field(default=None, primary_key=True)
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False))
    channel: str = Field(max_length=8)  # email, phone
    value: str = Field(max_length=254)
    label: str = Field(default="work", max_length=16)
    is_primary: bool = Field(default=False)
    opted_out: bool = Field(default=False)
    chosen: bool = Field(default=False)  # picked explicitly as the address for communication (e-mail only)


class ContactPerson(SQLModel, table=True):
    """Someone to talk to at an institution."""

    __tablename__: ClassVar[str] = "contact_person"
    __table_args__ = (Index("ix_contact_person_customer", "customer_id", "id"),)

    id: int = Field(default=None, primary_key=True)
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False))
    name: str = Field(max_length=200)
    position: str = Field(default="", max_length=120)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=32)


ADDRESS_KINDS = {"billing": "Billing", "shipping": "Shipping", "other": "Other"}


class CustomerAddress(SQLModel, table=True):
    """A postal address; one billing and one shipping address can be the default of their kind."""

    __tablename__: ClassVar[str] = "customer_address"
    __table_args__ = (Index("ix_customer_address_customer", "customer_id", "id"),)

    id: int = Field(default=None, primary_key=True)
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False))
    kind: str = Field(default="billing", max_length=16)
    street: str = Field(max_length=500)
    city: str = Field(default="", max_length=120)
    postal_code: str = Field(default="", max_length=20)
    region: str = Field(default="", max_length=120)
    country_code: str = Field(max_length=2)
    is_default: bool = Field(default=False)


# What happened with a customer stays with the original when it is duplicated; e-mail switches are copied.
owns(CustomerNote)
owns(Ticket)
owns(Activity)
owns(CustomerNotification, on_duplicate=same_row, on_merge="drop")
owns(CustomerContact)
owns(ContactPerson)
owns(CustomerAddress)
