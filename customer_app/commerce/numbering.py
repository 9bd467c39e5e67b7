"""Document numbers: one sequence per kind, taken in the issuing transaction so numbers are unique and gapless, and
how admins shape them (prefix, digits, the next number)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlmodel import Session, col, select

from customer_app.commerce.models import KINDS, Document, NumberSequence
from customer_app.core import audit
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.errors import CustomerAppError, NotFoundError, ValidationError

MAX_PREFIX = 20
MAX_PADDING = 10

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
    return _format(prefix, padding, value, on)


@dataclass(frozen=True)
class SequenceRow:
    """One kind's sequence as admins see it, with the number the next document of that kind gets."""

    kind: str
    label: str
    prefix: str
    padding: int
    next_value: int
    next_number: str


def sequences(*, actor: Actor, session: Session, on: date | None = None) -> list[SequenceRow]:
    """Every kind's sequence, in the order documents are listed."""
    require(actor, "settings.manage")
    found = {row.kind: row for row in session.exec(select(NumberSequence))}
    day = on or date.today()
    return [
        SequenceRow(
            kind, label, row.prefix, row.padding, row.next_value, _format(row.prefix, row.padding, row.next_value, day)
        )
        for kind, label in KINDS.items()
        if (row := found.get(kind)) is not None
    ]


def save_sequence(
    kind: str, *, prefix: str, padding: str, next_value: str, actor: Actor, session: Session, on: date | None = None
) -> SequenceRow:
    """Change how the next numbers of `kind` look; never to a number already given (numbers stay unique)."""
    require(actor, "settings.manage")
    row = session.get(NumberSequence, kind) if kind in KINDS else None
    if row is None:
        raise NotFoundError("This kind of document has no number sequence.")
    errors: dict[str, str] = {}
    text_prefix = (clean_text(prefix) or "").replace(" ", "")
    if len(text_prefix) > MAX_PREFIX or not all(c.isalnum() or c in "-_/.{}" for c in text_prefix):
        errors["prefix"] = f"Use up to {MAX_PREFIX} letters, digits and - _ / . (and {{year}} for the year)."
    width = padding.strip()
    if not width.isdigit() or not 1 <= int(width) <= MAX_PADDING:
        errors["padding"] = f"Give the digits as a whole number from 1 to {MAX_PADDING}."
    start = next_value.strip()
    if not start.isdigit() or not 1 <= int(start) < 10**MAX_PADDING:
        errors["next_value"] = "Give the next number as a whole number from 1."
    if errors:
        raise ValidationError(errors)
    day = on or date.today()
    rendered = text_prefix.replace("{year}", str(day.year))
    highest = _highest_given(kind, rendered, session)
    if int(start) <= highest:
        taken = _format(text_prefix, int(width), highest, day)
        raise ValidationError({"next_value": f"{taken} has been given already: start above {highest}."})
    before = {"prefix": row.prefix, "padding": row.padding, "next": row.next_value}
    row.prefix, row.padding, row.next_value = text_prefix, int(width), int(start)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="number_sequence",
        entity_type="settings",
        entity_id=None,
        summary=f"Numbers of {KINDS[kind].lower()}s changed",
        changes=audit.field_changes(before, {"prefix": row.prefix, "padding": row.padding, "next": row.next_value}),
    )
    return SequenceRow(
        kind,
        KINDS[kind],
        row.prefix,
        row.padding,
        row.next_value,
        _format(row.prefix, row.padding, row.next_value, day),
    )


def _format(prefix: str, padding: int, value: int, on: date) -> str:
    return f"{prefix.replace('{year}', str(on.year))}{value:0{padding}d}"


def _highest_given(kind: str, rendered_prefix: str, session: Session) -> int:
    """The highest number already given to `kind` under this prefix (0 if none): the next must be above it."""
    query = select(Document.number).where(
        col(Document.kind) == kind, col(Document.number).startswith(rendered_prefix, autoescape=True)
    )
    values = [number[len(rendered_prefix) :] for number in session.exec(query) if number]
    return max((int(value) for value in values if value.isdigit()), default=0)
