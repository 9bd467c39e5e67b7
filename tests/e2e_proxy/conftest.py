"""The workspace as production runs it with many workers: a production build served by two workers on PostgreSQL and
Redis, behind Debian's nginx configured from deploy/nginx.conf, driven in Chromium through the proxy only.

A pytest run of its own (the app's settings are read once per process): `make e2e` runs it after tests/e2e_redis.
Browser A reaches worker 1 and browser B worker 2 (a cookie picks the upstream in this run's nginx), so "the other
worker" is always the other process. Skips when nginx, redis-server or PostgreSQL is missing, unless REQUIRE_SERVICES=1.
KEEP_E2E_PROXY=1 leaves the run's folder (build, nginx.conf, the workers' and nginx's logs) for a look afterwards.
"""

import atexit
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, text

from tests.e2e_proxy import stack
from tests.redis_server import SERVER as REDIS_SERVER
from tests.redis_server import RedisServer, free_port

_TMP = Path(tempfile.mkdtemp(prefix="customer-e2e-proxy-"))
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SCHEMA = f"e2e_proxy_{secrets.token_hex(4)}"
PROXY_PORT, WORKER_PORTS = free_port(), [free_port(), free_port()]
PUBLIC_URL = f"http://127.0.0.1:{PROXY_PORT}"
REDIS = RedisServer()
atexit.register(REDIS.remove)
if not os.environ.get("KEEP_E2E_PROXY"):  # also when the run skips or is interrupted
    atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
# Before anything imports the app's settings: this run's schema, folders, Redis and public address, as every worker
# of a deployment shares them.
os.environ |= {
    "REFLEX_DB_URL": make_url(PG_URL)
    .update_query_dict({"options": f"-csearch_path={SCHEMA},public"})
    .render_as_string(hide_password=False),
    "REFLEX_UPLOADED_FILES_DIR": str(_TMP / "uploads"),
    "IMPORT_DIR": str(_TMP / "imports"),
    "EXPORT_DIR": str(_TMP / "exports"),
    "DOCUMENT_DIR": str(_TMP / "documents"),
    "REFLEX_REDIS_URL": REDIS.url,
    "PUBLIC_URL": PUBLIC_URL,
    "TRUSTED_PROXY_HOPS": "1",
    "IMPORT_WORKERS": "0",
}
for name in ("DATABASE_URL", "SMTP_URL", "GRANIAN_WORKERS"):
    os.environ.pop(name, None)

from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402

from customer_app.core.db import make_engine  # noqa: E402
from customer_app.core.migrations import migrate  # noqa: E402
from tests.e2e.browsing import chromium, signed_in_context  # noqa: E402

expect.set_options(timeout=15_000)


def _missing() -> list[str]:
    """What this run needs and the machine lacks."""
    missing = [] if stack.NGINX else ["nginx (apt-get install nginx)"]
    missing += [] if REDIS_SERVER else ["redis-server (apt-get install redis-server)"]
    conninfo = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        psycopg.connect(conninfo, connect_timeout=3).close()
    except psycopg.OperationalError:
        missing.append(f"PostgreSQL at {PG_URL}")
    return missing


@pytest.fixture(scope="session")
def database() -> Iterator[None]:
    """A schema of this run's own in the PostgreSQL database, migrated, dropped at the end."""
    if missing := _missing():
        message = "Two workers behind nginx need " + ", ".join(missing)
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        connection.execute(  # alembic finds its table through the search path: never one left in public
            text(f"CREATE TABLE {SCHEMA}.alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        )
    engine = make_engine(os.environ["REFLEX_DB_URL"])
    migrate(engine)
    engine.dispose()
    try:
        yield
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session")
def app_url(database: None) -> Iterator[str]:
    """The proxy's address, with the build, both workers and nginx running behind it for the whole session."""
    REDIS.start(keep=True)
    env = os.environ | {
        "REFLEX_WEB_WORKDIR": str(_TMP / "web"),
        "REFLEX_STATES_WORKDIR": str(_TMP / "states"),
        "REFLEX_API_URL": PUBLIC_URL,
        "REFLEX_DEPLOY_URL": PUBLIC_URL,
    }
    started = []
    try:
        stack.build(env, _TMP)
        for number, port in enumerate(WORKER_PORTS, 1):
            started.append(stack.start_worker(number, port, env, _TMP))
        started.append(stack.start_nginx(_TMP, PROXY_PORT, WORKER_PORTS))
        yield PUBLIC_URL
    finally:
        for process in reversed(started):
            stack.stop(process)
        REDIS.remove()


@pytest.fixture(scope="session")
def browser(app_url: str) -> Iterator[Browser]:
    """One headless Chromium from the system's packages."""
    yield from chromium()


def on_worker(browser: Browser, number: int, role: str = "admin") -> BrowserContext:
    """A signed-in browser whose every request nginx sends to worker `number`."""
    context = signed_in_context(browser, role)
    if number != 1:
        context.add_cookies([{"name": stack.WORKER_COOKIE, "value": str(number), "url": PUBLIC_URL}])
    return context


@pytest.fixture
def page_a(browser: Browser) -> Iterator[Page]:
    """Browser A, on worker 1."""
    context = on_worker(browser, 1)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_b(browser: Browser) -> Iterator[Page]:
    """Browser B, on worker 2."""
    context = on_worker(browser, 2)
    yield context.new_page()
    context.close()
