"""Fields admins add to customers (per kind), and each customer's values for them."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from customer_app.core.columns import UTCDateTime, utcnow

FIELD_TYPES = {"text": "Text", "number": "Number", "date": "Date", "choice": "Single choice", "yes_no": "Yes / no"}
APPLIES_TO = {"individual": "Individuals", "institution": "Institutions", "all": "Individuals and institutions"}


class CustomField(SQLModel, table=True):
    """One field an admin defined: its label, type, the customers it applies to, and its choices."""

    __tablename__ = "custom_field"
    __table_args__ = (Index("ix_custom_field_order", "position", "id"),)

    id: int | None = Field(default=None, primary_key=True)
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

    __tablename__ = "custom_field_value"
    __table_args__ = (Index("ix_custom_field_value_field", "field_id", "customer_id"),)

    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True))
    field_id: int = Field(
        sa_column=Column(Integer, ForeignKey("custom_field.id", ondelete="CASCADE"), primary_key=True)
    )
    value: str = Field(sa_column=Column(Text, nullable=False))
