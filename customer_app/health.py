"""Addresses a proxy or orchestrator asks: is the process alive (`/api/health`), may it get traffic (`/api/ready`).

Health answers without touching anything, so a slow database never gets a live worker restarted. Readiness checks
what a request needs: the database answers, its migrations are this code's (a worker started before `make migrate`
must not serve), and Redis answers when several workers share it. Answers name each check and say only ok or not:
addresses, versions and error texts stay in the log.
"""

import asyncio
import logging
import time

import redis
from sqlalchemy import Engine, text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from customer_app.core import db, migrations
from customer_app.settings import settings

HEALTH_PATH = "/api/health"
READY_PATH = "/api/ready"
MIGRATIONS_CACHED = 30.0  # seconds a database found at head is believed to stay there
REDIS_TIMEOUT = 2.0
_NO_STORE = {"Cache-Control": "no-store"}
log = logging.getLogger(__name__)
_at_head: dict[int, float] = {}  # engine id -> when its database was last seen at head


async def health(_request: Request) -> JSONResponse:
    """The process is up and serving HTTP."""
    return JSONResponse({"status": "ok"}, headers=_NO_STORE)


async def ready(_request: Request) -> JSONResponse:
    """200 with every check ok, else 503 naming the checks that failed."""
    checks = await asyncio.to_thread(readiness, engine=db.engine(), redis_url=settings.redis_url)
    ok = all(check["ok"] for check in checks.values())
    body = {"status": "ready" if ok else "not ready", "checks": checks}
    return JSONResponse(body, status_code=200 if ok else 503, headers=_NO_STORE)


def readiness(*, engine: Engine, redis_url: str | None) -> dict[str, dict]:
    """Each check's outcome: {"ok": bool, "detail": short text without secrets}."""
    database = _database(engine)
    return {
        "database": database,
        "migrations": _migrations(engine) if database["ok"] else _failed("database unreachable"),
        "redis": _redis(redis_url),
    }


def _database(engine: Engine) -> dict:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        log.warning("Readiness: the database does not answer", exc_info=True)
        return _failed("does not answer")
    return {"ok": True, "detail": "answers"}


def _migrations(engine: Engine) -> dict:
    seen = _at_head.get(id(engine))
    if seen is not None and time.monotonic() - seen < MIGRATIONS_CACHED:
        return {"ok": True, "detail": "at head"}
    try:
        current = migrations.current(engine)
    except Exception:
        log.warning("Readiness: the migration state cannot be read", exc_info=True)
        return _failed("cannot be read")
    if current != migrations.head():
        _at_head.pop(id(engine), None)
        return _failed("behind this code: run make migrate" if migrations.known(current) else "not this code's")
    _at_head[id(engine)] = time.monotonic()
    return {"ok": True, "detail": "at head"}


def _redis(redis_url: str | None) -> dict:
    if not redis_url:
        return {"ok": True, "detail": "not used"}
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)
    try:
        client.ping()
    except Exception:
        log.warning("Readiness: Redis does not answer", exc_info=True)
        return _failed("does not answer")
    finally:
        client.close()
    return {"ok": True, "detail": "answers"}


def _failed(detail: str) -> dict:
    return {"ok": False, "detail": detail}


routes = [Route(HEALTH_PATH, health, methods=["GET", "HEAD"]), Route(READY_PATH, ready, methods=["GET", "HEAD"])]
