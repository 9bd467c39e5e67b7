"""Notes staff write on a customer's page."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from customer_app.models.customer import UTCDateTime, utcnow

NOTE_MAX_CHARS = 5000


class CustomerNote(SQLModel, table=True):
    """One note: plain text, its author and time; removed with its customer."""

    __tablename__ = "customer_note"
    __table_args__ = (Index("ix_customer_note_customer", "customer_id", "created_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False))
    author_id: int | None = Field(default=None)
    author_name: str = Field(default="", max_length=200)  # kept even if the account goes away
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
