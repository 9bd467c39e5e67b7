"""Saving a customer as the create/edit pop-up sends it: its fields and custom fields, checked and stored together."""

from collections.abc import Mapping

from sqlmodel import Session

from customer_app.core.permissions import Actor, require
from customer_app.customers import custom_field_values, customers, form_extras
from customer_app.customers.models import Customer, CustomerInput, CustomerKind
from customer_app.customers.validation import validate_customer
from customer_app.errors import ValidationError
from customer_app.settings import settings


def save_customer(
    raw_form: Mapping[str, object],
    custom_raw: Mapping[int, object],
    *,
    customer_id: int | None,
    expected_version: int,
    picture: str | None,
    actor: Actor,
    session: Session,
    boxes: Mapping[str, bool] | None = None,
) -> Customer:
    """Create the customer (no `customer_id`) or update it, with the custom field values typed (field id → text)
    and what the pop-up's extra boxes say (`boxes`, from `form_extras.ticked`).

    Raises ValidationError naming every bad field at once, custom fields included, and ConflictError when someone
    else saved the customer since `expected_version` was read.
    """
    require(actor, "customer.edit")
    data = _checked(raw_form, custom_raw, actor, session)
    if customer_id:
        customer = customers.update_customer(
            customer_id, data, actor=actor, session=session, expected_version=expected_version, picture=picture
        )
    else:
        customer = customers.create_customer(data, actor=actor, session=session, picture=picture)
    if custom_raw:
        custom_field_values.save_values(customer.id, custom_raw, actor=actor, session=session)
    if boxes is not None:
        form_extras.apply_all(customer, boxes, created=not customer_id, actor=actor, session=session)
    return customer


def _checked(
    raw_form: Mapping[str, object], custom_raw: Mapping[int, object], actor: Actor, session: Session
) -> CustomerInput:
    """The customer's input; ValidationError names every bad field, the fields of the form and the custom ones."""
    errors, data = {}, None
    try:
        data = validate_customer(raw_form, phone_region=settings.default_phone_region)
    except ValidationError as exc:
        errors |= exc.errors
    try:
        kind = str(raw_form.get("kind") or CustomerKind.INDIVIDUAL)  # as validate_customer reads it
        custom_field_values.check_values(kind, custom_raw, actor=actor, session=session)
    except ValidationError as exc:
        errors |= exc.errors
    if errors or data is None:  # data is None only when validate_customer refused the form
        raise ValidationError(errors)
    return data
