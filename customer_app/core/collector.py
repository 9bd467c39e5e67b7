"""Long batch work with Python's garbage collector scanning less, and the server's settings put back afterwards."""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_EVERY = 10_000  # allocations between collections of young objects during batch work (Python's default: 700)
_lock = threading.Lock()
_running = {"blocks": 0, "saved": gc.get_threshold()}  # blocks under way; the thresholds before the first


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Set aside every object alive now (gc.freeze) and collect young objects less often until the block ends.

    An import keeps a chunk's rows alive across many young collections, so they reach the oldest generation and
    trigger full collections, each scanning the whole process (the web server's is large). Measured on a 100,000-row
    preview: 3.6 s of its 12 s went to collecting; 0.7 s with this. Blocks may overlap (two jobs): the last one to
    end unfreezes and restores the thresholds.
    """
    with _lock:
        if _running["blocks"] == 0:
            _running["saved"] = saved = gc.get_threshold()
            gc.set_threshold(YOUNG_EVERY, *saved[1:])
        _running["blocks"] += 1
        gc.freeze()
    try:
        yield
    finally:
        with _lock:
            _running["blocks"] -= 1
            if _running["blocks"] == 0:
                gc.unfreeze()
                gc.set_threshold(*_running["saved"])
