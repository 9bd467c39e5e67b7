"""The change-notice hub: writes wake other pages once, reads wake nobody, closed pages leave nothing behind."""

import asyncio
import itertools
import os
import threading
import time

import pytest
import redis

from customer_app.core.live import CHANNEL, LiveHub


async def _open_page(
    hub: LiveHub, token: str, woken: list[str], ready: asyncio.Event, customer_id: int | None = None
) -> None:
    async with hub.subscribe(token, customer_id) as subscriber:
        ready.set()
        while hub.is_current(subscriber):
            await subscriber.wake.wait()
            subscriber.wake.clear()
            if hub.is_current(subscriber):
                woken.append(token)


def test_a_write_wakes_every_other_page_but_not_the_writer():
    async def scenario():
        hub, woken = LiveHub(redis_url=None), []
        readies = [asyncio.Event() for _ in range(3)]
        tasks = [asyncio.create_task(_open_page(hub, f"t{i}", woken, readies[i])) for i in range(3)]
        await asyncio.gather(*(r.wait() for r in readies))
        await hub.announce("t0")
        await asyncio.sleep(0)  # let the woken pages run
        await asyncio.sleep(0)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return sorted(woken), hub.subscribers

    woken, left = asyncio.run(scenario())
    assert woken == ["t1", "t2"]
    assert left == {}


def test_a_change_to_one_customer_wakes_lists_and_that_customers_pages_only():
    async def scenario():
        hub, woken = LiveHub(redis_url=None), []
        pages = {"list": None, "ada": 1, "bob": 2}
        readies = {token: asyncio.Event() for token in pages}
        tasks = [
            asyncio.create_task(_open_page(hub, token, woken, readies[token], customer_id))
            for token, customer_id in pages.items()
        ]
        await asyncio.gather(*(r.wait() for r in readies.values()))
        await hub.announce("writer", customer_id=1)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        one = sorted(woken)
        await hub.announce("writer")  # many customers at once: everyone
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return one, sorted(woken)

    one, everyone = asyncio.run(scenario())
    assert one == ["ada", "list"]
    assert everyone == ["ada", "ada", "bob", "list", "list"]


def test_opening_and_closing_pages_many_times_leaves_nothing_tracked():
    async def scenario():
        hub = LiveHub(redis_url=None)
        for round_ in range(50):
            ready = asyncio.Event()
            task = asyncio.create_task(_open_page(hub, f"tab{round_ % 5}", [], ready))
            await ready.wait()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        return hub.subscribers

    assert asyncio.run(scenario()) == {}


def test_a_newer_page_for_the_same_tab_replaces_the_older_one():
    async def scenario():
        hub, woken = LiveHub(redis_url=None), []
        first_ready, second_ready = asyncio.Event(), asyncio.Event()
        first = asyncio.create_task(_open_page(hub, "tab", woken, first_ready))
        await first_ready.wait()
        second = asyncio.create_task(_open_page(hub, "tab", woken, second_ready))
        await second_ready.wait()
        await asyncio.wait_for(first, timeout=1)  # the superseded page's loop ends by itself
        second.cancel()
        await asyncio.gather(second, return_exceptions=True)
        return hub.subscribers

    assert asyncio.run(scenario()) == {}


def test_pages_showing_the_same_query_share_one_computation_per_change():
    compute = itertools.count(1).__next__  # the n-th read answers n

    async def scenario():
        hub = LiveHub(redis_url=None)
        first = await asyncio.gather(*(hub.shared("q", compute) for _ in range(10)))
        hub.deliver("writer")  # a new change: the old answer is stale
        second = await hub.shared("q", compute)
        return first, second

    first, second = asyncio.run(scenario())
    assert first == [1] * 10
    assert second == 2


