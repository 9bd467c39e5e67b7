"""Alembic environment: the app's metadata and database URL, nothing else."""

from logging.config import fileConfig

from sqlmodel import SQLModel

import customer_app.schema  # noqa: F401  (registers every table on the metadata)
from alembic import context
from customer_app.core.db import make_engine
from customer_app.settings import settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata
# Search indexes that autogenerate cannot express live in migrations only.
UNMANAGED_TABLES = {"customer_fts"}


def include_object(obj, name, type_, reflected, compare_to):
    """Leave hand-written search structures out of autogenerate."""
    if type_ == "table":
        return name not in UNMANAGED_TABLES and not name.startswith("customer_fts_")
    return not (type_ == "index" and name == "ix_customer_search_trgm")


def run_migrations() -> None:
    """Run migrations on the connection given by the caller, or on the app's database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with make_engine(config.get_main_option("sqlalchemy.url") or settings.database_url).connect() as conn:
        _run(conn)
        conn.commit()


def _foreign_keys(connection, *, on: bool) -> None:
    """Switch SQLite's foreign keys; the pragma is ignored inside a transaction, so any open one ends first."""
    if connection.in_transaction():
        connection.commit()
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    connection.commit()


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch migrations rebuild tables; with foreign keys on, dropping the old table would cascade-delete every
        # row that points at it.
        _foreign_keys(connection, on=False)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=sqlite,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                raise RuntimeError(f"The migration left rows pointing nowhere: {broken[:5]}")
    finally:
        if sqlite:
            _foreign_keys(connection, on=True)


run_migrations()
