"""Values sent by the browser, read strictly: clients can send anything."""

from datetime import date


def parse_ids(values: object) -> list[int]:
    """Row ids sent by the browser, keeping only well-formed ones (clients can send anything)."""
    items = values if isinstance(values, list | tuple) else [values]
    return [int(v) for v in items if str(v).isdigit() and len(str(v)) < 19]


def day(value: str) -> date | None:
    """A yyyy-mm-dd date from a date input, or None when empty or malformed (clients can send anything)."""
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
