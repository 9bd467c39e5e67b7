"""Staff accounts, their sign-in sessions, sign-in attempts and one-time tokens."""

import enum
from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from customer_app.models.customer import UTCDateTime, utcnow


class Role(enum.StrEnum):
    """What a staff member may do; each role includes the ones below it."""

    ADMIN = "admin"
    STAFF = "staff"
    READ_ONLY = "read_only"


ROLE_LABELS = {Role.ADMIN: "Admin", Role.STAFF: "Staff", Role.READ_ONLY: "Read-only"}


def _ts(nullable: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable)


class StaffUser(SQLModel, table=True):
    """A person who works in the workspace."""

    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    email_key: str = Field(max_length=320, unique=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    password_hash: str | None = Field(default=None, max_length=200)  # None until an invitation is accepted
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    locked_until: datetime | None = Field(default=None, sa_column=_ts(True))


class StaffSession(SQLModel, table=True):
    """A signed-in browser; only a hash of its token is stored."""

    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    expires_at: datetime = Field(sa_column=_ts())
    remember: bool = Field(default=False)
    ended_at: datetime | None = Field(default=None, sa_column=_ts(True))


class SignInAttempt(SQLModel, table=True):
    """One failed (or successful) sign-in, kept for throttling and the audit log."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_email", "email_key", "at"),
        Index("ix_sign_in_attempt_address", "address", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email_key: str = Field(max_length=320)
    address: str = Field(max_length=64)
    succeeded: bool = Field(default=False)
    at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class OneTimeToken(SQLModel, table=True):
    """A single-use, expiring link token (password reset or invitation); only its hash is stored."""

    __tablename__ = "one_time_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    purpose: str = Field(max_length=16)  # "reset" or "invite"
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    expires_at: datetime = Field(sa_column=_ts())
    used_at: datetime | None = Field(default=None, sa_column=_ts(True))


class AuditEvent(SQLModel, table=True):
    """One thing that happened: who, when, what, and each changed field from → to. Append-only."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_at", "at", "id"),
        Index("ix_audit_event_entity", "entity_type", "entity_id", "at"),
        Index("ix_audit_event_actor", "actor_id", "at"),
        Index("ix_audit_event_action", "action", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    actor_id: int | None = Field(default=None)
    actor_email: str = Field(default="", max_length=254)  # kept even if the account goes away
    action: str = Field(max_length=32)
    entity_type: str = Field(max_length=32)
    entity_id: int | None = Field(default=None)
    summary: str = Field(default="", max_length=300)
    changes: str = Field(default="", sa_column=Column(Text, nullable=False))  # JSON: {field: [before, after]}
    address: str = Field(default="", max_length=64)


class OutboxMessage(SQLModel, table=True):
    """An e-mail: delivered by SMTP when configured, otherwise kept here for admins to read."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_created", "created_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    to: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    status: str = Field(default="outbox", max_length=16)  # outbox, sent, failed
    error: str = Field(default="", max_length=500)
