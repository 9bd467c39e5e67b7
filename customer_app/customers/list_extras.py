"""Columns and yes/no filters that higher packages add to the customers list (commerce: Open balance), so the list
shows and filters by what they keep without importing them.

A column reads its cells for the rows of one page in one query. A filter names the customers it selects twice: as
SQLAlchemy (a customer-id column and a condition) for the statements of customers.queries, and as SQL text (a
`filters.Source`) for the SQLite plans of customers.search_plans; both must be served by an index.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from customer_app.core.permissions import Actor, require

Cells = Callable[[list[int], Session], dict[int, str]]  # customer ids of a page -> text of the cell (absent: blank)


@dataclass(frozen=True)
class ListColumn:
    """One column of the list: its header and how it reads a page's cells."""

    key: str  # the row's key for the cell, e.g. "open_balance"
    label: str
    cells: Cells


@dataclass(frozen=True)
class ListFlag:
    """One yes/no filter of the list, e.g. "With open balance"; its key is its name in the address (`?key=1`)."""

    key: str
    label: str
    customer_id: Any  # the column of customer ids it selects, e.g. CustomerBalance.customer_id
    criterion: Any  # a condition on that table (SQLAlchemy `true()` for every row)
    ids_sql: str  # the same as SQL: "SELECT DISTINCT customer_id AS id FROM ..." (no parameters)
    probe_sql: str  # and as a test of one `customer` row: "EXISTS (SELECT 1 FROM ... = customer.id)"


_COLUMNS: dict[str, ListColumn] = {}
_FLAGS: dict[str, ListFlag] = {}


def add_column(column: ListColumn) -> None:
    """Add a column to the list (the package that keeps its values calls this when imported)."""
    _COLUMNS[column.key] = column


def add_flag(flag: ListFlag) -> None:
    """Add a yes/no filter to the list."""
    _FLAGS[flag.key] = flag


def columns() -> list[ListColumn]:
    """The added columns, in the order they were added."""
    return list(_COLUMNS.values())


def flags() -> list[ListFlag]:
    """The added filters, in the order they were added."""
    return list(_FLAGS.values())


def flag(key: str) -> ListFlag:
    """One added filter by its key (a KeyError for any other)."""
    return _FLAGS[key]


def known_flags(keys: Iterable[object]) -> tuple[str, ...]:
    """The keys of added filters among `keys` (clients can send anything), once each and in a fixed order."""
    wanted = {key for key in keys if isinstance(key, str)}
    return tuple(key for key in _FLAGS if key in wanted)


def page_cells(customer_ids: list[int], *, actor: Actor, session: Session) -> dict[int, dict[str, str]]:
    """Each added column's text for the customers of one page (one query per column), blank when it has none."""
    require(actor, "customer.view")
    found = {column.key: column.cells(customer_ids, session) if customer_ids else {} for column in _COLUMNS.values()}
    return {ident: {key: cells.get(ident, "") for key, cells in found.items()} for ident in customer_ids}
