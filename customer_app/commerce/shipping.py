"""Shipping: the methods admins offer (add, rename, retire), and each customer's shipping address, method and
delivery instructions, which new documents take."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from customer_app.commerce.models import CustomerShipping, ShippingMethod
from customer_app.core import audit
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import NotFoundError, ValidationError
from customer_app.records.models import CustomerAddress

MAX_NAME = 80
MAX_INSTRUCTIONS = 500


@dataclass(frozen=True)
class ShippingSettings:
    """A customer's shipping as chosen (ids are None where nothing was)."""

    address_id: int | None
    method_id: int | None
    instructions: str


def methods(*, actor: Actor, session: Session, include_retired: bool = True) -> list[ShippingMethod]:
    """The methods by name; without the retired ones when choosing for something new."""
    require(actor, "customer.view")
    query = select(ShippingMethod).order_by(col(ShippingMethod.name))
    if not include_retired:
        query = query.where(col(ShippingMethod.retired).is_(False))
    return list(session.exec(query))


def add_method(name: str, *, actor: Actor, session: Session) -> ShippingMethod:
    """A new way to ship."""
    require(actor, "settings.manage")
    method = ShippingMethod(name=_checked(name, session))
    session.add(method)
    session.flush()
    _audit(actor, session, f"Shipping method {method.name} added")
    return method


def rename_method(method_id: int, name: str, *, actor: Actor, session: Session) -> ShippingMethod:
    """A new name; documents keep the name they were given."""
    require(actor, "settings.manage")
    method = _method(method_id, session)
    before, method.name = method.name, _checked(name, session, method.id)
    session.add(method)
    session.flush()
    _audit(actor, session, f"Shipping method {before} is now {method.name}")
    return method


def set_retired(method_id: int, retired: bool, *, actor: Actor, session: Session) -> ShippingMethod:
    """Stop offering a method (customers who have it keep it), or offer it again."""
    require(actor, "settings.manage")
    method = _method(method_id, session)
    method.retired = bool(retired)
    session.add(method)
    session.flush()
    _audit(actor, session, f"Shipping method {method.name} {'retired' if retired else 'offered again'}")
    return method


def customer_shipping(customer_id: int, *, actor: Actor, session: Session) -> ShippingSettings:
    """The customer's shipping address, method and instructions."""
    require(actor, "customer.view")
    customer = get_customer(customer_id, actor=actor, session=session)
    row = session.get(CustomerShipping, customer.id) or CustomerShipping(customer_id=customer.id)
    return ShippingSettings(row.address_id, row.shipping_method_id, row.instructions)


def save_customer_shipping(
    customer_id: int,
    *,
    address_id: int | None,
    method_id: int | None,
    instructions: str,
    actor: Actor,
    session: Session,
) -> ShippingSettings:
    """Keep where and how the customer's goods go; new documents take them, drafts and issued ones keep theirs."""
    require(actor, "customer.edit")
    customer = get_customer(customer_id, actor=actor, session=session)
    address = session.get(CustomerAddress, address_id) if address_id else None
    method = session.get(ShippingMethod, method_id) if method_id else None
    row = session.get(CustomerShipping, customer.id) or CustomerShipping(customer_id=customer.id)
    errors, text = {}, "\n".join(line.strip() for line in (instructions or "").strip().splitlines())
    if address_id and (address is None or address.customer_id != customer.id):
        errors["address"] = "Choose one of the customer's addresses."
    if method_id and (method is None or (method.retired and method.id != row.shipping_method_id)):
        errors["method"] = "Choose a shipping method from the list."
    if len(text) > MAX_INSTRUCTIONS:
        errors["instructions"] = f"Keep the instructions under {MAX_INSTRUCTIONS} characters."
    if errors:
        raise ValidationError(errors)
    before = {"address": row.address_id, "method": _name(session, row.shipping_method_id), "note": row.instructions}
    row.address_id = address.id if address else None
    row.shipping_method_id, row.instructions = method.id if method else None, text
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="customer_shipping",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"Shipping of {customer.display_name} changed"[:300],
        changes=audit.field_changes(
            before, {"address": row.address_id, "method": _name(session, method_id), "note": text}
        ),
    )
    return ShippingSettings(row.address_id, row.shipping_method_id, row.instructions)


def method_name(method_id: int | None, *, session: Session) -> str:
    """The name of a method that is still offered (a retired one is not given to new documents)."""
    method = session.get(ShippingMethod, method_id) if method_id else None
    return method.name if method and not method.retired else ""


def _name(session: Session, method_id: int | None) -> str:
    method = session.get(ShippingMethod, method_id) if method_id else None
    return method.name if method else ""


def _checked(name: str, session: Session, own_id: int = 0) -> str:
    text = clean_text(name) or ""
    if not text or len(text) > MAX_NAME:
        raise ValidationError({"method_name": f"Name the method in up to {MAX_NAME} characters."})
    taken = session.exec(select(ShippingMethod).where(col(ShippingMethod.name) == text)).first()
    if taken is not None and taken.id != own_id:
        raise ValidationError({"method_name": f"{text} is already in the list."})
    return text


def _method(method_id: int, session: Session) -> ShippingMethod:
    method = session.get(ShippingMethod, method_id)
    if method is None:
        raise NotFoundError("This shipping method does not exist any more.")
    return method


def _audit(actor: Actor, session: Session, summary: str) -> None:
    audit.record(session, actor=actor, action="shipping_methods", entity_type="settings", summary=summary[:300])


def for_new_document(customer_id: int, *, session: Session) -> tuple[CustomerAddress | None, str]:
    """The address chosen for the customer's goods (None: none chosen) and the method's name, for a new draft."""
    row = session.get(CustomerShipping, customer_id)
    if row is None:
        return None, ""
    address = session.get(CustomerAddress, row.address_id) if row.address_id else None
    return address, method_name(row.shipping_method_id, session=session)
