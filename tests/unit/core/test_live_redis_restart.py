"""Redis restarts while pages are open: once it is back, open pages read afresh and later writes wake them again."""

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis

from customer_app.core import live
from customer_app.core.live import LiveHub
from tests.unit.core.test_live import _open_page

SERVER = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A Redis server of the test's own (keeping nothing on disk), to stop and start at will."""

    def __init__(self, port: int):
        self.port, self.process = port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        assert SERVER is not None
        args = [SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:  # ready once it answers
            try:
                redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def server(monkeypatch) -> Iterator[RedisServer]:
    if SERVER is None:
        pytest.skip("redis-server is not installed")
    monkeypatch.setattr(live, "RECONNECT_SECONDS", 0.05)
    own = RedisServer(_free_port())
    own.start()
    yield own
    own.stop()


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
