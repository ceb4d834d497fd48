"""Background loops run inside ``yingji serve`` (unless ``--no-workers``) or by ``yingji worker``:
the outbox deliverer and the job scheduler. Each loop sleeps briefly when idle and stops on request."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from yingji.core import jobs, outbox
from yingji.core.db import Database

log = logging.getLogger(__name__)


class BackgroundWorkers:
    def __init__(self, database: Database, *, outbox_workers: int = 1, idle_s: float = 1.0,
                 loops: Sequence[tuple[str, Callable[[], int]]] = ()) -> None:
        self.database = database
        # More loops given by the composition root (``yingji worker``: warning delivery), each in a thread
        # of its own: ``(name, step)``, ``step()`` returning how much it did (0: idle, wait a little).
        self.loops = list(loops)
        self.outbox_workers = outbox_workers
        self.idle_s = idle_s
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _outbox_loop(self, n: int) -> None:
        name = f"{outbox.worker_name()}:{n}"
        while not self._stop.is_set():
            try:
                handled = outbox.run_once(self.database, worker=name)
            except Exception:  # a broken connection must not kill the loop: log, wait, try again
                log.exception("outbox loop error")
                handled = 0
            if handled == 0:
                self._stop.wait(self.idle_s)

    def _loop(self, step: Callable[[], int]) -> None:
        while not self._stop.is_set():
            try:
                done = step()
            except Exception:
                log.exception("background loop error")
                done = 0
            if done == 0:
                self._stop.wait(self.idle_s)

    def _scheduler_loop(self) -> None:
        while not self._stop.is_set():
            try:
                jobs.run_due(self.database)
            except Exception:
                log.exception("scheduler loop error")
            self._stop.wait(max(self.idle_s, 5.0))

    def start(self) -> None:
        for n in range(self.outbox_workers):
            self._threads.append(threading.Thread(target=self._outbox_loop, args=(n,), daemon=True, name=f"outbox-{n}"))
        for name, step in self.loops:
            self._threads.append(threading.Thread(target=self._loop, args=(step,), daemon=True, name=name))
        self._threads.append(threading.Thread(target=self._scheduler_loop, daemon=True, name="scheduler"))
        for t in self._threads:
            t.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout)
