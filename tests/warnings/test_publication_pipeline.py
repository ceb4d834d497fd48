"""From publication to the first SMS: the publishing request does not search the recipients (the worker
searches them once), and the worker sends each chunk of delivery rows as soon as it is committed, before
the next chunk is written, with nothing lost or sent twice when it dies midway and runs again."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.warnings.helpers import SPEAKER_CIRCLE, body, published
from yingji.bootstrap import bootstrap
from yingji.channels.fake import FakeChannel
from yingji.core import outbox
from yingji.core.clock import utcnow
from yingji.warnings.models import Delivery, DeliveryAttempt
from yingji.warnings.service import delivery, recipients, tally
from yingji.warnings.settings import settings

ALL = ("sms", "email", "webhook", "loudspeaker")


def _signed(api, **overrides) -> int:
    duty, leader = api("duty"), api("leader")
    wid = duty.post("/api/v1/warnings", json=body(**overrides)).json()["id"]
    assert duty.post(f"/api/v1/warnings/{wid}/submit").status_code == 200
    assert leader.post(f"/api/v1/warnings/{wid}/approve", json={"note": "同意"}).status_code == 200
    return wid


def _count_subscriber_searches(monkeypatch) -> list[int]:
    """How many subscribers each search found: the list search (``subscribed``, the request's) or the
    worker's streamed one (``subscribed_chunks``, after its counting pass)."""
    searches: list[int] = []
    real, real_chunks = recipients.subscribed, recipients.subscribed_chunks

    def counted(**kw):
        found = real(**kw)
        searches.append(len(found))
        return found

    def counted_chunks(**kw):
        n = 0
        for part in real_chunks(**kw):
            n += len(part)
            yield part
        searches.append(n)

    monkeypatch.setattr(recipients, "subscribed", counted)
    monkeypatch.setattr(recipients, "subscribed_chunks", counted_chunks)
    return searches


def test_the_recipients_are_searched_once_by_the_worker_not_by_the_request(api, db, database, fixed_clock,
                                                                            monkeypatch):
    chans = {n: FakeChannel(n) for n in ALL}
    bootstrap(channels=chans)
    try:
        wid = _signed(api, area=SPEAKER_CIRCLE)
        searches = _count_subscriber_searches(monkeypatch)
        # Every channel configured: no confirmation needed, and the request searches no subscriber.
        r = api("leader").post(f"/api/v1/warnings/{wid}/publish")
        assert r.status_code == 200, r.text
        assert searches == []
        assert db.scalar(select(func.count()).where(Delivery.warning_id == wid)) == 0
        # The worker (the outbox command) searches them once, writes every row and sends.
        outbox.drain(database, topics=["warnings.published"])
    finally:
        bootstrap(channels={})
    assert len(searches) == 1 and searches[0] > 0
    rows = list(db.scalars(select(Delivery).where(Delivery.warning_id == wid)))
    assert sum(r.recipient_kind == "subscriber" for r in rows) == searches[0]
    fig = tally.counters(db, wid)
    cov = api("duty").get(f"/api/v1/warnings/{wid}/coverage").json()
    assert cov["expanding"] is False and cov["expected"] == len(rows) == fig["recipients"]
    assert all(r.status == "sent" for r in rows)  # with every channel a fake, all of them left
    for name, c in fig["by_channel"].items():
        assert c["sent"] + c["failed"] + c["pending"] == c["targeted"], name


def test_without_sms_the_request_counts_the_subscribers_it_cannot_reach(api, fixed_clock, monkeypatch):
    bootstrap(channels={n: FakeChannel(n) for n in ALL if n != "sms"})
    try:
        wid = _signed(api, area=SPEAKER_CIRCLE)
        searches = _count_subscriber_searches(monkeypatch)
        r = api("leader").post(f"/api/v1/warnings/{wid}/publish")
    finally:
        bootstrap(channels={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "unreached_recipients"
    assert len(searches) == 1 and searches[0] > 0
    # Every subscriber is counted among those the missing SMS channel leaves unreached.
    unreached = r.json()["error"]["details"][0]["message"]
    assert unreached.startswith("短信渠道未配置")
    assert int(unreached.split("：")[1].split(" ")[0]) >= searches[0]


class Killed(BaseException):
    """The worker process dies (not an error a channel adapter returns)."""


def test_sending_starts_after_the_first_chunk_and_survives_a_restart(api, db, database, fixed_clock, monkeypatch):
    monkeypatch.setattr(delivery, "CHUNK", 10)
    # Time enough between chunks to send a whole chunk however slow the machine (sending stops earlier
    # when nothing is due).
    monkeypatch.setattr(delivery, "SEND_BETWEEN_CHUNKS_S", 30)
    w = published(api, area=SPEAKER_CIRCLE, rows=False)
    wid = w["id"]
    total = api("duty").get(f"/api/v1/warnings/{wid}/recipients").json()["total"]
    assert total > 40  # five chunks or more

    chans = {n: FakeChannel(n) for n in ALL}

    def gateway_count() -> int:
        return sum(len(c.sent) for c in chans.values())

    # How many messages had left when each chunk was written.
    sent_at_chunk: list[int] = []
    real_insert = delivery._insert_rows

    def recording(db, **kw):
        sent_at_chunk.append(gateway_count())
        return real_insert(db, **kw)

    monkeypatch.setattr(delivery, "_insert_rows", recording)

    # The worker dies in the middle of sending the second chunk (at its 15th message, before the gateway
    # gets it): the rows of its batch stay leased to it.
    real_sends = {n: c.send for n, c in chans.items()}

    def dies_at_15(real):
        def send(*, to, message):
            if gateway_count() == 14:
                raise Killed()
            return real(to=to, message=message)

        return send

    for n, c in chans.items():
        monkeypatch.setattr(c, "send", dies_at_15(real_sends[n]))
    with pytest.raises(Killed):
        delivery.expand(database, wid, send=True, channels=chans)
    # The first chunk was sent whole before the second was written; the third was never written.
    assert sent_at_chunk == [0, 10]
    assert gateway_count() == 14
    assert db.scalar(select(func.count()).where(Delivery.warning_id == wid)) == 20

    # The outbox runs the command again once the dead worker's leases ran out.
    for n, c in chans.items():
        monkeypatch.setattr(c, "send", real_sends[n])
    fixed_clock(utcnow() + timedelta(seconds=settings().delivery_lease_s + 1))
    sent_at_chunk.clear()
    delivery.expand(database, wid, send=True, channels=chans)
    # Each chunk after the first left before the next one was written.
    assert len(sent_at_chunk) == -(-total // 10)
    assert all(later > earlier for earlier, later in zip(sent_at_chunk[2:], sent_at_chunk[3:], strict=False))
    delivery.run(database, channels=chans, warning_id=wid)

    db.expire_all()
    rows = list(db.scalars(select(Delivery).where(Delivery.warning_id == wid)))
    assert len(rows) == total and all(r.status == "sent" for r in rows)
    # Every recipient got the message exactly once, each row one recorded attempt.
    addresses = [to.address for c in chans.values() for to, _m in c.sent]
    assert sorted(addresses) == sorted(r.address for r in rows)
    attempts = db.scalar(
        select(func.count()).select_from(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_([r.id for r in rows]))
    )
    assert attempts == total
    stored, counted = tally.counters(db, wid), tally.from_rows(db, wid)
    assert stored == counted and stored["reached"] == total


class SlowChannel(FakeChannel):
    def send(self, *, to, message):
        time.sleep(0.05)
        return super().send(to=to, message=message)


def test_sending_stops_on_time_and_hands_back_what_it_claimed(api, db, database, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE)
    chans = {n: SlowChannel(n) for n in ALL}
    handled = delivery.run(database, channels=chans, warning_id=w["id"], batch=20, max_seconds=0.2)
    assert 1 <= handled < 20
    db.expire_all()
    rows = list(db.scalars(select(Delivery).where(Delivery.warning_id == w["id"])))
    assert sum(r.status == "sent" for r in rows) == handled
    # The rest of the batch is due again at once, not leased to a worker that stopped sending.
    assert all(r.status == "pending" and r.locked_by is None for r in rows if r.status != "sent")
    assert delivery.run(database, channels=chans, warning_id=w["id"]) == len(rows) - handled
