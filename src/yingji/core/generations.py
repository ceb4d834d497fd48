"""The generations of ``map_layer_versions`` (``core.layercache``), read for many requests at once.

A page kept per viewer (the dashboard) needs nothing from the database but the generations: whether the
session, the user and what the page shows were written since it was kept. A hundred requests in flight
asking the same few dozen rows one query each made a hundred round trips and a hundred turns of the thread
pool; here they share one read.

A read answers only the requests that arrived before it began: a request that comes while a read is on
the way waits for the next one. So every answer was read after the request came, and a write committed
before the request (a logout, a role change, a new enterprise) is seen by it, in every process. Under
load a request waits at most two reads (one short query each); idle, one.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Mapping
from typing import Any

import anyio
import anyio.to_thread
from sqlalchemy import Connection, Engine, select

from yingji.core.layercache import LayerVersion

_ALL = select(LayerVersion.name, LayerVersion.version)
_SQL = "SELECT name, version FROM map_layer_versions"


class GenerationReader:
    """Reads every generation of one database, one read at a time shared by the requests waiting for it."""

    def __init__(self, bind: Engine | Connection) -> None:
        self._bind = bind
        self._raw: Any = None  # a connection of its own (an engine), kept between reads
        self._query_lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next: asyncio.Future[dict[str, int]] | None = None  # the read the newcomers wait for
        self._drain: asyncio.Task[None] | None = None
        self._limiter: anyio.CapacityLimiter | None = None
        self.reads = 0  # how many queries were made (tests read it)

    async def read(self) -> Mapping[str, int]:
        """The generations as committed when this call was made, or later."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a test's client may run each request in an event loop of its own
            self._loop, self._next, self._drain = loop, None, None
            # Its own thread: the shared pool may be full of slow pages, and this read is what the
            # fast ones wait for.
            self._limiter = anyio.CapacityLimiter(1)
        if self._next is None:
            self._next = loop.create_future()
        waiting = self._next
        if self._drain is None:
            self._drain = loop.create_task(self._read_while_asked())
        # shield: a request cancelled (its client gone) must not cancel the read the others wait for.
        return await asyncio.shield(waiting)

    async def _read_while_asked(self) -> None:
        try:
            while self._next is not None:
                batch, self._next = self._next, None  # who comes from now on waits for the next read
                try:
                    found = await anyio.to_thread.run_sync(self._query, limiter=self._limiter)
                except Exception as exc:  # handed to every waiter: each answers it its own way
                    batch.set_exception(exc)
                    batch.exception()  # marked retrieved: waiters that left would leave it unread
                except BaseException:  # the event loop is stopping
                    batch.cancel()
                    raise
                else:
                    batch.set_result(found)
        finally:
            self._drain = None

    def _query(self) -> dict[str, int]:
        with self._query_lock:
            self.reads += 1
            if isinstance(self._bind, Connection):  # a test's connection, inside its transaction
                return dict(self._bind.execute(_ALL).all())
            try:
                if self._raw is None:
                    self._raw = self._connect()
                cursor = self._raw.cursor()
                try:
                    cursor.execute(_SQL)
                    return dict(cursor.fetchall())
                finally:
                    cursor.close()
            except Exception:
                self._forget()
                raise

    def _connect(self) -> Any:
        # A pool connection kept for good, outside any transaction: each query is its own and sees every
        # commit made before it began (SQLite: no BEGIN is ever sent on it; PostgreSQL: autocommit).
        raw = self._bind.raw_connection()
        if self._bind.dialect.name == "postgresql":
            raw.rollback()  # nothing is open on a connection from the pool; autocommit cannot be set inside one
            raw.driver_connection.autocommit = True
        return raw

    def _forget(self) -> None:
        raw, self._raw = self._raw, None
        if raw is not None:
            # A broken connection is closed, not put back in the pool; already unusable, its failure to
            # close says nothing more (the next read opens another).
            with contextlib.suppress(Exception):
                raw.invalidate()

    def close(self) -> None:
        with self._query_lock:
            self._forget()

