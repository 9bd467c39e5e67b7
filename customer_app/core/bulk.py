"""Inserting many rows of one table at once, as cheaply as each database allows."""

from collections.abc import Sequence

from sqlalchemy import Connection, insert
from sqlmodel import SQLModel


def insert_many(connection: Connection, model: type[SQLModel], rows: Sequence[dict]) -> None:
    """Insert rows that all name the same columns, among them every column that has a default.

    On SQLite straight through the driver's executemany, the statement compiled and each column's bind processor
    looked up once: SQLAlchemy's own executemany builds every row's parameters through its generic machinery, which
    cost as much as SQLite's insert itself (measured: 30,000 customers in 1.28 s that way, 0.80 s this way).
    PostgreSQL keeps SQLAlchemy's batched multi-row VALUES, which is faster there than the driver's executemany.
    """
    if not rows:
        return
    table = SQLModel.metadata.tables[str(model.__tablename__)]
    if missing := {column.key for column in table.columns if column.default is not None} - rows[0].keys():
        raise ValueError(f"Rows for {table.name} lack {sorted(missing)}, which have defaults: give them.")
    if connection.dialect.name != "sqlite":
        connection.execute(insert(table), list(rows))
        return
    compiled = insert(table).compile(dialect=connection.dialect, column_keys=list(rows[0]))
    names = compiled.positiontup or []
    dialect = connection.dialect
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    pairs = list(zip(names, processors, strict=True))
    connection.exec_driver_sql(
        compiled.string,
        [tuple(process(row[name]) if process else row[name] for name, process in pairs) for row in rows],
    )
