"""Change notices for live pages: a write wakes each open page once; reads wake nobody.

One worker: notices travel in process. Several workers (REFLEX_REDIS_URL set): every
notice goes through one Redis pub/sub channel, and each worker wakes its own pages.
"""

import asyncio
import contextlib
import json
import logging
import math
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from customer_app.core.threads import in_pool
from customer_app.settings import settings

CHANNEL = "customer-workspace:customers-changed"
RECONNECT_SECONDS = 1.0
# Refreshes running at once per worker. More only crowd the event loop, the database and Redis, and a page's own search
# waits behind them: at 200 open pages on one worker, 8 slots gave search p95 66-70 ms and write -> all 450-590 ms,
# 2 gave 49 and 472 ms; on two workers with PostgreSQL and Redis, search p95 183 -> 89 ms (bench/bench_live.py).
REFRESH_SLOTS = 2
# Threads for the shared reads of refreshes: apart from the default pool, so a tab's own page load (a search) never
# waits behind a write's fan-out for a thread. One: a second only competed with the searches' reads for the interpreter
# (200 open pages, means of paired runs of bench/bench_live.py: search p95 35 -> 24 ms on SQLite, 65 -> 55 ms on
# PostgreSQL + Redis with two workers; write -> all no slower). The cost: a very slow shared read holds up the other
# views' reads.
REFRESH_THREADS = 1
log = logging.getLogger(__name__)


class _Subscriber:
    """One open page: woken by any change it did not make itself (one customer's page: by changes to that one)."""

    def __init__(self, token: str, customer_id: int | None):
        self.token = token
        self.customer_id = customer_id
        self.wake = asyncio.Event()


class _Answer:
    """One shared read and when its thread began it (not yet: later than any page's own read so far)."""

    def __init__(self, threads: ThreadPoolExecutor, compute) -> None:
        self.begun = math.inf
        self.future = in_pool(threads, self._read, compute)

    def _read(self, compute):
        self.begun = time.monotonic()
        return compute()


class LiveHub:
    """Per-worker registry of open pages and the bridge that carries notices between workers."""

    def __init__(self, redis_url: str | None):
        self.redis_url = redis_url
        self.subscribers: dict[str, _Subscriber] = {}
        self.refresh_slots: asyncio.Semaphore | None = None
        self.generation = 0  # bumped by every notice; refreshes of one generation share their queries
        self._shared: dict[tuple[int, object], _Answer] = {}
        self._listener: asyncio.Task | None = None
        self._redis = None
        self._threads = ThreadPoolExecutor(REFRESH_THREADS, thread_name_prefix="live-refresh")

    @contextlib.asynccontextmanager
    async def subscribe(self, token: str, customer_id: int | None = None) -> AsyncIterator[_Subscriber]:
        """Register an open page for `token` (showing one customer, or many); a newer page for the token replaces it."""
        subscriber = _Subscriber(token, customer_id)
        if (previous := self.subscribers.get(token)) is not None:
            previous.wake.set()  # let the superseded page's task notice and end
        self.subscribers[token] = subscriber
        self._ensure_listener()
        try:
            yield subscriber
        finally:
            if self.subscribers.get(token) is subscriber:
                del self.subscribers[token]

    def is_current(self, subscriber: _Subscriber) -> bool:
        """Whether this page is still the newest for its token."""
        return self.subscribers.get(subscriber.token) is subscriber

    def slots(self) -> asyncio.Semaphore:
        """The semaphore bounding concurrent refreshes (made inside the running loop)."""
        if self.refresh_slots is None:
            self.refresh_slots = asyncio.Semaphore(REFRESH_SLOTS)
        return self.refresh_slots

    async def announce(self, origin: str, customer_id: int | None = None) -> None:
        """Tell every open page except the writer's that customers changed (only `customer_id`, when given)."""
        if self.redis_url:
            try:
                await self._client().publish(CHANNEL, json.dumps({"origin": origin, "customer": customer_id}))
                return
            except Exception:
                log.exception("Could not publish a change notice; waking local pages only")
        self.deliver(origin, customer_id)

    async def shared(self, key: object, compute, *, newer_than: float = 0.0):
        """Run `compute()` in a thread once per notice and key; pages showing the same query share the answer.

        Not an answer whose reading began before `newer_than` (a `time.monotonic()`): a page that read for itself
        since then (a search) holds newer rows, which happens when a write's notice is still on its way from another
        worker. Such a page gets a fresh answer, which the pages after it share.
        """
        slot = (self.generation, key)
        answer = self._shared.get(slot)
        if answer is None or answer.begun < newer_than:
            answer = self._shared[slot] = _Answer(self._threads, compute)
        return await asyncio.shield(answer.future)

    def deliver(self, origin: str, customer_id: int | None = None) -> None:
        """Wake local pages for a notice from `origin`; one customer's page sleeps through others' changes."""
        self.generation += 1
        self._shared.clear()  # answers computed before this change are stale
        for token, subscriber in list(self.subscribers.items()):
            unrelated = None not in (customer_id, subscriber.customer_id) and customer_id != subscriber.customer_id
            if token != origin and not unrelated:
                subscriber.wake.set()

    def listen(self) -> None:
        """Follow other workers' notices from now on (a worker calls it as it starts): a page that opens later then
        hears every notice published after its first read, not only those after its worker first subscribed."""
        self._ensure_listener()

    def _client(self):
        if self._redis is None:
            import redis.asyncio as redis

            assert self.redis_url, "only called when Redis is configured"
            self._redis = redis.from_url(self.redis_url)
        return self._redis

    def _ensure_listener(self) -> None:
        # Started inside a worker (at its start, or by its first page), so each forked worker has its own connection.
        if self.redis_url and (self._listener is None or self._listener.done()):
            self._listener = asyncio.get_running_loop().create_task(self._listen())

    async def _listen(self) -> None:
        lost = False
        while True:
            try:
                pubsub = self._client().pubsub()
                await pubsub.subscribe(CHANNEL)
                if lost:  # notices sent while Redis was away never arrive: every open page reads afresh once
                    lost = False
                    self.deliver("")
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        notice = json.loads(message["data"])
                        self.deliver(notice.get("origin", ""), notice.get("customer"))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Change-notice listener lost Redis; retrying")
                lost = True
                await asyncio.sleep(RECONNECT_SECONDS)


hub = LiveHub(settings.redis_url)


CUSTOMER_PAGE = "#customer"


def customer_page_key(token: str) -> str:
    """What a customer page subscribes and announces under.

    Not the bare tab token: a save made in the customers pop-up (announced under the token) must wake the customer
    page it was made from, while the page's own writes, which it reloads itself, do not.
    """
    return token + CUSTOMER_PAGE


async def announce_customer(state, *, own_page: bool = False) -> None:
    """Tell everyone else viewing the customer `state` shows (its `customer_id`) that it changed; with `own_page`,
    the customer page in the writer's own browser tab too (a tab's write changed what the page around it shows)."""
    token = state.router.session.client_token
    await hub.announce(token if own_page else customer_page_key(token), state.customer_id)
