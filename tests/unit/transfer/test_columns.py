"""Who may read the export's custom field columns (what they hold is tested in test_export)."""

import pytest

from customer_app.customers.custom_fields import FieldDefinition, add_field
from customer_app.errors import PermissionDenied
from customer_app.transfer.columns import custom_columns


def test_only_admins_read_the_custom_field_columns(session, admin, staff, reader):
    tier = add_field(FieldDefinition("Tier"), actor=admin, session=session)
    assert [column.header for column in custom_columns(actor=admin, session=session).values()] == ["Tier"]
    assert list(custom_columns(actor=admin, session=session)) == [f"custom_{tier.id}"]
    for caller in (staff, reader, None):
        with pytest.raises(PermissionDenied):
            custom_columns(actor=caller, session=session)
