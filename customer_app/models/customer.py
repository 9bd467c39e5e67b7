"""The customer aggregate: one table for individuals and institutions."""

import enum
from datetime import date, datetime

from sqlalchemy import Column, Index, Text, text
from sqlmodel import Field, SQLModel

from customer_app.core.columns import utc_column, utcnow


class CustomerKind(enum.StrEnum):
    """Whether a customer is a person or an organisation."""

    INDIVIDUAL = "individual"
    INSTITUTION = "institution"


GENDERS = ("Female", "Male", "Non-binary", "Prefer not to say")
OWNERSHIP_TYPES = (
    "Sole proprietorship",
    "Partnership",
    "Limited liability company",
    "Corporation",
    "Non-profit",
    "Government",
    "Other",
)


_ACTIVE = text("deleted_at IS NULL")
_DELETED = text("deleted_at IS NOT NULL")


def _active_index(name: str, *columns: str, unique: bool = False) -> Index:
    return Index(name, *columns, unique=unique, sqlite_where=_ACTIVE, postgresql_where=_ACTIVE)


class CustomerInput(SQLModel):
    """A validated, normalised customer as entered in a form or an import row."""

    kind: CustomerKind = CustomerKind.INDIVIDUAL
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    mobile: str | None = Field(default=None, max_length=32)
    fax: str | None = Field(default=None, max_length=32)
    company_name: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=300)
    vat_number: str | None = Field(default=None, max_length=32)
    position: str | None = Field(default=None, max_length=120)
    footnotes: str | None = None
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    date_of_birth: date | None = None
    gender: str | None = Field(default=None, max_length=32)
    name: str | None = Field(default=None, max_length=200)
    ownership_type: str | None = Field(default=None, max_length=64)


class Customer(CustomerInput, table=True):
    """A customer row; soft-deleted rows keep `deleted_at` and live in Trash."""

    __tablename__ = "customer"
    __table_args__ = (
        _active_index("ix_customer_active_email_key", "email_key", unique=True),
        _active_index("ix_customer_active_name", "kind", "sort_name", "id"),
        _active_index("ix_customer_active_created", "kind", "created_at", "id"),
        _active_index("ix_customer_active_email", "kind", "email_key", "id"),
        _active_index("ix_customer_active_phone", "kind", "phone", "id"),
        _active_index("ix_customer_active_company", "kind", "company_key", "id"),
        Index("ix_customer_deleted", "deleted_at", sqlite_where=_DELETED, postgresql_where=_DELETED),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    footnotes: str | None = Field(default=None, sa_column=Column(Text))
    picture: str | None = Field(default=None, max_length=64)
    email_key: str | None = Field(default=None, max_length=320)
    display_name: str = Field(max_length=300)
    sort_name: str = Field(max_length=300)
    company_key: str | None = Field(default=None, max_length=200)
    search_text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(False))
    deleted_at: datetime | None = Field(default=None, sa_column=utc_column(True))
    version: int = Field(default=1)
