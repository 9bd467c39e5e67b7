"""Worker processes that check import rows ahead of the chunk being written, so an import uses every core.

Only the database-free part of classifying runs there (reading cells, validating, checking custom field values);
every read and write of the database stays in the importing process. The pool is started from the job runner's
thread inside the web server, so its workers are spawned, never forked from a threaded process.
"""

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from sqlmodel import Session

from customer_app.settings import settings
from customer_app.transfer.import_rows import Checked, Plan, check_rows, known_keys, row_keys

START_AFTER = 3000  # rows checked in the importing process while the workers start (that takes a second or two)


def workers() -> int:
    """How many worker processes an import uses (0: it checks every row itself)."""
    return settings.import_workers


@dataclass
class _Chunk:
    """A chunk read ahead of the one being written, and where its rows are checked."""

    rows: list[tuple[int, list]]
    known: frozenset | None = None  # the match keys of customers now, when its new customers are worth checking ahead
    future: Future | None = None  # checked in a worker
    checked: Checked | None = None  # checked here, while the workers were busy with earlier chunks


class Checker:
    """One pool for one import run (or preview): chunks go in, their `Checked` come back in order. The workers are
    kept busy with chunks in file order; whenever the importing process would wait for one, it checks the last chunk
    read itself instead, so on a machine with one worker per spare core both cores keep working."""

    def __init__(self, plan: Plan, fields: list[dict]) -> None:
        self.plan, self.fields = plan, fields
        self.pool: ProcessPoolExecutor | None = None  # started by a second chunk with new customers to validate

    def start(self) -> None:
        """Start the workers now, so they are ready when the chunks come (a file of one chunk never starts them)."""
        if self.pool is None and workers():
            self.pool = ProcessPoolExecutor(workers(), mp_context=multiprocessing.get_context("spawn"))
            for _ in range(workers()):
                self.pool.submit(_ready_to_check)

    def _known(self, rows: Sequence[tuple[int, list]], *, session: Session, here: bool) -> frozenset | None:
        """The match keys of customers now when a chunk is worth checking ahead, else None: when `here` (the workers
        start meanwhile) or when it holds no new customer to validate (cheaper in place than ahead). Rows matching a
        customer now are not validated as new ones."""
        if not workers() or self.plan.mode == "update":
            return None
        keys = row_keys(rows, self.plan)
        if len(keys) == len(rows) and self.plan.match_on == "id":
            return None  # every row names its customer by id: none is new (and nothing need be looked up)
        known = known_keys(keys, self.plan.match_on, session=session)
        if len(keys) == len(rows) and len(known) == len(set(keys)):
            return None  # every row matches a customer
        self.start()
        return None if self.pool is None or here else known

    def _send(self, ahead: Iterable[_Chunk]) -> None:
        """Give the workers the next chunks in order, two each at most: one at work, one waiting its turn."""
        busy = sum(1 for chunk in ahead if chunk.future is not None and not chunk.future.done())
        for chunk in ahead:
            if busy >= 2 * workers() or self.pool is None:
                return
            if chunk.known is not None and chunk.future is None and chunk.checked is None:
                chunk.future = self.pool.submit(check_rows, chunk.rows, self.plan, self.fields, chunk.known)
                busy += 1

    def _ready(self, chunk: _Chunk, ahead: deque[_Chunk]) -> Checked | None:
        """A chunk's checks (None: it is checked in place as it is classified). While its worker is still at it, the
        chunks read after it that nobody checks yet are checked here, the last first."""
        while chunk.future is not None and not chunk.future.done():
            for spare in reversed(ahead):
                if spare.known is not None and spare.future is None and not spare.checked:
                    spare.checked = check_rows(spare.rows, self.plan, self.fields, spare.known)
                    break
            else:
                break  # nothing left to check here: wait for the worker
        return chunk.future.result() if chunk.future is not None else chunk.checked

    def checked(
        self, chunks: Iterable[list[tuple[int, list]]], *, session: Session, first: int = 0
    ) -> Iterator[tuple[list[tuple[int, list]], Checked | None]]:
        """Each chunk with its checks, done ahead by the workers or here; the chunks of the first START_AFTER rows
        (counted from row `first`) come with None: they are checked in place, so small files never start a pool."""
        ahead: deque[_Chunk] = deque()
        start = first
        reach = 2 * workers() + 2  # chunks read ahead: enough to keep the workers and this process busy, little memory
        for rows in chunks:
            here = start - first < START_AFTER
            chunk = _Chunk(rows)
            if not here or start != first:  # a file of one chunk is checked here, without starting any worker
                chunk.known = self._known(rows, session=session, here=here)
            ahead.append(chunk)
            start += len(rows)
            self._send(ahead)
            if len(ahead) > reach:
                head = ahead.popleft()
                yield head.rows, self._ready(head, ahead)
                self._send(ahead)
        while ahead:
            head = ahead.popleft()
            yield head.rows, self._ready(head, ahead)
            self._send(ahead)

    def close(self) -> None:
        """Stop the workers, dropping what is queued (a cancelled or failed run wants none of it)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "Checker":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _ready_to_check() -> None:
    """Nothing: a worker that ran it has imported what checking rows needs."""
