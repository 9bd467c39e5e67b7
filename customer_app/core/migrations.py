"""Apply the project's migrations from Python (tests, benchmarks), exactly as `make migrate` does."""

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
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


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(Config(str(ALEMBIC_INI)))


def head() -> str:
    """The revision this code's migrations end at."""
    return _script().get_current_head() or ""


def known(revision: str) -> bool:
    """Whether this code has the migration `revision` (an unknown one was made by a newer release)."""
    try:
        return _script().get_revision(revision) is not None
    except CommandError:
        return False


def current(engine: Engine) -> str:
    """The revision the engine's database is at ("" before the first migration)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() or ""
