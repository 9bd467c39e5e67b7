"""The Custom fields tab of the customer page: the fields admins defined for the customer's kind, saved together."""

from dataclasses import dataclass, field

import reflex as rx
from sqlmodel import Session

from customer_app.access.state.auth import act_as
from customer_app.core.live import announce_customer
from customer_app.core.permissions import Actor
from customer_app.customers import custom_field_values
from customer_app.customers.customers import get_customer
from customer_app.customers.models import Customer
from customer_app.ui.custom_field_input import NAME_PREFIX
from customer_app.ui.parsing import parse_ids


def typed_values(form: dict) -> dict[int, str]:
    """The custom field values a form sent, by field id."""
    return {
        field_id: str(value)
        for key, value in form.items()
        if key.startswith(NAME_PREFIX)
        for field_id in parse_ids(key.removeprefix(NAME_PREFIX))
    }


@dataclass
class FieldInput:
    """One custom field with this customer's value, stored and as people read it."""

    id: str = ""
    label: str = ""
    field_type: str = ""
    applies_to: str = ""
    value: str = ""
    shown: str = ""
    choices: list[str] = field(default_factory=list)
    required: bool = False


def field_input(field, value: str) -> FieldInput:
    """A field and a customer's value for it, as a form shows them."""
    return FieldInput(
        id=str(field.id),
        label=field.label,
        field_type=field.field_type,
        applies_to=field.applies_to,
        value=value,
        shown=custom_field_values.shown(field, value),
        choices=field.choices,
        required=field.required,
    )


class CustomerCustomFieldsState(rx.State):
    """One customer's custom field values in one browser tab."""

    customer_id: int = 0
    kind_label: str = ""
    fields: list[FieldInput] = []
    errors: dict[str, str] = {}
    form_key: int = 0

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the fields and values (the customer page calls it when the tab is shown)."""
        values = custom_field_values.customer_values(customer.id, actor=actor, session=session)
        self.customer_id = customer.id
        self.kind_label = "individuals" if customer.kind == "individual" else "institutions"
        self.fields = [field_input(f, value) for f, value in values]
        self.form_key += 1  # the form shows what was just read

    @rx.event
    async def save(self, form: dict):
        """Check and save every field of the tab at once; each bad value is named under its field."""
        typed = typed_values(form)

        def work(actor, session):
            custom_field_values.save_values(self.customer_id, typed, actor=actor, session=session)
            self._load_for(get_customer(self.customer_id, actor=actor, session=session), actor, session)

        done, event = await act_as(self, "customer.edit", work)
        if not done:
            return event
        await announce_customer(self)
        return rx.toast.success("Custom fields saved.")
