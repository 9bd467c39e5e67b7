"""Apply the project's migrations from Python (tests, benchmarks), exactly as `make migrate` does."""

from pathlib import Path

from alembic.config import Config
from sqlalchemy import Engine

from alembic import command

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic" / "alembic.ini"


def migrate(engine: Engine, revision: str = "head", *, down: bool = False) -> None:
    """Upgrade (or downgrade) the engine's database through env.py's passed-connection path."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["configure_logger"] = False  # leave the caller's logging alone
    with engine.connect() as connection:  # env.py opens the transaction (SQLite's pragmas must come before it)
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        connection.commit()
