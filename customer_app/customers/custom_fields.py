"""Custom field definitions: admins add, change, order and remove typed fields per customer kind.

What staff fill in is custom_field_values' business.
"""

from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from customer_app.core import audit
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.customers.models import APPLIES_TO, FIELD_TYPES, CustomField, CustomFieldValue
from customer_app.errors import NotFoundError, ValidationError

MAX_FIELDS = 100
MAX_CHOICES = 50
MIN_CHOICES = 2
MAX_LABEL = 80  # a field's label and each of its choices


@dataclass
class FieldDefinition:
    """What an admin types when adding or changing a field."""

    label: str = ""
    field_type: str = "text"
    applies_to: str = "all"
    options: str = ""  # single choice: one per line
    required: bool = False


def list_fields(*, actor: Actor, session: Session, kind: str | None = None) -> list[CustomField]:
    """Fields in the admins' order; only those for `kind` when given (customer pages and the settings page)."""
    require(actor, "customer.view")
    return defined_fields(session=session, kind=kind)


def defined_fields(*, session: Session, kind: str | None = None) -> list[CustomField]:
    """Fields in the admins' order, for services that have already checked their actor (imports, exports).

    Anything reading for someone goes through list_fields.
    """
    query = select(CustomField).order_by(col(CustomField.position), col(CustomField.id))
    if kind is not None:
        query = query.where(col(CustomField.applies_to).in_((kind, "all")))
    return list(session.exec(query).all())


def value_counts(*, actor: Actor, session: Session) -> dict[int, int]:
    """How many customers have a value for each field (the admins' settings page)."""
    require(actor, "settings.manage")
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
    if not label or len(label) > MAX_LABEL:
        errors["label"] = f"Give the field a label of up to {MAX_LABEL} characters."
    if definition.field_type not in FIELD_TYPES:
        errors["field_type"] = "Choose a type from the list."
    if definition.applies_to not in APPLIES_TO:
        errors["applies_to"] = "Choose which customers the field is for."
    choices = parse_choices(definition.options) if definition.field_type == "choice" else []
    if definition.field_type == "choice" and not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        errors["options"] = f"List between {MIN_CHOICES} and {MAX_CHOICES} choices, one per line."
    elif any(len(choice) > MAX_LABEL for choice in choices):
        errors["options"] = f"Keep each choice under {MAX_LABEL} characters."
    for other in defined_fields(session=session):
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
    existing = defined_fields(session=session)
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
    fields = defined_fields(session=session)
    index = next((i for i, f in enumerate(fields) if f.id == field_id), None)
    if index is None:
        raise NotFoundError("This field no longer exists; reload the page.")
    other = index + step
    if 0 <= other < len(fields):
        fields[index], fields[other] = fields[other], fields[index]
    for position, field in enumerate(fields, start=1):
        field.position = position
        session.add(field)


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
