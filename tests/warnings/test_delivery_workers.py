"""Several workers share the deliveries, and a worker killed mid-batch loses nothing and sends nothing
twice: a real subprocess is killed with SIGKILL while it sends to a loopback SMS gateway."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from tests.channels.servers import LoopbackHttp
from tests.warnings.fresh import fresh_database, published_with_deliveries
from yingji.channels.sms import SmsGateway
from yingji.warnings.models import Delivery, DeliveryAttempt
from yingji.warnings.service import delivery

WORKER = """
import sys
from yingji.bootstrap import load_models
from yingji.channels.sms import SmsGateway
from yingji.core.db import Database
from yingji.warnings.service import delivery
load_models()
url, gateway = sys.argv[1], sys.argv[2]
delivery.run(Database.from_url(url), channels={"sms": SmsGateway(url=gateway)}, worker="doomed", batch=25, lease_s=2)
"""


def _slow_gateway(delay_s: float) -> LoopbackHttp:
    def respond(rec):
        time.sleep(delay_s)
        return 200, {"id": "ok"}

    return LoopbackHttp(respond).start()


def _summary(database, warning_id):
    with database.transaction() as db:
        statuses = Counter(db.scalars(select(Delivery.status).where(Delivery.warning_id == warning_id)))
        ok_attempts = Counter(db.scalars(select(DeliveryAttempt.delivery_id).where(DeliveryAttempt.ok.is_(True))))
        total_attempts = db.scalar(select(func.count()).select_from(DeliveryAttempt))
    return statuses, ok_attempts, total_attempts


def test_killed_worker_loses_nothing_and_sends_nothing_twice(tmp_path: Path):
    n = 120
    gw = _slow_gateway(0.01)
    try:
        with fresh_database(tmp_path) as (url, database):
            wid = published_with_deliveries(database, n)
            env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
            proc = subprocess.Popen([sys.executable, "-c", WORKER, url, gw.url + "/sms"], env=env)
            try:
                deadline = time.monotonic() + 60
                while len(gw.requests) < 30:  # killed mid-batch: some sent, a batch leased and unfinished
                    assert time.monotonic() < deadline, "worker did not start sending"
                    assert proc.poll() is None, "worker ended before it was killed"
                    time.sleep(0.005)
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(10)
            finally:
                if proc.poll() is None:
                    proc.kill()
            before_kill = len(gw.requests)
            statuses, _ok, _ = _summary(database, wid)
            assert statuses["sending"] > 0 and statuses["sent"] < n  # the dead worker left leased rows
            time.sleep(2.2)  # its lease (2 s) runs out
            delivery.run(database, channels={"sms": SmsGateway(url=gw.url + "/sms")}, worker="survivor", lease_s=2)
            statuses, ok_attempts, _ = _summary(database, wid)
            assert statuses == Counter({"sent": n})
            assert all(c == 1 for c in ok_attempts.values()) and len(ok_attempts) == n
            keys = Counter(r.headers["idempotency-key"] for r in gw.requests)
            assert len(keys) == n  # every recipient reached
            repeated = [k for k, c in keys.items() if c > 1]
            # At most the one message in flight when the worker died is repeated, with the same key.
            assert len(repeated) <= 1, repeated
            assert len(gw.requests) <= n + 1 and before_kill >= 30
    finally:
        gw.stop()


def test_several_workers_share_the_work_without_overlap(tmp_path: Path):
    n = 200
    gw = _slow_gateway(0.002)
    try:
        with fresh_database(tmp_path) as (_url, database):
            wid = published_with_deliveries(database, n)
            sms = SmsGateway(url=gw.url + "/sms")
            counts: dict[str, int] = {}

            def work(name: str) -> None:
                counts[name] = delivery.run(database, channels={"sms": sms}, worker=name, batch=10)

            threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
            statuses, ok_attempts, total = _summary(database, wid)
            assert statuses == Counter({"sent": n})
            assert total == n and len(ok_attempts) == n
            keys = Counter(r.headers["idempotency-key"] for r in gw.requests)
            assert len(keys) == n and max(keys.values()) == 1
            assert sum(counts.values()) == n
            if database.dialect == "postgresql":
                assert sum(1 for c in counts.values() if c > 0) >= 2  # SKIP LOCKED: the work is shared
    finally:
        gw.stop()
