"""Who may read the fields a column can fill and the mapping suggested for a file (the guessing itself is tested in
test_import_rows and test_import_custom_fields)."""

import pytest

from customer_app.customers.custom_fields import FieldDefinition, add_field
from customer_app.errors import PermissionDenied
from customer_app.transfer.import_mapping import LABELS, remember_mapping, suggested_mapping, targets


def test_only_admins_read_the_fields_a_column_can_fill(session, admin, staff, reader):
    tier = add_field(FieldDefinition("Tier"), actor=admin, session=session)
    assert targets(actor=admin, session=session) == LABELS | {f"custom_{tier.id}": "Tier"}
    for caller in (staff, reader, None):
        with pytest.raises(PermissionDenied):
            targets(actor=caller, session=session)


def test_only_admins_read_the_mapping_remembered_for_a_file(session, admin, staff, reader):
    remember_mapping(["Mail"], ["email"], session=session)
    assert suggested_mapping(["Mail"], actor=admin, session=session) == (["email"], True)
    for caller in (staff, reader, None):
        with pytest.raises(PermissionDenied):
            suggested_mapping(["Mail"], actor=caller, session=session)
