"""Every table that hangs off a customer says what happens to its rows when the customer is copied or merged."""

import pytest
from sqlmodel import SQLModel

import customer_app.schema  # noqa: F401  (registers every table on the metadata)
from customer_app.customers.ownership import owned_tables, owns


def test_every_table_with_a_customer_foreign_key_is_declared():
    referencing = {
        table.name
        for table in SQLModel.metadata.sorted_tables
        if any(fk.column.table.name == "customer" for fk in table.foreign_keys)
    }
    assert referencing  # the check looks at real tables
    assert {owned.table.__tablename__ for owned in owned_tables()} == referencing


def test_a_table_without_a_customer_cannot_be_declared():
    class Stray(SQLModel):
        name: str = ""

    with pytest.raises(TypeError, match="Stray has no customer_id"):
        owns(Stray)
