"""Database fixtures: service and state tests run on migrated SQLite and PostgreSQL databases.

SQLite is a temporary file migrated once per test session; PostgreSQL (skipped when unreachable unless
REQUIRE_SERVICES=1) is a fresh schema migrated once per test session and dropped at the end.
Every test starts with empty customer and staff tables. Staff accounts share one password hash, made once with
cheap argon2id parameters (see `production_hasher`), and `new_tab` gives a browser tab's state tree, signed in
as someone or not.
"""

import atexit
import os
import shutil
import tempfile
import threading
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
os.environ.pop("SMTP_URL", None)  # mail stays in the outbox unless a test starts its own SMTP server

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from reflex.state import State  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from customer_app.access import auth  # noqa: E402
from customer_app.access.models import StaffUser  # noqa: E402
from customer_app.access.state.auth import AuthState  # noqa: E402
from customer_app.core import (  # noqa: E402
    db,
    jobs,
    passwords,
)
from customer_app.core.normalize import email_key  # noqa: E402
from customer_app.core.permissions import (  # noqa: E402
    Actor,
    Role,
)
from customer_app.customers.customers import create_customer  # noqa: E402
from customer_app.customers.models import Customer  # noqa: E402
from customer_app.customers.validation import validate_customer  # noqa: E402
from tests.unit.accounts import ADDRESS, PASSWORD  # noqa: E402
from tests.unit.databases import postgres_schema, sqlite_engine_at  # noqa: E402

BACKENDS = ("sqlite", "postgresql")
# Children before parents (foreign keys), customers last.
TABLES = (
    "customer_balance",
    "payment_allocation",
    "payment",
    "sales_document_line",
    "sales_document",
    "customer_sales",
    "customer_shipping",
    "portal_session",
    "portal_email_change",
    "portal_grant",
    "portal_sections",
    "portal_account",
    "portal_template",
    "portal_settings",
    "custom_field_value",
    "custom_field",
    "customer_group_member",
    "customer_group",
    "customer_tag",
    "customer_profile",
    "customer_address",
    "contact_person",
    "customer_contact",
    "customer_notification",
    "activity",
    "ticket_reply",
    "ticket_status_change",
    "ticket",
    "customer_note",
    "import_change",
    "import_job",
    "background_job",
    "import_mapping",
    "export_config",
    "download_link",
    "staff_session",
    "one_time_token",
    "sign_in_attempt",
    "audit_event",
    "outbox_message",
    "staff_user",
    "customer",
    "trash_batch",
)


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
        for table in TABLES:  # on SQLite the customer triggers empty the FTS index too
            connection.execute(text(f"DELETE FROM {table}"))
    return engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session like the app's own (`db.session_scope`), on an empty database."""
    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.rollback()


@pytest.fixture(scope="session", autouse=True)
def production_hasher() -> Iterator[PasswordHasher]:
    """Cheap argon2id parameters for the test run (the production ones cost ~0.2 s a hash on a small machine).

    Hashes stay argon2id and verification works the same; only the cost differs. Yields the production hasher
    for the tests that check its parameters.
    """
    production = passwords._hasher
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        patch.setattr(auth, "_DUMMY_HASH", passwords.hash_password("a dummy like the one the app makes at import"))
        yield production


@pytest.fixture(scope="session")
def password_hash(production_hasher) -> str:
    """The argon2id hash of PASSWORD (with the test parameters), made once for every test account."""
    return passwords.hash_password(PASSWORD)


@pytest.fixture
def make_user(session: Session, password_hash: str) -> Callable[..., StaffUser]:
    """Create and commit a staff account (password PASSWORD unless password=False, as before an invitation)."""

    def make(
        role: str = "staff",
        *,
        email: str | None = None,
        name: str | None = None,
        active: bool = True,
        password: bool = True,
    ) -> StaffUser:
        email = email or f"{role.replace('_', '-')}@example.com"
        user = StaffUser(
            email=email,
            email_key=email_key(email),
            name=name or f"{Role(role).name.title()} Person",
            role=Role(role).value,
            password_hash=password_hash if password else None,
            active=active,
        )
        session.add(user)
        session.commit()
        return user

    return make


@pytest.fixture
def admin_user(make_user) -> StaffUser:
    return make_user("admin", email="ada@example.com", name="Ada Admin")


@pytest.fixture
def staff_user(make_user) -> StaffUser:
    return make_user("staff", email="sam@example.com", name="Sam Staff")


@pytest.fixture
def reader_user(make_user) -> StaffUser:
    return make_user("read_only", email="rita@example.com", name="Rita Reader")


@pytest.fixture
def admin(admin_user: StaffUser) -> Actor:
    """An admin acting from ADDRESS, backed by a real account."""
    return auth.actor_of(admin_user, ADDRESS)


@pytest.fixture
def staff(staff_user: StaffUser) -> Actor:
    return auth.actor_of(staff_user, ADDRESS)


@pytest.fixture
def reader(reader_user: StaffUser) -> Actor:
    return auth.actor_of(reader_user, ADDRESS)


@pytest.fixture
def add(session: Session, admin: Actor) -> Callable[..., Customer]:
    """Create and commit a customer from form-like values (an individual unless kind= says otherwise), as admin."""

    def add(**raw: object) -> Customer:
        customer = create_customer(validate_customer(raw, phone_region="US"), actor=admin, session=session)
        session.commit()
        return customer

    return add


# --- Reflex states ------------------------------------------------------------------------------------------


@pytest.fixture
def app_db(engine: Engine, monkeypatch) -> Engine:
    """The app's `db.session_scope` pointed at the test database."""
    monkeypatch.setattr(db, "engine", lambda: engine)
    return engine


@pytest.fixture
def job_worker(app_db: Engine) -> Iterator[None]:
    """A job worker on a thread of its own against the test database, as the app runs one in each process."""
    stop = threading.Event()
    worker = threading.Thread(target=jobs.serve, args=(stop,), kwargs={"engine": lambda: app_db}, daemon=True)
    worker.start()
    yield
    stop.set()
    jobs.wake()
    worker.join()


@pytest.fixture
def session_token(session: Session) -> Callable[[StaffUser], str]:
    """Start a committed sign-in session for a user; returns the token a browser would keep."""

    def start(user: StaffUser, *, remember: bool = False) -> str:
        token = auth.start_session(user, remember=remember, session=session)
        session.commit()
        return token

    return start


@pytest.fixture
def new_tab(app_db, session_token) -> Callable[..., State]:
    """One browser tab's state tree, as Reflex builds it for a client: signed in as `user`, or with `token`."""

    def tab(user: StaffUser | None = None, *, token: str = "") -> State:
        root = State(_reflex_internal_init=True)  # pyright: ignore[reportCallIssue] (how Reflex builds one)
        root.get_substate(AuthState._get_substate_path()).auth_token = session_token(user) if user else token
        return root

    return tab