def test_a_page_that_read_for_itself_after_a_shared_answer_began_gets_a_newer_one():
    compute = itertools.count(1).__next__  # the n-th read answers n

    async def scenario():
        hub = LiveHub(redis_url=None)
        before = time.monotonic()  # a page that last read for itself before the refresh began shares its answer
        first = await hub.shared("q", compute, newer_than=before)
        # A page searched for itself since: it may show a write whose notice is still on its way from another worker,
        # and the shared answer would take its page back in time.
        own_read = time.monotonic()
        newer = await hub.shared("q", compute, newer_than=own_read)
        after = await hub.shared("q", compute)  # the pages after it share the newer answer
        return first, newer, after

    assert asyncio.run(scenario()) == (1, 2, 2)


def test_a_page_load_never_waits_for_a_thread_behind_a_fan_out():
    released = threading.Event()

    def slow_refresh(n: int):
        released.wait(timeout=30)
        return n

    async def scenario():
        hub = LiveHub(redis_url=None)
        # More slow shared reads than any default thread pool has threads (it has at most 32), as while a write's
        # fan-out queries the database for many different views.
        refreshes = [asyncio.ensure_future(hub.shared(n, lambda n=n: slow_refresh(n))) for n in range(40)]
        await asyncio.sleep(0)  # let them all be handed to threads
        own_load = await asyncio.wait_for(asyncio.to_thread(lambda: "rows"), timeout=10)  # a tab's own page load
        waiting = [not refresh.done() for refresh in refreshes]
        released.set()
        return own_load, waiting, await asyncio.gather(*refreshes)

    own_load, waiting, refreshed = asyncio.run(scenario())
    assert own_load == "rows"
    assert waiting == [True] * 40  # it did not wait for them
    assert refreshed == list(range(40))


REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_or_skip() -> None:
    try:
        redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            raise
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")


async def _until_subscribed(hub: LiveHub) -> None:
    for _ in range(200):
        if (await hub._client().pubsub_numsub(CHANNEL))[0][1] > 0:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the viewer's worker never subscribed")


def test_a_write_on_one_worker_wakes_pages_on_another_through_redis():
    _redis_or_skip()

    async def scenario():
        writer_worker, viewer_worker, woken = LiveHub(REDIS_URL), LiveHub(REDIS_URL), []
        ready, other_ready = asyncio.Event(), asyncio.Event()
        page = asyncio.create_task(_open_page(viewer_worker, "viewer", woken, ready, 7))
        other = asyncio.create_task(_open_page(viewer_worker, "other", woken, other_ready, 8))
        await other_ready.wait()
        await ready.wait()
        await _until_subscribed(writer_worker)  # the notice must not be published before anyone listens
        await writer_worker.announce("writer", customer_id=7)  # the customer travels with the notice
        for _ in range(100):
            if woken:
                break
            await asyncio.sleep(0.02)
        page.cancel()
        other.cancel()
        await asyncio.gather(page, other, return_exceptions=True)
        for hub in (writer_worker, viewer_worker):
            if hub._listener:
                hub._listener.cancel()
        return woken

    assert asyncio.run(scenario()) == ["viewer"]


def test_a_worker_listens_from_its_start_before_any_page_opens():
    _redis_or_skip()

    async def scenario():
        worker, other = LiveHub(REDIS_URL), LiveHub(REDIS_URL)
        worker.listen()
        try:
            for _ in range(200):  # another worker writes until this one, with no page open, has heard a notice
                await other.announce("writer")
                if worker.generation:
                    break
                await asyncio.sleep(0.01)
        finally:
            assert worker._listener is not None
            worker._listener.cancel()
            await asyncio.gather(worker._listener, return_exceptions=True)
        return worker.generation, worker.subscribers

    heard, pages = asyncio.run(scenario())
    assert heard > 0
    assert pages == {}


def test_without_redis_listening_is_nothing_to_start():
    async def scenario():
        worker = LiveHub(None)
        worker.listen()
        return worker._listener

    assert asyncio.run(scenario()) is None
