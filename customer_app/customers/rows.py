"""Turn customers, and Trash's removals, into the small dicts of text the page shows."""

from customer_app.core.normalize import format_phone
from customer_app.customers.models import Customer
from customer_app.customers.pictures import picture_filename
from customer_app.customers.trash_batches import Removal, describe


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


def removal_row(removal: Removal) -> dict[str, str]:
    """One line of Trash's recent removals, e.g. "1,204 customers removed on 2026-12-04 at 14:02 by Ann Smith"."""
    left = "" if removal.in_trash == removal.moved else f"{removal.in_trash:,} still in Trash"
    return {
        "id": str(removal.id),
        "summary": f"{removal.moved:,} customers {describe(removal)}",
        "left": left,
        "label": removal.label,
        "count": f"{removal.in_trash:,}",
    }
