"""Custom fields: admins define typed fields per customer kind; staff fill them in, checked by type."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete, insert, tuple_
from sqlmodel import Session, col, func, select

from customer_app.core import audit
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.customers.models import APPLIES_TO, FIELD_TYPES, CustomField, CustomFieldValue
from customer_app.errors import NotFoundError, ValidationError

MAX_FIELDS = 100
MAX_CHOICES = 50
MAX_TEXT = 500
MAX_DIGITS = 15
YES_NO = {"yes": "Yes", "no": "No"}
# 1,234.5 and 1234.5 (thousands commas), or 1234,5 (a decimal comma); never the ambiguous 1.234,5.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


@dataclass
class FieldDefinition:
    """What an admin types when adding or changing a field."""

    label: str = ""
    field_type: str = "text"
    applies_to: str = "all"
    options: str = ""  # single choice: one per line
    required: bool = False


def list_fields(*, session: Session, kind: str | None = None) -> list[CustomField]:
    """Fields in the admins' order; only those for `kind` when given."""
    query = select(CustomField).order_by(col(CustomField.position), col(CustomField.id))
    if kind is not None:
        query = query.where(col(CustomField.applies_to).in_((kind, "all")))
    return list(session.exec(query).all())


def value_counts(*, session: Session) -> dict[int, int]:
    """How many customers have a value for each field."""
    query = select(CustomFieldValue.field_id, func.count()).group_by(col(CustomFieldValue.field_id))
    return dict(session.exec(query).all())


def parse_choices(text: str) -> list[str]:
    """Choices typed one per line: trimmed, without blanks or repeats (ignoring case)."""
    choices, seen = [], set()
    for line in (text or "").splitlines():
        choice = clean_text(line)
        if choice and choice.casefold() not in seen:
            seen.add(choice.casefold())
            choices.append(choice)
    return choices


def _checked(definition: FieldDefinition, field_id: int | None, session: Session) -> tuple[str, list[str]]:
    """The cleaned label and choices, or ValidationError naming each bad part of the definition."""
    errors = {}
    label = clean_text(definition.label) or ""
    if not label or len(label) > 80:
        errors["label"] = "Give the field a label of up to 80 characters."
    if definition.field_type not in FIELD_TYPES:
        errors["field_type"] = "Choose a type from the list."
    if definition.applies_to not in APPLIES_TO:
        errors["applies_to"] = "Choose which customers the field is for."
    choices = parse_choices(definition.options) if definition.field_type == "choice" else []
    if definition.field_type == "choice" and not 2 <= len(choices) <= MAX_CHOICES:
        errors["options"] = f"List between 2 and {MAX_CHOICES} choices, one per line."
    elif any(len(choice) > 80 for choice in choices):
        errors["options"] = "Keep each choice under 80 characters."
    for other in list_fields(session=session):
        overlaps = "all" in (other.applies_to, definition.applies_to) or other.applies_to == definition.applies_to
        if other.id != field_id and overlaps and other.label.casefold() == label.casefold():
            errors["label"] = "These customers already have a field with this label."
    if errors:
        raise ValidationError(errors)
    return label, choices


def add_field(definition: FieldDefinition, *, actor: Actor, session: Session) -> CustomField:
    """Add a field at the end of the list."""
    require(actor, "settings.manage")
    label, choices = _checked(definition, None, session)
    existing = list_fields(session=session)
    if len(existing) >= MAX_FIELDS:
        raise ValidationError({"label": f"There can be at most {MAX_FIELDS} custom fields."})
    field = CustomField(
        label=label,
        field_type=definition.field_type,
        applies_to=definition.applies_to,
        options="\n".join(choices),
        required=definition.required,
        position=max((f.position for f in existing), default=0) + 1,
    )
    session.add(field)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="custom_field_add",
        entity_type="custom_field",
        entity_id=field.id,
        summary=f"{label} ({FIELD_TYPES[field.field_type]}, {APPLIES_TO[field.applies_to]})",
    )
    return field


