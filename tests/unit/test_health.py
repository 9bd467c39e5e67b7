"""A proxy asks /api/health whether the process lives and /api/ready whether it may send it traffic."""

import dataclasses
import os
import socket

import pytest
import redis
from starlette.testclient import TestClient

from customer_app import health
from customer_app.api import api
from customer_app.core import db, migrations
from customer_app.core.db import make_engine
from customer_app.settings import settings
from tests.unit.databases import sqlite_engine_at

REDIS_URL = "redis://127.0.0.1:6379/0"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe closes


@pytest.fixture
def client() -> TestClient:
    health._at_head.clear()
    return TestClient(api)


@pytest.fixture
def redis_url(monkeypatch):
    """Point the readiness check at a Redis URL."""

    def use(url: str | None) -> None:
        monkeypatch.setattr(health, "settings", dataclasses.replace(settings, redis_url=url))

    return use


def test_health_answers_without_the_database(client, monkeypatch):
    monkeypatch.setattr(
        db, "engine", lambda: make_engine(f"postgresql+psycopg://nobody:s3cret@127.0.0.1:{_closed_port()}/x")
    )
    answer = client.get(health.HEALTH_PATH)
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert answer.headers["cache-control"] == "no-store"


def test_ready_when_the_database_answers_at_head_and_redis_is_not_used(client, app_db, redis_url):
    redis_url(None)
    answer = client.get(health.READY_PATH)
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ready",
        "checks": {
            "database": {"ok": True, "detail": "answers"},
            "migrations": {"ok": True, "detail": "at head"},
            "redis": {"ok": True, "detail": "not used"},
        },
    }


def test_not_ready_when_the_database_does_not_answer_and_no_secret_leaks(client, monkeypatch, redis_url):
    redis_url(None)
    port = _closed_port()
    monkeypatch.setattr(db, "engine", lambda: make_engine(f"postgresql+psycopg://nobody:s3cret@127.0.0.1:{port}/x"))
    answer = client.get(health.READY_PATH)
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["database"] == {"ok": False, "detail": "does not answer"}
    assert not checks["migrations"]["ok"]
    assert "s3cret" not in answer.text
    assert str(port) not in answer.text
    assert "nobody" not in answer.text


def test_not_ready_while_the_database_is_behind_this_codes_migrations(client, monkeypatch, tmp_path, redis_url):
    redis_url(None)
    engine = sqlite_engine_at(tmp_path / "old.db")
    previous = migrations._script().get_revision(migrations.head()).down_revision
    migrations.migrate(engine, str(previous), down=True)
    monkeypatch.setattr(db, "engine", lambda: engine)
    answer = client.get(health.READY_PATH)
    assert answer.status_code == 503
    assert answer.json()["checks"]["migrations"] == {"ok": False, "detail": "behind this code: run make migrate"}
    migrations.migrate(engine)
    assert client.get(health.READY_PATH).status_code == 200
    engine.dispose()


def test_not_ready_when_redis_is_configured_but_does_not_answer(client, app_db, redis_url):
    redis_url(f"redis://:hunter2@127.0.0.1:{_closed_port()}/0")
    answer = client.get(health.READY_PATH)
    assert answer.status_code == 503
    assert answer.json()["checks"]["redis"] == {"ok": False, "detail": "does not answer"}
    assert answer.json()["checks"]["database"]["ok"]
    assert "hunter2" not in answer.text


def test_ready_with_a_redis_that_answers(client, app_db, redis_url):
    try:
        redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            raise
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    redis_url(REDIS_URL)
    answer = client.get(health.READY_PATH)
    assert answer.status_code == 200
    assert answer.json()["checks"]["redis"] == {"ok": True, "detail": "answers"}
