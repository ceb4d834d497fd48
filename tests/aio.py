"""Running a coroutine from a test, whatever ran before it in the same process.

``asyncio.run`` refuses to start when the thread already has a running event loop, and one may be left
running by an earlier test of the process (the browser tests' Playwright runs its own in the test's
thread). The coroutine runs in a thread of its own, on a new loop."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
