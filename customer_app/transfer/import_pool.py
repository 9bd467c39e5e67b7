"""Worker processes that check import rows ahead of the chunk being written, so an import uses every core.

Only the database-free part of classifying runs there (reading cells, validating, checking custom field values);
every read and write of the database stays in the importing process. The pool is started from the job runner's
thread inside the web server, so its workers are spawned, never forked from a threaded process.
"""

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from sqlmodel import Session

from customer_app.settings import settings
from customer_app.transfer.import_rows import Checked, Plan, check_rows, known_keys, row_keys

START_AFTER = 3000  # rows checked in the importing process while the workers start (that takes a second or two)
AHEAD = 2  # chunks checked ahead of the one being written: enough to keep every worker busy, little memory


def workers() -> int:
    """How many worker processes an import uses (0: it checks every row itself)."""
    return settings.import_workers


class Checker:
    """One pool for one import run (or preview): chunks go in, their `Checked` come back in order."""

    def __init__(self, plan: Plan, fields: list[dict]) -> None:
        self.plan, self.fields = plan, fields
        self.pool: ProcessPoolExecutor | None = None  # started by a second chunk with new customers to validate

    def start(self) -> None:
        """Start the workers now, so they are ready when the chunks come (a file of one chunk never starts them)."""
        if self.pool is None and workers():
            self.pool = ProcessPoolExecutor(workers(), mp_context=multiprocessing.get_context("spawn"))
            for _ in range(workers()):
                self.pool.submit(_ready_to_check)

    def submit(self, rows: Sequence[tuple[int, list]], *, session: Session, here: bool = False) -> Future | None:
        """Check a chunk in a worker, or None when it is checked in place: when `here` (the workers start meanwhile)
        or when it holds no new customer to validate (cheaper here than sent there and back). Rows matching a
        customer now are not validated as new ones."""
        if not workers():
            return None
        keys = row_keys(rows, self.plan)
        known = known_keys(keys, self.plan.match_on, session=session)
        maybe_new = len(keys) < len(rows) or (self.plan.match_on != "id" and len(known) < len(set(keys)))
        if self.plan.mode == "update" or not maybe_new:
            return None
        self.start()
        if self.pool is None or here:
            return None
        return self.pool.submit(check_rows, rows, self.plan, self.fields, known)

    def close(self) -> None:
        """Stop the workers, dropping what is queued (a cancelled or failed run wants none of it)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "Checker":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def checked_chunks(
    chunks: Iterable[list[tuple[int, list]]], checker: Checker, *, session: Session, first: int = 0
) -> Iterator[tuple[list[tuple[int, list]], Checked | None]]:
    """Each chunk with its checks, done `AHEAD` chunks ahead in the pool; the chunks of the first START_AFTER rows
    (counted from row `first`) come with None: they are checked in place, so small files never start a pool."""
    waiting: deque[tuple[list[tuple[int, list]], Future | None]] = deque()
    start = first
    for rows in chunks:
        here = start - first < START_AFTER
        if here and start == first:  # a file of one chunk is checked here, without starting any worker
            waiting.append((rows, None))
        else:
            waiting.append((rows, checker.submit(rows, session=session, here=here)))
        start += len(rows)
        if len(waiting) > AHEAD:
            yield _ready(waiting.popleft())
    while waiting:
        yield _ready(waiting.popleft())


def _ready_to_check() -> None:
    """Nothing: a worker that ran it has imported what checking rows needs."""


def _ready(entry: tuple[list[tuple[int, list]], Future | None]) -> tuple[list[tuple[int, list]], Checked | None]:
    rows, future = entry
    return rows, future.result() if future is not None else None
