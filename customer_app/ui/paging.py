"""Page arithmetic for tables shown a page at a time."""

from math import ceil

from customer_app.ui.parsing import parse_ids


def page_count(total: int, page_size: int) -> int:
    """Number of pages (at least one)."""
    return max(1, ceil(total / max(1, page_size)))


def range_text(page: int, page_size: int, total: int, *, at_least: bool = False) -> str:
    """Which rows are shown, e.g. "26–50 of 1,204" ("of 5,000+" when the total is only a lower bound)."""
    if not total:
        return "0 of 0"
    first = (page - 1) * page_size + 1
    return f"{first:,}–{min(page * page_size, total):,} of {total:,}{'+' if at_least else ''}"


def page_number(value: object, pages: int) -> int:
    """A page asked for by the browser, clamped to the pages that exist."""
    return min(max(1, (parse_ids(value) or [1])[0]), pages)
