"""Fixtures shared by the customers package's tests."""

from collections.abc import Callable

import pytest
from sqlmodel import Session

from customer_app.core.permissions import Actor
from customer_app.customers.custom_fields import FieldDefinition, add_field
from customer_app.customers.models import CustomField


@pytest.fixture
def field(session: Session, admin: Actor) -> Callable[..., CustomField]:
    """Add and commit a custom field as admin: its label, type and customer kind, then any other definition parts."""

    def define(label="Loyalty number", field_type="text", applies_to="all", **more) -> CustomField:
        definition = FieldDefinition(label=label, field_type=field_type, applies_to=applies_to, **more)
        made = add_field(definition, actor=admin, session=session)
        session.commit()
        return made

    return define
