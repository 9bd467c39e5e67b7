"""The customer and how it is classified: one table for individuals and institutions, its other info, tags,
groups and custom fields."""

import enum
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Text, text
from sqlmodel import Field, SQLModel

from customer_app.core.columns import UTCDateTime, utc_column, utcnow
from customer_app.customers.ownership import owns, same_row


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
_IN_BATCH = text("trash_batch_id IS NOT NULL")


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
    language: str | None = Field(default=None, max_length=8)  # None: the workspace's language


class Customer(CustomerInput, table=True):
    """A customer row; soft-deleted rows keep `deleted_at` and live in Trash."""

    __tablename__: ClassVar[str] = "customer"
    __table_args__ = (
        _active_index("ix_customer_active_email_key", "email_key", unique=True),
        _active_index("ix_customer_active_name", "kind", "sort_name", "id"),
        _active_index("ix_customer_active_created", "kind", "created_at", "id"),
        _active_index("ix_customer_active_email", "kind", "email_key", "id"),
        _active_index("ix_customer_active_phone", "kind", "phone", "id"),
        _active_index("ix_customer_active_company", "kind", "company_key", "id"),
        Index("ix_customer_deleted", "deleted_at", sqlite_where=_DELETED, postgresql_where=_DELETED),
        Index("ix_customer_trash_batch", "trash_batch_id", sqlite_where=_IN_BATCH, postgresql_where=_IN_BATCH),
    )

    id: int = Field(default=None, primary_key=True)
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
    # The Trash action that moved it there (None when active): Restore all brings a whole removal back.
    trash_batch_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("trash_batch.id"), nullable=True)
    )
    version: int = Field(default=1)


class TrashBatch(SQLModel, table=True):
    """One Trash action, single or bulk: who moved how many customers to Trash, when, and why (an import's undo)."""

    __tablename__: ClassVar[str] = "trash_batch"

    id: int = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    actor_id: int | None = Field(default=None)  # like the audit trail's: kept even if the account goes away
    actor_name: str = Field(default="", max_length=254)
    label: str = Field(default="", max_length=300)  # e.g. "Undo of import #12 (customers.xlsx)"
    moved: int = Field(default=0)  # how many it moved; those still in Trash are counted from the customers


class CustomerTabCount(SQLModel, table=True):
    """Customers in one tab, or a change to that number: a tab's count is the sum of its rows.

    Only database triggers write here (migration f2a3b4c5d6e7), in the transaction of each customer write.
    """

    __tablename__: ClassVar[str] = "customer_tab_count"

    id: int = Field(default=None, primary_key=True)
    tab: str = Field(max_length=16)
    customers: int = Field(sa_column=Column(BigInteger, nullable=False))


FIELD_TYPES = {"text": "Text", "number": "Number", "date": "Date", "choice": "Single choice", "yes_no": "Yes / no"}
APPLIES_TO = {"individual": "Individuals", "institution": "Institutions", "all": "Individuals and institutions"}


class CustomField(SQLModel, table=True):
    """One field an admin defined: its label, type, the customers it applies to, and its choices."""

    __tablename__: ClassVar[str] = "custom_field"
    __table_args__ = (Index("ix_custom_field_order", "position", "id"),)

    id: int = Field(default=None, primary_key=True)
    label: str = Field(max_length=80)
    field_type: str = Field(max_length=16)
    applies_to: str = Field(max_length=16)
    options: str = Field(default="", sa_column=Column(Text, nullable=False))  # single choice: one per line
    required: bool = Field(default=False)
    position: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))

    @property
    def choices(self) -> list[str]:
        """The options of a single-choice field, in the admin's order."""
        return [line for line in self.options.split("\n") if line]


class CustomFieldValue(SQLModel, table=True):
    """A customer's value for one custom field, stored in a canonical text form (ISO dates, plain numbers)."""

    __tablename__: ClassVar[str] = "custom_field_value"
    __table_args__ = (Index("ix_custom_field_value_field", "field_id", "customer_id"),)

    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True))
    field_id: int = Field(
        sa_column=Column(Integer, ForeignKey("custom_field.id", ondelete="CASCADE"), primary_key=True)
    )
    value: str = Field(sa_column=Column(Text, nullable=False))


class CustomerProfile(SQLModel, table=True):
    """Other info about a customer: business number and sales rep (kept apart from the much-read customer row)."""

    __tablename__: ClassVar[str] = "customer_profile"

    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True))
    business_number: str = Field(default="", max_length=64)
    sales_rep_id: int | None = Field(default=None, foreign_key="staff_user.id")


def _tag_key(context) -> str:
    return context.get_current_parameters()["tag"].casefold()


class CustomerTag(SQLModel, table=True):
    """A free-text tag on a customer, kept as typed; `tag_key` (filled in on insert) is how filters match it."""

    __tablename__: ClassVar[str] = "customer_tag"
    __table_args__ = (
        Index("ix_customer_tag_tag", "tag", "customer_id"),
        Index("ix_customer_tag_key", "tag_key", "customer_id"),
    )

    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True))
    tag: str = Field(max_length=50, primary_key=True)
    tag_key: str = Field(default=None, sa_column=Column(String(150), nullable=False, default=_tag_key))


class CustomerGroup(SQLModel, table=True):
    """A group admins define (e.g. Wholesale, VIP); customers belong to any number of them."""

    __tablename__: ClassVar[str] = "customer_group"

    id: int = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)


class CustomerGroupMember(SQLModel, table=True):
    """A customer's membership of a group."""

    __tablename__: ClassVar[str] = "customer_group_member"
    __table_args__ = (Index("ix_customer_group_member_group", "group_id", "customer_id"),)

    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True))
    group_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer_group.id", ondelete="CASCADE"), primary_key=True)
    )


def _sales_rep_only(profile: CustomerProfile, customer_id: int) -> CustomerProfile | None:
    """A copy keeps the sales rep; the business number identifies one customer only."""
    return CustomerProfile(customer_id=customer_id, sales_rep_id=profile.sales_rep_id) if profile.sales_rep_id else None


owns(CustomerProfile, on_duplicate=_sales_rep_only, on_merge="drop")
owns(CustomerTag, on_duplicate=same_row)
owns(CustomerGroupMember, on_duplicate=same_row)
owns(CustomFieldValue, on_duplicate=same_row)
