"""Shipping: admins' methods (seeded, added, renamed, retired), a customer's address, method and instructions, and
new documents taking the address and method."""

import pytest
from sqlmodel import Session, col, select

from customer_app.commerce import documents, shipping
from customer_app.core.models import AuditEvent
from customer_app.errors import PermissionDenied, ValidationError
from customer_app.records.addresses import delete_address, save_address
from tests.unit.commerce.sales_lists import restore_seeds

WAREHOUSE = {"kind": "shipping", "street": "Lagerweg 7", "city": "Graz", "postal_code": "8010", "country_code": "AT"}
OFFICE = {"kind": "billing", "street": "Ring 1", "city": "Wien", "postal_code": "1010", "country_code": "AT"}


@pytest.fixture(autouse=True)
def seeded_methods(session: Session):
    yield
    restore_seeds(session)


def names(session: Session, actor, **kwargs) -> list[str]:
    return [m.name for m in shipping.methods(actor=actor, session=session, **kwargs)]


def test_admins_add_rename_and_retire_methods(session, admin):
    assert names(session, admin) == ["Courier", "Pickup by customer", "Standard post"]
    freight = shipping.add_method("Freight", actor=admin, session=session)
    shipping.rename_method(freight.id, "Freight forwarder", actor=admin, session=session)
    shipping.set_retired(2, True, actor=admin, session=session)
    session.commit()
    assert names(session, admin, include_retired=False) == ["Freight forwarder", "Pickup by customer", "Standard post"]
    with pytest.raises(ValidationError) as refused:
        shipping.add_method("Courier", actor=admin, session=session)
    assert refused.value.errors == {"method_name": "Courier is already in the list."}
    assert session.exec(select(AuditEvent).where(col(AuditEvent.action) == "shipping_methods")).all()


def test_staff_may_not_change_the_methods(session, staff):
    with pytest.raises(PermissionDenied):
        shipping.add_method("Drone", actor=staff, session=session)


def test_new_documents_go_to_the_chosen_address_by_the_chosen_method(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    save_address(ada.id, OFFICE | {"is_default": True}, actor=staff, session=session)
    warehouse = save_address(ada.id, WAREHOUSE, actor=staff, session=session)
    saved = shipping.save_customer_shipping(
        ada.id, address_id=warehouse.id, method_id=2, instructions=" Ring twice \n", actor=staff, session=session
    )
    session.commit()
    assert saved == shipping.ShippingSettings(warehouse.id, 2, "Ring twice")
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    assert "Lagerweg 7" in draft.shipping_address
    assert "Ring 1" in draft.billing_address
    assert draft.shipping_method == "Courier"
    event = session.exec(select(AuditEvent).where(col(AuditEvent.action) == "customer_shipping")).one()
    assert event.entity_id == ada.id


def test_without_a_choice_goods_go_to_the_billing_address_and_a_removed_address_falls_back(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    office = save_address(ada.id, OFFICE | {"is_default": True}, actor=staff, session=session)
    warehouse = save_address(ada.id, WAREHOUSE, actor=staff, session=session)
    shipping.save_customer_shipping(
        ada.id, address_id=warehouse.id, method_id=None, instructions="", actor=staff, session=session
    )
    delete_address(warehouse.id, actor=staff, session=session)
    session.commit()
    assert shipping.customer_shipping(ada.id, actor=staff, session=session).address_id is None
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    assert draft.shipping_address == draft.billing_address
    assert "Ring 1" in draft.shipping_address
    assert (draft.shipping_method, office.country_code) == ("", draft.destination_country)


def test_someone_elses_address_a_retired_method_and_long_instructions_are_refused(session, admin, staff, add):
    ada, bob = add(first_name="Ada", email="ada@example.com"), add(first_name="Bob", email="bob@example.com")
    bobs = save_address(bob.id, OFFICE, actor=staff, session=session)
    shipping.set_retired(3, True, actor=admin, session=session)
    with pytest.raises(ValidationError) as refused:
        shipping.save_customer_shipping(
            ada.id, address_id=bobs.id, method_id=3, instructions="x" * 501, actor=staff, session=session
        )
    assert set(refused.value.errors) == {"address", "method", "instructions"}
    assert shipping.customer_shipping(ada.id, actor=staff, session=session) == shipping.ShippingSettings(None, None, "")


def test_a_retired_method_the_customer_has_is_kept_but_not_given_to_new_documents(session, admin, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    shipping.save_customer_shipping(ada.id, address_id=None, method_id=3, instructions="", actor=staff, session=session)
    shipping.set_retired(3, True, actor=admin, session=session)
    shipping.save_customer_shipping(
        ada.id, address_id=None, method_id=3, instructions="Gate B", actor=staff, session=session
    )
    session.commit()
    assert documents.new_draft(ada.id, "invoice", actor=staff, session=session).shipping_method == ""


def test_readers_see_but_do_not_change_shipping(session, reader, add):
    ada = add(first_name="Ada", email="ada@example.com")
    assert shipping.customer_shipping(ada.id, actor=reader, session=session) == shipping.ShippingSettings(
        None, None, ""
    )
    with pytest.raises(PermissionDenied):
        shipping.save_customer_shipping(
            ada.id, address_id=None, method_id=1, instructions="", actor=reader, session=session
        )
