"""core/workers.py: BackgroundWorkers really run their threads, deliver the outbox and stop when asked."""

from __future__ import annotations

import threading
import time
import uuid

from yingji.core import outbox
from yingji.core.db import Database
from yingji.core.workers import BackgroundWorkers

TOPIC = f"test.workers.{uuid.uuid4().hex[:8]}"
seen: list[tuple[str, dict]] = []
lock = threading.Lock()


@outbox.handler(TOPIC)
def _record(db, msg) -> None:
    with lock:
        seen.append((threading.current_thread().name, dict(msg.payload)))


def test_threads_deliver_the_outbox_and_stop(demo_templates) -> None:
    database = Database.from_url(demo_templates.copy("workers"))
    with database.transaction() as db:
        ids = [outbox.enqueue(db, topic=TOPIC, payload={"n": n}).id for n in range(3)]
    workers = BackgroundWorkers(database, outbox_workers=2, idle_s=0.1)
    workers.start()
    try:
        names = {t.name for t in threading.enumerate()}
        assert {"outbox-0", "outbox-1", "scheduler"} <= names
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with lock:
                if len(seen) == 3:
                    break
            time.sleep(0.1)
    finally:
        started = time.monotonic()
        workers.stop(timeout=10)
        took = time.monotonic() - started
    assert sorted(p["n"] for _, p in seen) == [0, 1, 2]
    assert {name for name, _ in seen} <= {"outbox-0", "outbox-1"}
    with database.transaction() as db:
        assert [db.get(outbox.OutboxMessage, i).status for i in ids] == ["done"] * 3
    assert not [t for t in workers._threads if t.is_alive()] and took < 10
    database.bind.dispose()
