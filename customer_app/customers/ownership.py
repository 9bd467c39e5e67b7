"""The tables whose rows belong to one customer, each declared by the package that adds it, with what happens to
its rows when the customer is duplicated, merged, exported for its owner or erased."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel import SQLModel

Copier = Callable[[Any, int], SQLModel | None]


def same_row(row: SQLModel, customer_id: int) -> SQLModel:
    """The row as it is, for another customer."""
    return type(row)(**(row.model_dump() | {"customer_id": customer_id}))


@dataclass(frozen=True)
class OwnedTable:
    """One customer-owned table and its policies."""

    table: type[SQLModel]
    on_duplicate: Copier | None  # makes the copy's row from the original's (None: it stays with the original)
    on_merge: Literal["move", "drop"]  # the surviving customer takes the rows over, or they go with the other
    personal_data: bool  # part of what a personal-data export gives the customer
    on_erase: Literal["delete", "keep"]  # erasure deletes the rows, or keeps them (e.g. what the law says to keep)
    label: str  # what its rows are, as a message names them ("documents")

    @property
    def customer_column(self):
        """The table's `customer_id` column (`owns` made sure it is there)."""
        return getattr(self.table, "customer_id")  # noqa: B009 (the model is only known at run time)


_REGISTRY: dict[str, OwnedTable] = {}


def owns(
    table: type[SQLModel],
    *,
    on_duplicate: Copier | None = None,
    on_merge: Literal["move", "drop"] = "move",
    personal_data: bool = True,
    on_erase: Literal["delete", "keep"] = "delete",
    label: str = "",
) -> None:
    """Declare `table` (it has a `customer_id`) as owned by customers."""
    if "customer_id" not in table.model_fields:
        raise TypeError(f"{table.__name__} has no customer_id")
    name = label or str(table.__tablename__).replace("_", " ")
    _REGISTRY[str(table.__tablename__)] = OwnedTable(table, on_duplicate, on_merge, personal_data, on_erase, name)


def owned_tables() -> list[OwnedTable]:
    """Every declared table, in the order the packages declared them."""
    return list(_REGISTRY.values())
