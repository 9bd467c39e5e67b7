"""Column types every table shares: timestamps kept in UTC, exact decimals."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, String, TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp that always comes back timezone-aware in UTC (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def utc_column(nullable: bool = False) -> Column:
    """A UTC timestamp column."""
    return Column(UTCDateTime(), nullable=nullable)


class DecimalText(TypeDecorator):
    """An exact decimal kept as text: SQLite's NUMERIC is a float (a 14-digit amount came back changed)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


def decimal_column(default: str = "0") -> Column:
    """An exact decimal column (quantities, prices, rates)."""
    return Column(DecimalText(), nullable=False, default=Decimal(default))
