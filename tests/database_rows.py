"""Every row of every table, read back to prove that something wrote nothing."""

from sqlalchemy import Engine, Table
from sqlmodel import SQLModel

import customer_app.schema  # noqa: F401  (registers every table)


def _every_row(table: Table) -> str:
    """SQL reading a table whole, but when a session was last used (using it moves that forward, for the idle limit)."""
    columns = ", ".join(f'"{column.name}"' for column in table.c if column.name != "last_seen_at")
    return f'SELECT {columns} FROM "{table.name}"'


EVERY_ROW = {table.name: _every_row(table) for table in SQLModel.metadata.sorted_tables}


def all_rows(engine: Engine, skip: set[str] = frozenset()) -> dict[str, list]:
    """Every row of every table but those in `skip`, read without compiling anything (thousands of cases read it)."""
    with engine.connect() as connection:
        return {
            table: sorted(connection.exec_driver_sql(query).all(), key=repr)
            for table, query in EVERY_ROW.items()
            if table not in skip
        }


def changed_tables(before: dict[str, list], after: dict[str, list]) -> list[str]:
    """The tables whose rows differ between two readings."""
    return [name for name in before if before[name] != after.get(name)]
