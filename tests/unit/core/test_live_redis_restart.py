"""Redis restarts while pages are open: once it is back, open pages read afresh and later writes wake them again."""

import asyncio
import time
from collections.abc import Iterator

import pytest

from customer_app.core import live
from customer_app.core.live import LiveHub
from tests.redis_server import SERVER, RedisServer
from tests.unit.core.test_live import _open_page


@pytest.fixture
def server(monkeypatch) -> Iterator[RedisServer]:
    if SERVER is None:
        pytest.skip("redis-server is not installed")
    monkeypatch.setattr(live, "RECONNECT_SECONDS", 0.05)
    own = RedisServer()
    own.start()
    yield own
    own.remove()


async def _woken(woken: list[str], deadline: float = 10.0) -> list[str]:
    end = time.monotonic() + deadline
    while not woken and time.monotonic() < end:
        await asyncio.sleep(0.02)
    return list(woken)


async def _until_listening(hub: LiveHub) -> None:
    end = time.monotonic() + 10
    while (await hub._client().pubsub_numsub(live.CHANNEL))[0][1] == 0:
        assert time.monotonic() < end, "the page's worker never subscribed"
        await asyncio.sleep(0.02)


def test_pages_recover_after_redis_restarts(server):
    async def scenario():
        writer, viewer, woken, ready = LiveHub(server.url), LiveHub(server.url), [], asyncio.Event()
        page = asyncio.create_task(_open_page(viewer, "viewer", woken, ready))
        await ready.wait()
        await _until_listening(writer)
        server.stop()
        await writer.announce("writer")  # published nowhere: Redis is down (logged, local pages only)
        server.start()
        caught_up = await _woken(woken)  # the viewer's worker resubscribes and has its pages read afresh
        woken.clear()
        await _until_listening(writer)
        await writer.announce("writer")  # a save after the restart travels as before
        after = await _woken(woken)
        page.cancel()
        for hub in (writer, viewer):
            if hub._listener:
                hub._listener.cancel()
        await asyncio.gather(page, *(h._listener for h in (writer, viewer) if h._listener), return_exceptions=True)
        return caught_up, after

    assert asyncio.run(scenario()) == (["viewer"], ["viewer"])
