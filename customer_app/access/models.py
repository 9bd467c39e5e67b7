"""Staff accounts, their sign-in sessions, sign-in attempts and one-time tokens."""

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from customer_app.core.columns import utc_column, utcnow


class StaffUser(SQLModel, table=True):
    """A person who works in the workspace."""

    __tablename__: ClassVar[str] = "staff_user"

    id: int = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    email_key: str = Field(max_length=320, unique=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    password_hash: str | None = Field(default=None, max_length=200)  # None until an invitation is accepted
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    locked_until: datetime | None = Field(default=None, sa_column=utc_column(True))


class StaffSession(SQLModel, table=True):
    """A signed-in browser; only a hash of its token is stored."""

    __tablename__: ClassVar[str] = "staff_session"

    id: int = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column())
    remember: bool = Field(default=False)
    ended_at: datetime | None = Field(default=None, sa_column=utc_column(True))


class SignInAttempt(SQLModel, table=True):
    """One failed (or successful) sign-in, kept for throttling and the audit log."""

    __tablename__: ClassVar[str] = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_email", "email_key", "realm", "at"),
        Index("ix_sign_in_attempt_address", "address", "realm", "at"),
    )

    id: int = Field(default=None, primary_key=True)
    email_key: str = Field(max_length=320)
    address: str = Field(max_length=64)
    realm: str = Field(default="staff", max_length=8)  # "staff" or "portal": each counts its own failures
    succeeded: bool = Field(default=False)
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column())


class DownloadLink(SQLModel, table=True):
    """A short-lived link to one private file (an export, an import's error report, a document's PDF); only the
    token's hash is kept."""

    __tablename__: ClassVar[str] = "download_link"

    id: int = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int
    path: str = Field(max_length=500)
    download_name: str = Field(max_length=255)
    expires_at: datetime = Field(sa_column=utc_column())
