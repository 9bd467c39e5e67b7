"""An import row's related values: addresses read the way other programs write them, notes written with the row."""

from sqlmodel import select

from customer_app.records.models import CustomerNote
from customer_app.transfer import import_related

ODOO_ROW = {"billing_street": "77 Santa Barbara Rd", "billing_city": "Pleasant Hill", "billing_postal_code": "94523"}


def test_a_state_followed_by_its_countrys_code_as_odoo_exports_it_is_the_state():
    row = ODOO_ROW | {"billing_region": "California (US)"}
    related, errors = import_related.read(row, kind="institution", country="United States", region="US")
    assert errors == {}
    assert [(a["region"], a["country_code"]) for a in related.addresses] == [("California", "US")]


def test_a_state_followed_by_another_countrys_code_is_still_refused():
    row = ODOO_ROW | {"billing_region": "California (MX)"}
    related, errors = import_related.read(row, kind="institution", country="United States", region="US")
    assert related.addresses == []
    assert errors == {"billing_region": "This is not valid for the country."}


def test_a_note_column_writes_the_note_with_its_time_and_author(session, add, admin):
    ada = add(first_name="Ada", last_name="Lovelace")
    related = import_related.Related(note="Met at the Hamburg fair.")
    import_related.write([(ada.id, related)], existing=set(), author=(admin.id, admin.name), session=session)
    note = session.exec(select(CustomerNote)).one()
    assert (note.customer_id, note.body, note.author_name) == (ada.id, "Met at the Hamburg fair.", admin.name)
    assert note.created_at is not None
