"""Batch delivery: a channel taking many recipients per request gets batches of its own limit, each
batch recorded in one transaction with, per recipient, what the gateway said; a worker killed mid-batch
loses nothing and re-sends at most that batch, with the same keys (a real subprocess, SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import event, func, select

from tests.channels.servers import BatchGateway
from tests.warnings.fresh import fresh_database, published_with_deliveries
from yingji.channels.fake import FakeChannel
from yingji.channels.sms import SmsGateway
from yingji.warnings.models import Delivery, DeliveryAttempt
from yingji.warnings.service import delivery, tally

WORKER = """
import sys
from yingji.bootstrap import load_models
from yingji.channels.sms import SmsGateway
from yingji.core.db import Database
from yingji.warnings.service import delivery
load_models()
url, gateway = sys.argv[1], sys.argv[2]
delivery.run(Database.from_url(url), channels={"sms": SmsGateway(url=gateway, batch=25)}, worker="doomed",
             lease_s=2)
"""


def _rows(database, wid):
    with database.transaction() as db:
        return {d.address: (d.status, d.attempts, d.last_error, d.receipt)
                for d in db.scalars(select(Delivery).where(Delivery.warning_id == wid))}


def test_batches_follow_the_channels_limit_one_transaction_each(tmp_path: Path):
    with fresh_database(tmp_path) as (_url, database):
        wid = published_with_deliveries(database, 23)
        sms = FakeChannel("sms", batch=10)
        commits: list[int] = []
        event.listen(database.bind, "commit", lambda conn: commits.append(1))
        assert delivery.run(database, channels={"sms": sms}, warning_id=wid) == 23
        # 23 rows, at most 10 per request: 10, 10, 3.
        assert sms.batches == [10, 10, 3]
        if database.dialect == "postgresql":
            # One read of the warning, three batches each held and recorded in one transaction; then the
            # held and the leased paths find nothing above their last batch, and again from the first id.
            assert len(commits) == 1 + 3 + 2 + 2
        else:
            # One claim, one read of the warning, three batches recorded (one transaction each), one claim
            # that finds nothing.
            assert len(commits) == 1 + 1 + 3 + 1
        rows = _rows(database, wid)
        assert all(s == "sent" and a == 1 for s, a, _e, _r in rows.values())
        with database.transaction() as db:
            assert db.scalar(select(func.count()).select_from(DeliveryAttempt)) == 23
            assert tally.counters(db, wid) == tally.from_rows(db, wid)
            assert tally.counters(db, wid)["reached"] == 23


def test_a_batch_refused_part_way_records_what_the_gateway_said_of_each(tmp_path: Path):
    bad, busy = "13800000003", "13800000007"
    gw = BatchGateway(refuse={bad: ("isv.MOBILE_NUMBER_ILLEGAL", "号码格式错误", True),
                              busy: ("isv.BUSINESS_LIMIT_CONTROL", "触发流控", False)}).start()
    try:
        with fresh_database(tmp_path) as (_url, database):
            wid = published_with_deliveries(database, 12)
            sms = SmsGateway(url=gw.url, batch=5)
            delivery.run(database, channels={"sms": sms}, warning_id=wid)
            assert [len(b) for b in gw.batches] == [5, 5, 2]
            rows = _rows(database, wid)
            status, attempts, error, _ = rows[bad]
            assert (status, attempts) == ("failed", 1)  # permanent: no retry
            assert error == "网关拒绝：代码 isv.MOBILE_NUMBER_ILLEGAL: 号码格式错误"
            status, attempts, error, _ = rows[busy]
            assert (status, attempts) == ("pending", 1)  # retried later
            assert error == "网关拒绝：代码 isv.BUSINESS_LIMIT_CONTROL: 触发流控"
            sent = {a: r for a, (s, _n, _e, r) in rows.items() if s == "sent"}
            assert len(sent) == 10
            # Each receipt is the gateway's answer for that very message (batch 1, the row's own key).
            first_ids = {m["to"]: m["id"] for m in gw.batches[0]}
            assert sent["13800000000"] == f"b1-{first_ids['13800000000']}"
            with database.transaction() as db:
                fig = tally.counters(db, wid)
                assert fig == tally.from_rows(db, wid)
                assert fig["by_channel"]["sms"] == {"targeted": 12, "fallback": 0, "sent": 10, "failed": 1,
                                                    "pending": 1}
    finally:
        gw.stop()


def test_a_worker_killed_mid_batch_resends_only_that_batch_with_the_same_keys(tmp_path: Path):
    n = 120
    held = threading.Event()

    def hold(k: int, items) -> None:
        if k == 3:  # the third batch reaches the gateway; the worker dies before the answer
            held.set()
            time.sleep(3)

    gw = BatchGateway(hold=hold).start()
    try:
        with fresh_database(tmp_path) as (url, database):
            wid = published_with_deliveries(database, n)
            env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
            proc = subprocess.Popen([sys.executable, "-c", WORKER, url, gw.url], env=env)
            try:
                assert held.wait(60), "the worker did not reach its third batch"
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(10)
            finally:
                if proc.poll() is None:
                    proc.kill()
            statuses = Counter(s for s, *_ in _rows(database, wid).values())
            if database.dialect == "postgresql":
                # Each batch of 25 held by its transaction: two recorded, the third's rolled back by the
                # server when the connection dropped, nothing leased.
                assert statuses == Counter({"sent": 50, "pending": 70})
                _wait_unlocked(database, wid)
            else:
                # Claims of 50 (two batches of 25): two batches recorded, the second claim's two leased
                # (the one in flight and the one after it), the last 20 rows not claimed yet.
                assert statuses == Counter({"sent": 50, "sending": 50, "pending": 20})
                time.sleep(2.2)  # the dead worker's lease (2 s) runs out
            in_flight = {m["id"] for m in gw.batches[2]}
            delivery.run(database, channels={"sms": SmsGateway(url=gw.url, batch=25)}, worker="survivor",
                         lease_s=2)
            rows = _rows(database, wid)
            assert all(s == "sent" and a == 1 for s, a, _e, _r in rows.values()) and len(rows) == n
            with database.transaction() as db:
                ok = Counter(db.scalars(select(DeliveryAttempt.delivery_id).where(DeliveryAttempt.ok.is_(True))))
                assert len(ok) == n and set(ok.values()) == {1}
                assert tally.counters(db, wid) == tally.from_rows(db, wid)
            keys = Counter(m["id"] for b in gw.batches for m in b)
            assert len(keys) == n  # every recipient reached
            repeated = {k for k, c in keys.items() if c > 1}
            # Only the batch in flight is sent again, with the same keys.
            assert repeated == in_flight and len(in_flight) == 25 and max(keys.values()) == 2
    finally:
        gw.stop()


def _wait_unlocked(database, wid: int) -> None:
    """Until the server has rolled back a killed worker's transaction (its rows' locks gone)."""
    deadline = time.monotonic() + 10
    while True:
        with database.transaction() as db:
            free = db.execute(select(func.count()).select_from(
                select(Delivery.id).where(Delivery.warning_id == wid).with_for_update(nowait=False, skip_locked=True)
                .subquery())).scalar()
            total = db.scalar(select(func.count()).select_from(Delivery).where(Delivery.warning_id == wid))
        if free == total:
            return
        assert time.monotonic() < deadline, "the dead worker's rows are still locked"
        time.sleep(0.05)


class _Checking(FakeChannel):
    """Asks the database, before each batch, how many rows are recorded as sent."""

    def __init__(self, database, wid: int, batch: int) -> None:
        super().__init__("sms", batch=batch)
        self.database, self.wid, self.seen_sent = database, wid, []

    def send_batch(self, *, to, messages):
        with self.database.transaction() as db:
            self.seen_sent.append(db.scalar(select(func.count()).select_from(Delivery).where(
                Delivery.warning_id == self.wid, Delivery.status == "sent")))
        return super().send_batch(to=to, messages=messages)


def _slow_record(monkeypatch, fail_at: int | None = None) -> list[int]:
    """Records each batch 0.2 s late (the thread that records would fall behind the sender if nothing made
    the sender wait), the ``fail_at``-th failing as if the database were gone."""
    from yingji.warnings.service import batch_pipeline, held_batches

    calls: list[int] = []
    real, real_held = batch_pipeline.record_batch, held_batches.Held.record

    def late(n: int) -> None:
        calls.append(n)
        time.sleep(0.2)
        if len(calls) == fail_at:
            raise ConnectionError("database gone")

    def slow(database, rows, results, **kw):  # leased rows (SQLite)
        late(len(rows))
        return real(database, rows, results, **kw)

    def slow_held(held, results, **kw):  # rows held by their transaction (PostgreSQL)
        try:
            late(len(held.rows))
        except ConnectionError:
            held.drop()  # as the server does when the connection is gone: rolled back
            raise
        return real_held(held, results, **kw)

    monkeypatch.setattr(batch_pipeline, "record_batch", slow)
    monkeypatch.setattr(held_batches.Held, "record", slow_held)
    return calls


def test_a_batch_goes_to_the_gateway_only_once_the_batch_before_is_recorded(tmp_path: Path, monkeypatch):
    with fresh_database(tmp_path) as (_url, database):
        wid = published_with_deliveries(database, 35)
        sms = _Checking(database, wid, batch=10)
        calls = _slow_record(monkeypatch)
        # Claims of 10 (the channel's limit): on PostgreSQL each batch is recorded while the next is claimed.
        assert delivery.run(database, channels={"sms": sms}, batch=1, warning_id=wid) == 35
        assert sms.batches == [10, 10, 10, 5] and calls == [10, 10, 10, 5]
        # At most one batch sent and not recorded at any moment: the one on the wire.
        assert sms.seen_sent == [0, 10, 20, 30]
        assert Counter(s for s, *_ in _rows(database, wid).values()) == Counter({"sent": 35})


def test_a_record_that_fails_stops_the_worker_and_only_its_batch_goes_again(tmp_path: Path, monkeypatch):
    with fresh_database(tmp_path) as (_url, database):
        wid = published_with_deliveries(database, 30)
        sms = FakeChannel("sms", batch=10)
        _slow_record(monkeypatch, fail_at=2)
        try:
            delivery.run(database, channels={"sms": sms}, batch=1, warning_id=wid, lease_s=1)
        except ConnectionError:
            pass
        else:
            raise AssertionError("the failed record was not raised")
        # The first batch recorded; the second sent, not recorded: on SQLite still leased until its lease
        # runs out, on PostgreSQL due again at once (its transaction rolled back); the third never sent
        # (on PostgreSQL held while the second was being recorded, and let go).
        statuses = Counter(s for s, *_ in _rows(database, wid).values())
        if database.dialect == "postgresql":
            assert statuses == Counter({"sent": 10, "pending": 20})
        else:
            assert statuses == Counter({"sent": 10, "sending": 10, "pending": 10})
        assert sms.batches == [10, 10]
        monkeypatch.undo()
        if database.dialect != "postgresql":
            time.sleep(1.2)  # the lease runs out
        assert delivery.run(database, channels={"sms": sms}, batch=1, warning_id=wid) == 20
        rows = _rows(database, wid)
        assert all(s == "sent" and a == 1 for s, a, _e, _r in rows.values()) and len(rows) == 30
        keys = Counter(m.key for _to, m in sms.sent)
        assert len(keys) == 30 and sorted(Counter(keys.values()).items()) == [(1, 20), (2, 10)]
        with database.transaction() as db:
            assert tally.counters(db, wid) == tally.from_rows(db, wid)
