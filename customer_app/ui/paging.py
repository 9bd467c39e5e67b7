"""Page arithmetic for tables shown a page at a time."""

from math import ceil

from customer_app.ui.parsing import parse_ids


def page_count(total: int, page_size: int) -> int:
    """Number of pages (at least one)."""
    return max(1, ceil(total / max(1, page_size)))


def range_text(page: int, page_size: int, total: int, *, about: bool = False) -> str:
    """Which rows are shown, e.g. "26–50 of 1,204" ("of about 49,000" when the total is an estimate)."""
    if not total:
        return "0 of 0"
    first = (page - 1) * page_size + 1
    if about:
        return f"{first:,}–{page * page_size:,} of about {rounded(total):,}"
    return f"{first:,}–{min(page * page_size, total):,} of {total:,}"


_EXACT_BELOW = 100  # estimates under this are shown as they are


def count_text(count: int, exact: bool = True) -> str:
    """A count as a tab shows it: "1,204", or "about 49,000" when it is an estimate."""
    return f"{count:,}" if exact else f"about {rounded(count):,}"


def rounded(estimate: int) -> int:
    """An estimate to two significant figures (49,312 -> 49,000), so it does not look exact."""
    if estimate < _EXACT_BELOW:
        return max(0, estimate)
    scale = 10 ** (len(str(estimate)) - 2)
    return round(estimate / scale) * scale


def page_number(value: object, pages: int) -> int:
    """A page asked for by the browser, clamped to the pages that exist."""
    return min(max(1, (parse_ids(value) or [1])[0]), pages)
