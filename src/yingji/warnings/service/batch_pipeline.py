"""Recording a batch while the next one is claimed.

A worker handing batches to a gateway waited for three things in turn: the claim of the next rows, the
gateway, the record of the answers. On PostgreSQL the claim and the record are each the server's work
(row locks, index entries) on a connection of their own: ``Recorder`` records a batch in a thread of its
own while the caller claims the next rows, and the server does both at once.

The next batch goes to the gateway only once the record before it has committed (``wait``): a worker
killed at any moment has at most one batch sent and not recorded, the one in flight, which alone is sent
again, with the same keys, when its lease runs out. Rows claimed meanwhile and never sent are handed
over once, after their lease. A record that fails (the database gone) is raised to the caller at the
next ``wait`` or at ``close``: its rows stay leased and go again after the lease, never lost.

SQLite has one writer at a time: the claim would only wait for the record, so there the batches are
recorded in turn (``overlap=False``), as they are on a ``Database`` bound to one connection (tests, the
demo seed), which cannot serve two threads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy.engine import Engine

from yingji.core.db import Database
from yingji.warnings.service.batch_sending import record_batch
from yingji.warnings.service.held_batches import Held


def can_overlap(database: Database) -> bool:
    return database.dialect == "postgresql" and isinstance(database.bind, Engine)


class Recorder:
    """``submit`` the gateway's answers of a batch; ``wait`` before sending the next; ``close`` waits for
    the last record. A context manager."""

    def __init__(self, database: Database, *, worker: str, overlap: bool) -> None:
        self.database, self.worker = database, worker
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="delivery-record") if overlap else None
        self._last: Future[Counter[str]] | None = None

    def submit(self, rows: list[Any], results: list[Any], *, started: Any, duration_ms: int) -> None:
        self._run(record_batch, self.database, rows, results, worker=self.worker, started=started,
                  duration_ms=duration_ms)

    def submit_held(self, held: Held, results: list[Any], *, started: Any, duration_ms: int) -> None:
        """The answers of a batch held by its transaction (``held_batches``), recorded and committed."""
        self._run(held.record, results, worker=self.worker, started=started, duration_ms=duration_ms)

    def _run(self, record: Callable[..., Counter[str]], *args: Any, **kw: Any) -> None:
        self.wait()  # one record at a time, in order
        if self._pool is None:
            record(*args, **kw)
            return
        self._last = self._pool.submit(record, *args, **kw)

    def wait(self) -> None:
        last, self._last = self._last, None
        if last is not None:
            last.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
