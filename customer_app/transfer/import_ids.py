"""Whether a column of customer IDs holds this workspace's IDs or another system's (Zoho, QuickBooks, Xero…)."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from customer_app.core.normalize import whole_number
from customer_app.customers.models import Customer
from customer_app.transfer.import_mapping import SKIP, match_key

ID_SAMPLE = 500  # values looked at: plenty to meet one of ours, and quick on a file of a million rows
_LARGEST_ID = 2**31 - 1  # a bigger number (a Zoho id) cannot be ours, and PostgreSQL refuses it as an integer
_KEY_NAMES = {"email": "e-mail", "vat_number": "VAT number"}


def is_ours(values: Sequence[object], *, session: Session) -> bool:
    """Whether any of these cell values is the ID of one of this workspace's active customers."""
    ids = {number for number in map(_whole, values) if number is not None and 0 < number <= _LARGEST_ID}
    if not ids:
        return False
    query = select(Customer.id).where(col(Customer.id).in_(sorted(ids)), col(Customer.deleted_at).is_(None))
    return session.exec(query.limit(1)).first() is not None


def drop_foreign_ids(
    headers: Sequence[str], mapping: list[str], rows: Sequence[tuple[int, list]], *, session: Session
) -> tuple[list[str], str]:
    """The mapping without a customer ID column whose values are none of ours, and a notice why ("" if kept).

    Matching on another system's ids would fail every row with "No customer has the ID …"; the e-mail (or VAT
    number) still finds the customers this workspace has.
    """
    if "id" not in mapping:
        return mapping, ""
    index = mapping.index("id")
    values = [cells[index] for _line, cells in rows[:ID_SAMPLE] if index < len(cells)]
    values = [value for value in values if value not in (None, "")]
    if not values or is_ours(values, session=session):
        return mapping, ""
    kept = [SKIP if field == "id" else field for field in mapping]
    header = headers[index] or f"Column {index + 1}"
    key = match_key(kept)
    instead = f"matching on {_KEY_NAMES[key]} instead" if key in kept else "that column is not imported"
    return kept, f"The values in “{header}” are not this workspace's customer IDs; {instead}."


def _whole(value: object) -> int | None:
    """A cell read as a whole number (a spreadsheet may store 12 as 12.0), else None."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return whole_number(value)