def change_field(field_id: int, definition: FieldDefinition, *, actor: Actor, session: Session) -> CustomField:
    """Change a field; its type, and choices customers have picked, stay while any customer has a value."""
    require(actor, "settings.manage")
    field = _field(field_id, session)
    label, choices = _checked(definition, field.id, session)
    used = _value_count(field.id, session)
    if used and definition.field_type != field.field_type:
        raise ValidationError(
            {
                "field_type": f"{used:,} customers have a value for this field, so its type cannot change. "
                "Add a new field instead."
            }
        )
    if field.field_type == "choice":
        kept = {choice.casefold() for choice in choices}
        picked = session.exec(
            select(CustomFieldValue.value, func.count())
            .where(col(CustomFieldValue.field_id) == field.id)
            .group_by(col(CustomFieldValue.value))
        ).all()
        dropped = sorted((value, count) for value, count in picked if value.casefold() not in kept)
        if dropped:
            value, count = dropped[0]
            raise ValidationError(
                {"options": f"{count:,} customers have “{value}”; keep that choice or change them first."}
            )
    before = _definition(field)
    field.label, field.field_type, field.applies_to = label, definition.field_type, definition.applies_to
    field.options, field.required = "\n".join(choices), definition.required
    session.add(field)
    audit.record(
        session,
        actor=actor,
        action="custom_field_change",
        entity_type="custom_field",
        entity_id=field.id,
        summary=label,
        changes=audit.field_changes(before, _definition(field)),
    )
    return field


def remove_field(field_id: int, *, actor: Actor, session: Session) -> int:
    """Remove a field and every customer's value for it; returns how many values went."""
    require(actor, "settings.manage")
    field = _field(field_id, session)
    count = _value_count(field.id, session)
    session.execute(delete(CustomFieldValue).where(col(CustomFieldValue.field_id) == field.id))
    session.delete(field)
    audit.record(
        session,
        actor=actor,
        action="custom_field_remove",
        entity_type="custom_field",
        entity_id=field_id,
        summary=f"{field.label} and its {count:,} values",
    )
    return count


def move_field(field_id: int, step: int, *, actor: Actor, session: Session) -> None:
    """Move a field one place up (-1) or down (+1) in the order everyone sees."""
    require(actor, "settings.manage")
    fields = list_fields(session=session)
    index = next((i for i, f in enumerate(fields) if f.id == field_id), None)
    if index is None:
        raise NotFoundError("This field no longer exists; reload the page.")
    other = index + step
    if 0 <= other < len(fields):
        fields[index], fields[other] = fields[other], fields[index]
    for position, field in enumerate(fields, start=1):
        field.position = position
        session.add(field)


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
    customer = get_customer(customer_id, session=session)
    stored = _stored(customer.id, session)
    return [(field, stored.get(field.id, "")) for field in list_fields(session=session, kind=customer.kind)]


def check_values(kind: str, raw: Mapping[int, object], *, session: Session) -> dict[int, str]:
    """Typed values (field id → text) checked against the fields for customers of `kind`.

    Returns their canonical text; raises ValidationError naming each bad one by field id.
    """
    fields = {field.id: field for field in list_fields(session=session, kind=kind)}
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
    return [(field, stored.get(field.id, "")) for field in list_fields(session=session)]


def save_values(customer_id: int, raw: Mapping[int, object], *, actor: Actor, session: Session) -> dict[int, str]:
    """Check and store the customer's values (field id → typed text); fields not in `raw` are left as they are."""
    require(actor, "customer.edit")
    customer = get_customer(customer_id, session=session)
    fields = {field.id: field for field in list_fields(session=session, kind=customer.kind)}
    stored = _stored(customer.id, session)
    values = stored | check_values(customer.kind, raw, session=session)
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
    """Stored values by (customer id, field id), for many customers at once (imports)."""
    if not customer_ids or not field_ids:
        return {}
    query = select(CustomFieldValue).where(
        col(CustomFieldValue.customer_id).in_(customer_ids), col(CustomFieldValue.field_id).in_(field_ids)
    )
    return {(row.customer_id, row.field_id): row.value for row in session.exec(query).all()}


def write_values(values: Mapping[tuple[int, int], str], *, session: Session) -> None:
    """Store values by (customer id, field id) in bulk, already checked; "" removes one (imports and their undo)."""
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


def _value_count(field_id: int, session: Session) -> int:
    query = select(func.count()).select_from(CustomFieldValue).where(col(CustomFieldValue.field_id) == field_id)
    return session.exec(query).one()


def _field(field_id: int, session: Session) -> CustomField:
    field = session.get(CustomField, field_id)
    if field is None:
        raise NotFoundError("This field no longer exists; reload the page.")
    return field


def _definition(field: CustomField) -> dict[str, object]:
    return {
        "label": field.label,
        "type": FIELD_TYPES[field.field_type],
        "applies_to": APPLIES_TO[field.applies_to],
        "choices": field.options.replace("\n", ", "),
        "required": field.required,
    }
