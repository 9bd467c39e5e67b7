"""Turn customers into the small dicts a table row shows; ids and page numbers sent by the browser."""

from customer_app.core.normalize import format_phone
from customer_app.customers.models import Customer
from customer_app.customers.pictures import picture_filename


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
