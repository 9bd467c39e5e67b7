"""Custom field values: what staff type is checked against the field's type and stored in its canonical text."""

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete, insert, tuple_
from sqlmodel import Session, col, select

from customer_app.core import audit
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.customers.custom_fields import list_fields
from customer_app.customers.customers import get_customer
from customer_app.customers.models import CustomField, CustomFieldValue
from customer_app.errors import ValidationError

MAX_TEXT = 500
MAX_DIGITS = 15
YES_NO = {"yes": "Yes", "no": "No"}
# 1,234.5 and 1234.5 (thousands commas), or 1234,5 (a decimal comma); never the ambiguous 1.234,5.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def clean_value(field: CustomField, raw: object) -> str:
    """The canonical text of a typed value ("" for none); raises ValueError with a message for the user."""
    text = clean_text(raw) or ""
    if not text:
        if field.required:
            raise ValueError(f"Fill in {field.label}.")
        return ""
    if field.field_type == "number":
        return _number(text)
    if field.field_type == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise ValueError("Enter a date like 2026-04-23.") from exc
    if field.field_type == "choice":
        match = next((c for c in field.choices if c.casefold() == text.casefold()), None)
        if match is None:
            raise ValueError("Choose one of the listed options.")
        return match
    if field.field_type == "yes_no":
        if text.casefold() not in YES_NO:
            raise ValueError("Choose Yes or No.")
        return text.casefold()
    if len(text) > MAX_TEXT:
        raise ValueError(f"Keep this under {MAX_TEXT} characters.")
    return text


def _number(text: str) -> str:
    plain = text.replace(" ", "").replace("\u00a0", "")
    if _NUMBER.fullmatch(plain):
        plain = plain.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(plain):
        plain = plain.replace(",", ".")
    else:
        raise ValueError("Enter a number like 1234.56.")
    try:
        number = Decimal(plain).normalize()
    except InvalidOperation as exc:  # the patterns above only let numbers through; kept as a guard
        raise ValueError("Enter a number like 1234.56.") from exc
    if len(number.as_tuple().digits) > MAX_DIGITS:
        raise ValueError(f"Use at most {MAX_DIGITS} digits.")
    return "0" if number.is_zero() else format(number, "f")


def shown(field: CustomField, value: str) -> str:
    """A stored value as people read it."""
    return YES_NO.get(value, value) if field.field_type == "yes_no" else value


def customer_values(customer_id: int, *, actor: Actor, session: Session) -> list[tuple[CustomField, str]]:
    """Every field for the customer's kind with the customer's value ("" when none), in the admins' order."""
    require(actor, "customer.view")
    customer = get_customer(customer_id, actor=actor, session=session)
    stored = _stored(customer.id, session)
    return [
        (field, stored.get(field.id, "")) for field in list_fields(actor=actor, session=session, kind=customer.kind)
    ]


def check_values(kind: str, raw: Mapping[int, object], *, actor: Actor, session: Session) -> dict[int, str]:
    """Typed values (field id → text) checked against the fields for customers of `kind`, before they are saved.

    Returns their canonical text; raises ValidationError naming each bad one by field id.
    """
    require(actor, "customer.edit")
    fields = {field.id: field for field in list_fields(actor=actor, session=session, kind=kind)}
    values, errors = {}, {}
    for field_id, typed in raw.items():
        if field_id not in fields:
            errors[str(field_id)] = "This field was removed; reload the page."
            continue
        try:
            values[field_id] = clean_value(fields[field_id], typed)
        except ValueError as exc:
            errors[str(field_id)] = str(exc)
    if errors:
        raise ValidationError(errors)
    return values


def form_fields(customer_id: int | None, *, actor: Actor, session: Session) -> list[tuple[CustomField, str]]:
    """Every field (of either kind) with the customer's value, for a form that can switch kind; "" for a new one."""
    require(actor, "customer.view")
    stored = _stored(customer_id, session) if customer_id else {}
    return [(field, stored.get(field.id, "")) for field in list_fields(actor=actor, session=session)]


def save_values(customer_id: int, raw: Mapping[int, object], *, actor: Actor, session: Session) -> dict[int, str]:
    """Check and store the customer's values (field id → typed text); fields not in `raw` are left as they are."""
    require(actor, "customer.edit")
    customer = get_customer(customer_id, actor=actor, session=session)
    fields = {field.id: field for field in list_fields(actor=actor, session=session, kind=customer.kind)}
    stored = _stored(customer.id, session)
    values = stored | check_values(customer.kind, raw, actor=actor, session=session)
    changed = {fid for fid in set(values) | set(stored) if values.get(fid, "") != stored.get(fid, "")}
    if not changed:
        return stored
    session.execute(
        delete(CustomFieldValue).where(
            col(CustomFieldValue.customer_id) == customer.id, col(CustomFieldValue.field_id).in_(changed)
        )
    )
    session.add_all(
        CustomFieldValue(customer_id=customer.id, field_id=fid, value=values[fid]) for fid in changed if values[fid]
    )
    session.flush()
    label = {fid: fields[fid].label if fid in fields else str(fid) for fid in changed}

    def readable(values: dict[int, str]) -> dict[str, str]:
        return {label[fid]: shown(fields[fid], values.get(fid, "")) if fid in fields else "" for fid in changed}

    audit.record(
        session,
        actor=actor,
        action="custom_fields",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"Changed custom fields of {customer.display_name}",
        changes=audit.field_changes(readable(stored), readable(values)),
    )
    return {fid: value for fid, value in values.items() if value}


def stored_values(customer_ids: list[int], field_ids: list[int], *, session: Session) -> dict[tuple[int, int], str]:
    """Stored values by (customer id, field id), for many customers at once (imports, which checked their actor)."""
    if not customer_ids or not field_ids:
        return {}
    query = select(CustomFieldValue).where(
        col(CustomFieldValue.customer_id).in_(customer_ids), col(CustomFieldValue.field_id).in_(field_ids)
    )
    return {(row.customer_id, row.field_id): row.value for row in session.exec(query).all()}


def write_values(values: Mapping[tuple[int, int], str], *, session: Session) -> None:
    """Store values by (customer id, field id) in bulk, already checked; "" removes one.

    For imports and their undo, which checked their actor.
    """
    if not values:
        return
    pairs = list(values)
    for start in range(0, len(pairs), 500):  # stay well under the databases' bound-parameter limits
        chunk = pairs[start : start + 500]
        session.execute(
            delete(CustomFieldValue).where(
                tuple_(col(CustomFieldValue.customer_id), col(CustomFieldValue.field_id)).in_(chunk)
            )
        )
    rows = [{"customer_id": c, "field_id": f, "value": v} for (c, f), v in values.items() if v]
    if rows:
        session.execute(insert(CustomFieldValue), rows)


def _stored(customer_id: int, session: Session) -> dict[int, str]:
    query = select(CustomFieldValue).where(col(CustomFieldValue.customer_id) == customer_id)
    return {row.field_id: row.value for row in session.exec(query).all()}
