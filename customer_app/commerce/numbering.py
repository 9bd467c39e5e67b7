"""Document numbers: one sequence per kind, taken in the issuing transaction so numbers are unique and gapless."""

from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from customer_app.errors import CustomerAppError

_TAKE = text(
    "UPDATE number_sequence SET next_value = next_value + 1 WHERE kind = :kind "
    "RETURNING next_value - 1, prefix, padding"
)


def take_number(kind: str, on: date, *, session: Session) -> str:
    """The next number of `kind`, e.g. INV-2026-00042 (the prefix may name the year as {year}).

    One conditional UPDATE takes it: on PostgreSQL it locks the sequence's row until the transaction ends, on SQLite
    the whole write; a transaction that rolls back gives its number back, so there are no gaps.
    """
    row = session.execute(_TAKE, {"kind": kind}).first()
    if row is None:
        raise CustomerAppError(f"No number sequence for {kind} documents: ask an admin to set one up.")
    value, prefix, padding = row
    return f"{prefix.replace('{year}', str(on.year))}{value:0{padding}d}"
