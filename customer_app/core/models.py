"""Tables the core services write: the audit trail, the outbox and one-time link tokens."""

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Column, Index, LargeBinary, Text
from sqlmodel import Field, SQLModel

from customer_app.core.columns import utc_column, utcnow


class OneTimeToken(SQLModel, table=True):
    """A single-use, expiring link token (password reset, invitation) for any kind of account; only its hash is
    stored. `subject_type` says which table `subject_id` points into ("staff" today; portal accounts next)."""

    __tablename__: ClassVar[str] = "one_time_token"
    __table_args__ = (Index("ix_one_time_token_subject", "subject_type", "subject_id", "purpose", "created_at"),)

    id: int = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    purpose: str = Field(max_length=16)  # "reset" or "invite"
    subject_type: str = Field(max_length=16)
    subject_id: int
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column())
    used_at: datetime | None = Field(default=None, sa_column=utc_column(True))


class AuditEvent(SQLModel, table=True):
    """One thing that happened: who, when, what, and each changed field from → to. Append-only."""

    __tablename__: ClassVar[str] = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_at", "at", "id"),
        Index("ix_audit_event_entity", "entity_type", "entity_id", "at"),
        Index("ix_audit_event_actor", "actor_id", "at"),
        Index("ix_audit_event_action", "action", "at"),
    )

    id: int = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
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

    __tablename__: ClassVar[str] = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_created", "created_at", "id"),)

    id: int = Field(default=None, primary_key=True)
    to: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    status: str = Field(default="outbox", max_length=16)  # outbox (no SMTP), queued (until delivered), sent, failed
    error: str = Field(default="", max_length=500)
    attachment_name: str = Field(default="", max_length=200)  # one file sent with the message (a document's PDF)
    attachment: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class BackgroundJob(SQLModel, table=True):
    """Long work any worker may run: a lease says who runs it now, and a lease nobody renews is taken over."""

    __tablename__: ClassVar[str] = "background_job"
    __table_args__ = (Index("ix_background_job_pending", "status", "lease_until", "id"),)

    id: int = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)  # which registered runner does the work: "import", "import_undo", "export"
    subject_id: int | None = Field(default=None)  # the row the work is about (an import job, say)
    params: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON
    actor: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON: who asked, as they were then
    status: str = Field(default="queued", max_length=16)  # queued → running → done / failed
    attempts: int = Field(default=0)  # runs started; a run that never ended counts as well
    lease_owner: str = Field(default="", max_length=100)
    lease_until: datetime | None = Field(default=None, sa_column=utc_column(True))
    heartbeat_at: datetime | None = Field(default=None, sa_column=utc_column(True))
    done: int = Field(default=0)
    total: int = Field(default=0)
    result: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON the work hands back
    message: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    finished_at: datetime | None = Field(default=None, sa_column=utc_column(True))
