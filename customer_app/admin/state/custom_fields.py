"""The custom fields section of the settings page: add, change, order and remove fields."""

from dataclasses import dataclass

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.admin.state.settings_change import apply_change
from customer_app.audit.rows import ALLOWED, DENIED
from customer_app.core.db import session_scope
from customer_app.customers import custom_fields
from customer_app.customers.models import APPLIES_TO, FIELD_TYPES, CustomField
from customer_app.errors import FORM_LOST, CustomerAppError
from customer_app.ui.parsing import parse_ids


@dataclass
class FieldRow:
    """One custom field as the settings table shows it."""

    id: str = ""
    label: str = ""
    field_type: str = ""
    type_label: str = ""
    applies_to: str = ""
    applies_label: str = ""
    options: str = ""
    choices: str = ""
    required: bool = False
    used_by: int = 0
    first: bool = False
    last: bool = False


def field_row(field: CustomField, values: int, index: int, total: int) -> FieldRow:
    """A field as text, knowing where it stands in the order."""
    return FieldRow(
        id=str(field.id),
        label=field.label,
        field_type=field.field_type,
        type_label=FIELD_TYPES[field.field_type],
        applies_to=field.applies_to,
        applies_label=APPLIES_TO[field.applies_to],
        options=field.options,
        choices=", ".join(field.choices),
        required=field.required,
        used_by=values,
        first=index == 0,
        last=index == total - 1,
    )


class CustomFieldsAdminState(rx.State):
    """What one admin sees and edits of the custom fields."""

    access: str = ""  # "" while checking, "ok", or "denied"
    rows: list[FieldRow] = []
    form_open: bool = False
    form_key: int = 0
    editing: FieldRow = FieldRow()
    field_type: str = "text"  # the type chosen in the pop-up: choices are asked for single choice only
    errors: dict[str, str] = {}
    confirm: FieldRow = FieldRow()

    async def _load(self):
        actor, refused = await actor_or_refusal(self, "settings.manage")
        if actor is None:
            self.rows, self.access = [], DENIED
            return refused
        with session_scope() as session:
            fields = custom_fields.list_fields(actor=actor, session=session)
            counts = custom_fields.value_counts(actor=actor, session=session)
            self.rows = [field_row(f, counts.get(f.id, 0), i, len(fields)) for i, f in enumerate(fields)]
        self.access = ALLOWED
        return None

    @rx.event
    async def on_load(self):
        """Fields in the order customers' pages show them."""
        return await self._load()

    @rx.event
    def open_new(self):
        self._open(FieldRow(field_type="text", applies_to="all"))

    @rx.event
    def open_edit(self, field_id: str):
        found = [row for row in self.rows if row.id == field_id]
        if found:
            self._open(found[0])

    def _open(self, row: FieldRow):
        self.editing, self.field_type, self.errors = row, row.field_type, {}
        self.form_key += 1
        self.form_open = True

    @rx.event
    def set_form_open(self, is_open: bool):
        self.form_open = is_open

    @rx.event
    def set_field_type(self, field_type: str):
        if field_type in FIELD_TYPES:  # clients can send anything
            self.field_type = field_type

    @rx.event
    async def save(self, form: dict):
        """Add the field, or change the one being edited."""
        definition = custom_fields.FieldDefinition(
            label=str(form.get("label", "")),
            field_type=str(form.get("field_type") or self.editing.field_type),  # a disabled select sends nothing
            applies_to=str(form.get("applies_to", "")),
            options=str(form.get("options", "")),
            required=bool(form.get("required")),
        )
        field_id = (parse_ids(self.editing.id) or [None])[0]

        def work(actor, session):
            if not self.form_open:
                # The server lost this pop-up (Redis restarted empty, or dropped its entry): an edit would become a
                # second field, since which field was being edited went with it.
                raise CustomerAppError(FORM_LOST)
            if field_id is None:
                custom_fields.add_field(definition, actor=actor, session=session)
            else:
                custom_fields.change_field(field_id, definition, actor=actor, session=session)

        done, event = await apply_change(self, work)
        if not done:
            return event
        self.form_open = False
        return rx.toast.success(f"Field “{definition.label.strip()}” saved.")

    @rx.event
    async def move(self, field_id: str, step: int):
        """Move a field up or down the order."""
        ids, step = parse_ids(field_id), -1 if str(step).startswith("-") else 1
        _, event = await apply_change(
            self, lambda actor, session: [custom_fields.move_field(i, step, actor=actor, session=session) for i in ids]
        )
        return event

    @rx.event
    def ask_remove(self, field_id: str):
        self.confirm = next((row for row in self.rows if row.id == field_id), FieldRow())

    @rx.event
    def set_confirm_open(self, is_open: bool):
        if not is_open:
            self.confirm = FieldRow()

    @rx.event
    async def remove(self):
        """Remove the field the confirmation was about, with its values."""
        ids, label = parse_ids(self.confirm.id), self.confirm.label
        self.confirm = FieldRow()
        done, event = await apply_change(
            self, lambda actor, session: [custom_fields.remove_field(i, actor=actor, session=session) for i in ids]
        )
        return rx.toast.success(f"Field “{label}” removed.") if done else event
