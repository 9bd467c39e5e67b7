"""The words printed on a document's PDF, marked for the `pdf` catalog; each is translated into the document's
language when it is printed (the template is not scanned for messages, so they are listed here)."""

from customer_app.core.i18n import N_

TITLES = {
    "estimate": N_("Estimate"),
    "sales_order": N_("Sales order"),
    "sales_receipt": N_("Sales receipt"),
    "invoice": N_("Invoice"),
    "credit_note": N_("Credit note"),
}

LABELS = {
    "draft": N_("DRAFT"),
    "number": N_("Number"),
    "date": N_("Date"),
    "due_date": N_("Due date"),
    "bill_to": N_("Bill to"),
    "ship_to": N_("Ship to"),
    "shipping_method": N_("Shipping method"),
    "description": N_("Description"),
    "quantity": N_("Quantity"),
    "unit_price": N_("Unit price"),
    "discount": N_("Discount"),
    "tax": N_("Tax"),
    "amount": N_("Amount"),
    "net": N_("Net"),
    "total": N_("Total"),
}
