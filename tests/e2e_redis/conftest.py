"""The real app with Reflex's Redis state manager on a Redis server of the run's own, driven in Chromium.

A pytest run of its own (the app's settings are read once per process): `make e2e` runs it after tests/e2e.
"""

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.redis_server import SERVER, RedisServer

ROOT = Path(__file__).resolve().parents[2]
_TMP = Path(tempfile.mkdtemp(prefix="customer-e2e-redis-"))
REDIS = RedisServer()  # its own free port: the machine's shared Redis is never touched
atexit.register(REDIS.remove)  # also after an interrupted run: no redis-server left behind
# Before anything imports the app's settings: a private database, upload folder and Redis for this run.
os.environ["REFLEX_DB_URL"] = f"sqlite:///{_TMP / 'e2e.db'}"
os.environ["REFLEX_UPLOADED_FILES_DIR"] = str(_TMP / "uploads")
os.environ["IMPORT_DIR"] = str(_TMP / "imports")
os.environ["EXPORT_DIR"] = str(_TMP / "exports")
os.environ["REFLEX_REDIS_URL"] = REDIS.url
for name in ("DATABASE_URL", "SMTP_URL"):
    os.environ.pop(name, None)

from playwright.sync_api import Browser, expect  # noqa: E402
from reflex.testing import AppHarness  # noqa: E402

from customer_app.core.db import make_engine  # noqa: E402
from customer_app.core.migrations import migrate  # noqa: E402
from tests.e2e.browsing import chromium  # noqa: E402

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """The run's Redis, started keeping its data on disk (tests restart it as they need)."""
    if SERVER is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        pytest.skip("redis-server is not installed")
    REDIS.start(keep=True)
    yield REDIS
    REDIS.remove()


@pytest.fixture
def keeping_redis(redis_server: RedisServer) -> RedisServer:
    """The run's Redis keeping its data on disk, as production should (restarted so if a test left it otherwise)."""
    if not redis_server.keep:
        redis_server.restart(keep=True)
    return redis_server


@pytest.fixture(scope="session")
def app_url(redis_server: RedisServer) -> Iterator[str]:
    """The app, migrated and running on the run's Redis for the whole session."""
    migrate(make_engine(os.environ["REFLEX_DB_URL"]))
    with AppHarness.create(root=ROOT) as harness:
        assert harness.frontend_url
        yield harness.frontend_url.rstrip("/")
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(app_url: str) -> Iterator[Browser]:
    """One headless Chromium from the system's packages, started after the app: Playwright's event loop runs in this
    thread, and the Redis state manager would otherwise start its lock listener on that loop instead of the app's."""
    yield from chromium()
