"""Create Duplicate: a new customer with another's details and other info, but none of what must stay unique."""

from sqlmodel import Session, col, select

from customer_app.core.permissions import Actor, require
from customer_app.models.custom_field import CustomFieldValue
from customer_app.models.customer import Customer, CustomerInput
from customer_app.models.customer_records import (
    CustomerGroupMember,
    CustomerNotification,
    CustomerProfile,
    CustomerTag,
)
from customer_app.services.customers import create_customer, get_customer

# Rows that describe the customer rather than what happened with them (notes, tickets and activities stay behind).
_COPIED = (CustomerTag, CustomerGroupMember, CustomFieldValue, CustomerNotification)


def duplicate_customer(customer_id: int, *, actor: Actor, session: Session) -> Customer:
    """Copy a customer with its tags, groups, sales rep, custom fields and e-mail switches; not its e-mail,
    picture or business number, which identify one customer only."""
    require(actor, "customer.edit")
    original = get_customer(customer_id, session=session)
    data = CustomerInput.model_validate(original.model_dump(include=set(CustomerInput.model_fields)))
    data.email = None
    copy = create_customer(data, actor=actor, session=session)
    for table in _COPIED:
        rows = session.exec(select(table).where(col(table.customer_id) == original.id)).all()
        session.add_all(table(**(row.model_dump() | {"customer_id": copy.id})) for row in rows)
    profile = session.get(CustomerProfile, original.id)
    if profile is not None and profile.sales_rep_id is not None:
        session.add(CustomerProfile(customer_id=copy.id, sales_rep_id=profile.sales_rep_id))
    session.flush()
    return copy
