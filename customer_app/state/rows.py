"""Turn customers into the small dicts a table row shows; ids and page numbers sent by the browser."""

from math import ceil

from customer_app.core.normalize import format_phone
from customer_app.models.customer import Customer
from customer_app.services.pictures import picture_filename


def initials(name: str) -> str:
    """Up to two initials for an avatar without a picture."""
    letters = [part[0] for part in name.replace("-", " ").split() if part[:1].isalpha()]
    return "".join(letters[:1] + letters[-1:] if len(letters) > 1 else letters).upper() or "?"


def customer_row(customer: Customer) -> dict[str, str]:
    """The values one table row displays, all as text."""
    thumb = f"pictures/{picture_filename(customer.picture, 64)}" if customer.picture else ""
    return {
        "id": str(customer.id),
        "name": customer.display_name or "(no name)",
        "initials": initials(customer.display_name),
        "thumb": thumb,
        "email": customer.email or "",
        "phone": format_phone(customer.phone),
        "company": customer.company_name or "",
        "created": customer.created_at.strftime("%Y-%m-%d"),
        "deleted": customer.deleted_at.strftime("%Y-%m-%d %H:%M") if customer.deleted_at else "",
        "kind": "Individual" if customer.kind == "individual" else "Institution",
    }


def parse_ids(values: object) -> list[int]:
    """Row ids sent by the browser, keeping only well-formed ones (clients can send anything)."""
    items = values if isinstance(values, list | tuple) else [values]
    return [int(v) for v in items if str(v).isdigit() and len(str(v)) < 19]


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
