"""Editing a draft in place: a line's fields (each checked on its own, totals recalculated), the order of the lines,
and the billing and shipping addresses and method it was given. Issued documents are refused: they are frozen."""

from sqlmodel import Session

from customer_app.commerce import documents, taxes
from customer_app.commerce.documents import Totals
from customer_app.commerce.models import DocumentLine, ShippingMethod, TaxClass
from customer_app.core import audit
from customer_app.core.countries import country_code
from customer_app.core.permissions import Actor, require
from customer_app.errors import NotFoundError, ValidationError

LINE_FIELDS = ("description", "quantity", "unit_price", "discount", "tax_class")
MAX_ADDRESS = 1000


def update_line(line_id: int, changes: dict[str, str], *, actor: Actor, session: Session) -> Totals:
    """Change fields of a draft's line (description, quantity, unit_price, discount, tax_class); a bad field says why
    and nothing of the change is kept, so the line stays as it was."""
    require(actor, "customer.edit")
    line = _line(line_id, session)
    document = documents.editable(line.document_id, actor=actor, session=session)
    given = {name: str(value) for name, value in changes.items() if name in LINE_FIELDS}
    try:
        values, errors = documents.line_values({k: v for k, v in given.items() if k != "tax_class"}), {}
    except ValidationError as exc:
        values, errors = {}, dict(exc.errors)
    if "tax_class" in given:
        chosen = session.get(TaxClass, int(given["tax_class"])) if given["tax_class"].isdigit() else None
        if chosen is None or chosen.kind != "item":
            errors["tax_class"] = "Choose a tax class for the item."
        else:
            line.item_tax_class_id = chosen.id
    if errors:
        session.expire(line)  # nothing of a change with a bad field is kept
        raise ValidationError(errors)
    line.description = values.get("description", line.description)
    line.quantity = values.get("quantity", line.quantity)
    line.unit_price = values.get("unit_price", line.unit_price)
    line.discount_percent = values.get("discount", line.discount_percent)
    session.add(line)
    session.flush()
    return documents.recalculate(document, session=session, edited=True)


def move_line(line_id: int, step: int, *, actor: Actor, session: Session) -> Totals:
    """Move a draft's line one place up (step -1) or down (+1); the first and last stay where they are."""
    require(actor, "customer.edit")
    line = _line(line_id, session)
    document = documents.editable(line.document_id, actor=actor, session=session)
    lines = documents.lines_of(document, session=session)
    at = next(i for i, other in enumerate(lines) if other.id == line.id)
    to = min(max(at + (1 if step > 0 else -1), 0), len(lines) - 1)
    lines[at], lines[to] = lines[to], lines[at]
    for position, each in enumerate(lines):  # numbered afresh: removals leave gaps
        each.position = position
        session.add(each)
    session.flush()
    return documents.recalculate(document, session=session, edited=True)


def edit_delivery(
    document_id: int,
    *,
    billing_address: str,
    shipping_address: str,
    destination_country: str,
    shipping_method_id: int | None,
    actor: Actor,
    session: Session,
) -> Totals:
    """Change a draft's billing and shipping addresses, the country its goods go to (taxes follow it) and its shipping
    method; issued documents keep what they were issued with."""
    require(actor, "customer.edit")
    document = documents.editable(document_id, actor=actor, session=session)
    billing, ship_to = _address_text(billing_address), _address_text(shipping_address)
    written = (destination_country or "").strip()
    code = (country_code(written) or "") if written else ""
    method = session.get(ShippingMethod, shipping_method_id) if shipping_method_id else None
    errors = {}
    for field, text in (("billing_address", billing), ("shipping_address", ship_to)):
        if len(text) > MAX_ADDRESS:
            errors[field] = f"Keep the address under {MAX_ADDRESS} characters."
    if written and not code:
        errors["destination_country"] = "Choose a country, like DE or Austria."
    if shipping_method_id and (method is None or (method.retired and method.name != document.shipping_method)):
        errors["shipping_method"] = "Choose a shipping method from the list."
    if errors:
        raise ValidationError(errors)
    document.billing_address, document.shipping_address, document.destination_country = billing, ship_to, code
    document.shipping_method = method.name if method else ""
    session.add(document)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="document_edit",
        entity_type="customer",
        entity_id=document.customer_id,
        summary="Changed the addresses and shipping of a draft",
    )
    return documents.recalculate(document, session=session, edited=True)


def set_prices_include_tax(document_id: int, include: bool, *, actor: Actor, session: Session) -> Totals:
    """Read a draft's prices as including tax (the gross stays as typed) or not (tax is added on top)."""
    require(actor, "customer.edit")
    document = documents.editable(document_id, actor=actor, session=session)
    document.prices_include_tax = bool(include)
    session.add(document)
    return documents.recalculate(document, session=session, edited=True)


def item_classes(*, actor: Actor, session: Session) -> list[TaxClass]:
    """The tax classes a line's item may have."""
    require(actor, "customer.view")
    return taxes.classes("item", session=session)


def _address_text(raw: str) -> str:
    return "\n".join(line.strip() for line in (raw or "").strip().splitlines() if line.strip())


def _line(line_id: int, session: Session) -> DocumentLine:
    line = session.get(DocumentLine, line_id)
    if line is None:
        raise NotFoundError("This line does not exist any more.")
    return line
