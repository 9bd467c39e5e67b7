"""Values sent by the browser, read strictly: clients can send anything."""

from datetime import date

from customer_app.core.normalize import whole_number

ID_CHARS = 20  # longer than any row id the browser was shown (whole_number takes at most 18 digits)


def parse_ids(values: object) -> list[int]:
    """Row ids sent by the browser, keeping only well-formed ones (clients can send anything)."""
    items = values if isinstance(values, list | tuple) else [values]
    return [number for v in items if (number := whole_number(v)) is not None]


def day(value: str) -> date | None:
    """A yyyy-mm-dd date from a date input, or None when empty or malformed (clients can send anything)."""
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
