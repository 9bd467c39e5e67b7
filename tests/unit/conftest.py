"""Database fixtures: service and state tests run on migrated SQLite and PostgreSQL databases.

SQLite is a temporary file migrated once per test session; PostgreSQL (skipped when unreachable unless
REQUIRE_SERVICES=1) is a fresh schema migrated once per test session and dropped at the end.
Every test starts with an empty customer table.
"""

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="customer-unit-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)  # also after --collect-only or an interrupted run
# Before anything imports the app's settings: nothing here may touch a real database, upload folder or Redis.
os.environ["REFLEX_DB_URL"] = f"sqlite:///{_TMP / 'never-used.db'}"
os.environ["REFLEX_UPLOADED_FILES_DIR"] = str(_TMP / "uploads")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REFLEX_REDIS_URL", None)
os.environ.pop("PHONE_REGION", None)  # national numbers in these tests are US ones

import pytest  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from customer_app.models.customer import Customer  # noqa: E402
from customer_app.services.customer_validation import validate_customer  # noqa: E402
from customer_app.services.customers import create_customer  # noqa: E402
from tests.unit.databases import postgres_schema, sqlite_engine_at  # noqa: E402

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def sqlite_engine() -> Iterator[Engine]:
    """A migrated SQLite database file shared by the test session."""
    engine = sqlite_engine_at(_TMP / "unit.db")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgresql_engine() -> Iterator[Engine]:
    """A migrated PostgreSQL schema shared by the test session."""
    with postgres_schema() as engine:
        yield engine


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The database backend the test runs on."""
    return request.param


@pytest.fixture
def engine(request, backend: str) -> Engine:
    """An engine on an empty, migrated database of the test's backend."""
    engine = request.getfixturevalue(f"{backend}_engine")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM customer"))  # on SQLite the triggers empty the FTS index too
    return engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session like the app's own (`db.session_scope`), on an empty database."""
    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.rollback()


@pytest.fixture
def add(session: Session) -> Callable[..., Customer]:
    """Create and commit a customer from form-like values (an individual unless kind= says otherwise)."""

    def add(**raw: object) -> Customer:
        customer = create_customer(validate_customer(raw, phone_region="US"), session=session)
        session.commit()
        return customer

    return add
