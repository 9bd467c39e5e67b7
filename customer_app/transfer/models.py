"""Spreadsheet imports (their jobs, recorded changes and remembered mappings) and saved export configurations."""

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from customer_app.core.columns import utc_column, utcnow
from customer_app.customers.ownership import owns


def _json() -> Column:
    return Column(Text, nullable=False)


class ImportJob(SQLModel, table=True):
    """One uploaded file on its way in: its settings, progress, counts and outcome."""

    __tablename__: ClassVar[str] = "import_job"
    __table_args__ = (Index("ix_import_job_created", "created_at", "id"),)

    id: int = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    created_by: int | None = Field(default=None)
    created_by_name: str = Field(default="", max_length=200)  # kept even if the account goes away
    file_name: str = Field(max_length=255)
    stored_as: str = Field(default="", max_length=64)  # private file name while the job needs it; "" once deleted
    sheet: str = Field(default="", max_length=100)
    header_line: int = Field(default=0)  # the file's line holding the column names; 0 until the columns are read
    mode: str = Field(default="both", max_length=16)  # create, update, both
    match_on: str = Field(default="email", max_length=16)  # email, vat_number, id
    mapping: str = Field(default="[]", sa_column=_json())  # JSON: one field key (or "") per column
    # uploaded → running → done / failed / cancelled; cancelling while asked to stop; undone after Undo
    status: str = Field(default="uploaded", max_length=16)
    total_rows: int = Field(default=0)
    done_rows: int = Field(default=0)
    created_count: int = Field(default=0)
    updated_count: int = Field(default=0)
    unchanged_count: int = Field(default=0)
    skipped_count: int = Field(default=0)
    error_count: int = Field(default=0)
    message: str = Field(default="", max_length=500)
    started_at: datetime | None = Field(default=None, sa_column=utc_column(True))
    finished_at: datetime | None = Field(default=None, sa_column=utc_column(True))
    undone_at: datetime | None = Field(default=None, sa_column=utc_column(True))


class ImportChange(SQLModel, table=True):
    """What an import did to one customer, so it can be undone: created, or fields changed from → to."""

    __tablename__: ClassVar[str] = "import_change"
    __table_args__ = (Index("ix_import_change_job", "job_id", "id"), Index("ix_import_change_customer", "customer_id"))

    id: int = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="import_job.id")
    # A purged customer takes its import records along: nothing is left to undo for it.
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False))
    action: str = Field(max_length=8)  # create, update
    before: str = Field(default="{}", sa_column=_json())  # JSON of the changed fields' previous values
    after: str = Field(default="{}", sa_column=_json())  # JSON of what the import wrote to them


class ImportMapping(SQLModel, table=True):
    """The column mapping last used for a file with these headers, offered again next time."""

    __tablename__: ClassVar[str] = "import_mapping"

    id: int = Field(default=None, primary_key=True)
    headers_key: str = Field(max_length=64, unique=True)  # a hash of the normalised headers
    mapping: str = Field(default="[]", sa_column=_json())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())


class ExportConfig(SQLModel, table=True):
    """A named, reusable export choice: format, scope and columns in order."""

    __tablename__: ClassVar[str] = "export_config"

    id: int = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    file_format: str = Field(default="xlsx", max_length=8)
    scope: str = Field(default="view", max_length=16)  # view, selected, all
    columns: str = Field(default="[]", sa_column=_json())
    created_by: int | None = Field(default=None)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())


# An import's record of a customer is bookkeeping for undo, not the customer's own data.
owns(ImportChange, on_merge="drop", personal_data=False)
