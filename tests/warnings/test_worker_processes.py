"""``yingji worker`` processes deliver a warning's recipients between them: two real worker processes,
configured through the environment, against a loopback batch gateway; every row is sent once, by the
workers' delivery loops, and SIGTERM stops each within 10 s."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.channels.servers import BatchGateway
from tests.warnings.fresh import fresh_database, published_with_deliveries
from yingji.warnings.models import Delivery, DeliveryAttempt

pytestmark = pytest.mark.slow
YINGJI = str(Path(sys.executable).with_name("yingji"))
ROWS = 300


def test_two_worker_processes_deliver_every_row_once(tmp_path) -> None:
    # Each batch answered 0.1 s late, as a cloud's API some distance away: a gateway answering at once let
    # the every-10-s delivery job, when its turn came as the rows were written, send all 15 batches before
    # a delivery loop woke from its 1 s idle wait.
    gw = BatchGateway(hold=lambda _n, _items: time.sleep(0.1)).start()
    with fresh_database(tmp_path) as (url, database):
        env = {**os.environ, "YINGJI_DATABASE_URL": url, "YINGJI_DATA_DIR": str(tmp_path),
               "YINGJI_SECRET_KEY": "test", "YINGJI_CHANNEL_SMS_URL": gw.url, "YINGJI_CHANNEL_SMS_FORMAT": "json",
               "YINGJI_CHANNEL_SMS_BATCH": "20", "YINGJI_CHANNEL_SANDBOX": "off", "YINGJI_MQTT_URL": ""}
        logs = [tmp_path / f"worker-{k}.log" for k in range(2)]
        procs = [subprocess.Popen([YINGJI, "worker", "--outbox-workers", "1", "--delivery-loops", "2"], env=env,
                                  stdout=log.open("w"), stderr=subprocess.STDOUT) for log in logs]
        try:
            deadline = time.monotonic() + 90
            while not all("worker running" in log.read_text() for log in logs):
                assert time.monotonic() < deadline and all(p.poll() is None for p in procs), [
                    log.read_text()[-800:] for log in logs]
                time.sleep(0.2)
            wid = published_with_deliveries(database, ROWS)

            def sent() -> int:
                with database.transaction() as db:
                    return db.scalar(select(func.count()).select_from(Delivery).where(
                        Delivery.warning_id == wid, Delivery.status == "sent"))

            deadline = time.monotonic() + 60
            while sent() < ROWS:
                assert time.monotonic() < deadline, f"{sent()} of {ROWS} sent"
                time.sleep(0.2)
        finally:
            took = []
            for p in procs:
                t0 = time.monotonic()
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
                took.append(time.monotonic() - t0)
            gw.stop()
        with database.transaction() as db:
            workers = list(db.scalars(select(DeliveryAttempt.worker)))
    ids = Counter(m["id"] for batch in gw.batches for m in batch)
    assert len(ids) == ROWS and set(ids.values()) == {1}  # each recipient handed over once
    assert len(workers) == ROWS
    # Sent by the delivery loops (``host:pid:delivery-k``), not left to the every-10-s delivery job alone.
    assert any(":delivery-" in w for w in workers), Counter(workers)
    assert all(t < 10 for t in took), took
