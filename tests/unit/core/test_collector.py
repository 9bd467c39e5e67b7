"""Batch work changes the garbage collector's settings only while it runs, however blocks overlap or end; a settled
worker keeps what it held at its start set aside, and still frees the cycles serving leaves behind."""

import asyncio
import gc

import pytest

from customer_app.core import collector
from customer_app.core.collector import YOUNG_EVERY, fewer_collections


@pytest.fixture
def settled():
    """This process settled as a worker is once it has started; put back afterwards."""
    before = gc.get_threshold()
    asyncio.run(collector.settle_worker())
    yield
    gc.unfreeze()
    gc.set_threshold(*before)
    collector._running["settled"] = False


def test_settings_are_put_back_after_the_block_even_when_it_fails():
    before = gc.get_threshold()
    seen = []

    def failing_import() -> None:
        with fewer_collections():
            seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))
            raise RuntimeError("the import failed")

    with pytest.raises(RuntimeError):
        failing_import()
    assert seen == [(YOUNG_EVERY, True)]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_overlapping_blocks_restore_only_when_the_last_ends():
    before = gc.get_threshold()
    outer = fewer_collections()
    outer.__enter__()
    with fewer_collections():
        pass
    assert gc.get_threshold()[0] == YOUNG_EVERY  # the first job still runs
    outer.__exit__(None, None, None)
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, 0)


def test_garbage_made_during_the_block_is_still_collected():
    class Node:
        me: object = None

    with fewer_collections():
        node = Node()
        node.me = node  # a cycle only the collector can free
        del node
        assert gc.collect() >= 1


class _Node:
    me: object = None


def test_a_settled_worker_sets_aside_what_it_held_and_still_frees_new_cycles(settled):
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == YOUNG_EVERY
    node = _Node()
    node.me = node  # made while serving: a cycle only the collector can free
    del node
    assert gc.collect() >= 1


def test_batch_work_in_a_settled_worker_keeps_its_start_set_aside(settled):
    held = gc.get_freeze_count()
    with fewer_collections():
        assert gc.get_threshold()[0] == YOUNG_EVERY
    # Unfreezing would put the whole process back into every full collection, for good.
    assert gc.get_freeze_count() == held
    assert gc.get_threshold()[0] == YOUNG_EVERY
