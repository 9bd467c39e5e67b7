"""Portal accounts, their access to customers, their sessions, each customer's sections, and the portal settings."""

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from customer_app.core.columns import utc_column, utcnow
from customer_app.core.i18n import N_
from customer_app.customers.ownership import owns

# The portal's sections, in the order the navigation shows them; each customer's switches pick from these.
SECTIONS: dict[str, str] = {
    "profile": N_("Profile"),
    "tickets": N_("Tickets"),
    "documents": N_("Documents"),
    "invoices": N_("Invoices"),
    "estimates": N_("Estimates"),
    "sales_orders": N_("Sales orders"),
    "payments": N_("Payments"),
}
# Sections whose capability exists; the others are listed as coming with it and never shown in the portal.
AVAILABLE_SECTIONS: tuple[str, ...] = tuple(SECTIONS)  # every section exists now
DEFAULT_SECTIONS: tuple[str, ...] = ("profile", "tickets")


class PortalAccount(SQLModel, table=True):
    """A person who signs in to the portal: one per e-mail address, with access to one or more customers."""

    __tablename__: ClassVar[str] = "portal_account"

    id: int = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    email_key: str = Field(max_length=320, unique=True)
    name: str = Field(default="", max_length=200)
    password_hash: str | None = Field(default=None, max_length=200)  # None until the invitation is accepted
    language: str = Field(default="en", max_length=8)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    last_sign_in_at: datetime | None = Field(default=None, sa_column=utc_column(True))


class PortalGrant(SQLModel, table=True):
    """One account's access to one customer: who gave it and when, and whether it was taken back."""

    __tablename__: ClassVar[str] = "portal_grant"
    __table_args__ = (
        UniqueConstraint("customer_id", "account_id", name="uq_portal_grant_customer_account"),
        Index("ix_portal_grant_account", "account_id"),
    )

    id: int = Field(default=None, primary_key=True)
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False))
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("portal_account.id", ondelete="CASCADE"), nullable=False)
    )
    contact_name: str = Field(default="", max_length=200)  # an institution's contact person, or empty for itself
    invited_by_name: str = Field(default="", max_length=200)
    invited_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    opened_at: datetime | None = Field(default=None, sa_column=utc_column(True))  # the invitation link was opened
    revoked_at: datetime | None = Field(default=None, sa_column=utc_column(True))
    revoked_by_name: str = Field(default="", max_length=200)


class PortalSession(SQLModel, table=True):
    """A browser signed in to the portal, and the customer it is working for; only a hash of its token is kept."""

    __tablename__: ClassVar[str] = "portal_session"

    id: int = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("portal_account.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    customer_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("customer.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column())
    ended_at: datetime | None = Field(default=None, sa_column=utc_column(True))


class PortalSections(SQLModel, table=True):
    """Which portal sections a customer's people see (absent: the workspace's defaults)."""

    __tablename__: ClassVar[str] = "portal_sections"

    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True))
    sections: str = Field(default="", max_length=200)  # keys of SECTIONS, comma-separated


class PortalEmailChange(SQLModel, table=True):
    """A new e-mail address a portal user asked for, waiting for the link sent there to be opened."""

    __tablename__: ClassVar[str] = "portal_email_change"

    id: int = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("portal_account.id", ondelete="CASCADE"), nullable=False)
    )
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False))
    new_email: str = Field(max_length=254)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())


class PortalSettings(SQLModel, table=True):
    """The workspace's portal settings: default sections and the welcome e-mail (one row)."""

    __tablename__: ClassVar[str] = "portal_settings"

    id: int = Field(default=None, primary_key=True)
    default_sections: str = Field(default=",".join(DEFAULT_SECTIONS), max_length=200)


class PortalTemplate(SQLModel, table=True):
    """The welcome e-mail in one language, as admins wrote it (absent: the built-in text)."""

    __tablename__: ClassVar[str] = "portal_template"

    language: str = Field(max_length=8, primary_key=True)
    subject: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))


# Access belongs to the person it was given to: a copy of the customer starts without it, a merge drops it (the
# people are asked again), erasing the customer removes it.
owns(PortalGrant, on_merge="drop")
owns(PortalSections, on_merge="drop")
owns(PortalSession, on_merge="drop", personal_data=False)
owns(PortalEmailChange, on_merge="drop")
