"""An import row's addresses are read the way other programs write them."""

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
