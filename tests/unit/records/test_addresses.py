"""Addresses: checked per country, written the way the country writes them, one default billing and shipping."""

import pytest

from customer_app.errors import PermissionDenied, ValidationError
from customer_app.records.addresses import delete_address, formatted, list_addresses, save_address
from tests.unit.refusals import SIGN_IN, refusal

BERLIN = {
    "kind": "billing",
    "country_code": "DE",
    "street": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10115",
}
SF = {"kind": "shipping", "country_code": "US", "street": "1 Market St", "city": "San Francisco", "region": "CA"}


def test_addresses_are_written_the_way_their_country_writes_them(session, staff, add):
    ada = add(first_name="Ada")
    berlin = save_address(ada.id, BERLIN, actor=staff, session=session)
    sf = save_address(ada.id, SF | {"postal_code": "94103"}, actor=staff, session=session)
    assert formatted(berlin).splitlines() == ["Unter den Linden 1", "10115 BERLIN", "GERMANY"]
    assert formatted(sf).splitlines() == ["1 Market St", "SAN FRANCISCO, CA 94103", "UNITED STATES"]


def test_each_country_asks_for_what_its_post_needs(session, staff, add):
    ada = add(first_name="Ada")
    with pytest.raises(ValidationError) as caught:
        save_address(ada.id, SF | {"region": ""}, actor=staff, session=session)
    assert set(caught.value.errors) == {"region", "postal_code"}
    with pytest.raises(ValidationError) as caught:
        save_address(ada.id, BERLIN | {"postal_code": "1"}, actor=staff, session=session)
    assert caught.value.errors == {"postal_code": "This is not valid for the country."}
    with pytest.raises(ValidationError) as caught:
        save_address(ada.id, {"kind": "home", "country_code": "XX", "street": ""}, actor=staff, session=session)
    assert set(caught.value.errors) == {"kind", "country_code", "street"}


def test_one_default_billing_and_one_default_shipping(session, staff, add):
    ada = add(first_name="Ada")
    first = save_address(ada.id, BERLIN | {"is_default": "on"}, actor=staff, session=session)
    second = save_address(
        ada.id, BERLIN | {"street": "Friedrichstr. 2", "is_default": "on"}, actor=staff, session=session
    )
    shipping = save_address(ada.id, SF | {"postal_code": "94103", "is_default": "on"}, actor=staff, session=session)
    session.commit()
    session.refresh(first)
    assert (first.is_default, second.is_default, shipping.is_default) == (False, True, True)
    assert [a.id for a in list_addresses(ada.id, actor=staff, session=session)][:2] == [second.id, shipping.id]


def test_edit_delete_and_read_only(session, staff, reader, add):
    ada = add(first_name="Ada")
    address = save_address(ada.id, BERLIN, actor=staff, session=session)
    save_address(
        ada.id,
        BERLIN | {"city": "Potsdam", "postal_code": "14467"},
        actor=staff,
        session=session,
        address_id=address.id,
    )
    assert address.city == "Potsdam"
    with pytest.raises(PermissionDenied):
        delete_address(address.id, actor=reader, session=session)
    delete_address(address.id, actor=staff, session=session)
    assert list_addresses(ada.id, actor=reader, session=session) == []


def test_nobody_signed_in_reads_addresses():
    assert refusal(lambda actor, session: list_addresses(1, actor=actor, session=session), None).startswith(SIGN_IN)
