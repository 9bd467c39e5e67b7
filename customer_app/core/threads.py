"""Blocking work run from the event loop in a thread pool of the caller's choosing."""

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def in_pool(pool: ThreadPoolExecutor, work: Callable[..., Any], *args: Any) -> asyncio.Future:
    """`work(*args)` in one of `pool`'s threads, seeing this task's context variables (as asyncio.to_thread does)."""
    in_context = functools.partial(contextvars.copy_context().run, work, *args)
    return asyncio.get_running_loop().run_in_executor(pool, in_context)
