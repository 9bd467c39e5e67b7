"""Values as tables show them."""

from datetime import datetime


def when(at: datetime | None) -> str:
    """A UTC time to the minute, e.g. 2026-11-24 14:03."""
    return at.strftime("%Y-%m-%d %H:%M") if at else ""
