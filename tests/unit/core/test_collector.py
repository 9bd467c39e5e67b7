"""Batch work changes the garbage collector's settings only while it runs, however blocks overlap or end."""

import gc

import pytest

from customer_app.core.collector import YOUNG_EVERY, fewer_collections


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
