"""Create Duplicate: a new customer with another's details and other info, but none of what must stay unique."""

from sqlmodel import Session, select

from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import create_customer, get_customer
from customer_app.customers.models import (
    Customer,
    CustomerInput,
)
from customer_app.customers.ownership import owned_tables


def duplicate_customer(customer_id: int, *, actor: Actor, session: Session) -> Customer:
    """Copy a customer with its tags, groups, sales rep, custom fields and e-mail switches; not its e-mail,
    picture or business number, which identify one customer only."""
    require(actor, "customer.edit")
    original = get_customer(customer_id, actor=actor, session=session)
    data = CustomerInput.model_validate(original.model_dump(include=set(CustomerInput.model_fields)))
    data.email = None
    copy = create_customer(data, actor=actor, session=session)
    for owned in owned_tables():
        if owned.on_duplicate is not None:
            rows = session.exec(select(owned.table).where(owned.customer_column == original.id)).all()
            session.add_all(new for row in rows if (new := owned.on_duplicate(row, copy.id)) is not None)
    session.flush()
    return copy
