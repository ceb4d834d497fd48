"""The running coverage figures the dashboard reads (``tally``) stay exactly what the delivery rows say
while deliveries are sent, retried, fail, fall back to another channel, go stale, or arrive late; and a
large warning's rows, written by the worker in chunks, are counted as "being written", never as fewer
targets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.warnings.helpers import NOW, SPEAKER_CIRCLE, published
from yingji.channels.base import DeliveryResult
from yingji.channels.fake import FakeChannel
from yingji.core.clock import utcnow
from yingji.warnings.models import Delivery
from yingji.warnings.service import delivery, tally
from yingji.warnings.settings import settings

ALL = ("sms", "email", "webhook", "loudspeaker")


def _exact(db, wid: int) -> dict:
    """The stored figures equal the figures counted from the rows, and each channel adds up."""
    db.expire_all()
    stored, counted = tally.counters(db, wid), tally.from_rows(db, wid)
    assert stored == counted
    for name, c in stored["by_channel"].items():
        assert c["sent"] + c["failed"] + c["pending"] == c["targeted"], name
    return stored


def _district(api) -> dict:
    return api("duty").get("/api/v1/warnings/coverage/district", params={"year": 2026}).json()


def _due_now(db, wid: int) -> None:
    db.execute(
        update(Delivery).where(Delivery.warning_id == wid, Delivery.status == "pending").values(available_at=NOW)
    )


def test_figures_stay_exact_as_deliveries_change(api, page_client, db, database, fixed_clock):
    before = _district(api)
    w = published(api, area=SPEAKER_CIRCLE)
    wid = w["id"]
    rows = list(db.scalars(select(Delivery).where(Delivery.warning_id == wid).order_by(Delivery.id)))
    n = len({r.recipient_ref for r in rows})
    fig = _exact(db, wid)
    assert fig["recipients"] == n and fig["reached"] == 0
    assert all(c["pending"] == c["targeted"] for c in fig["by_channel"].values())

    # One phone never answers; the loudspeakers fail for good and fall back to SMS.
    phones = [r.address for r in rows if r.channel == "sms"]
    dead = phones[0]
    chans = {c: FakeChannel(c) for c in ALL}
    chans["sms"] = FakeChannel("sms", fail_addresses={dead})
    chans["loudspeaker"] = FakeChannel("loudspeaker", fail_all=True)
    delivery.run(database, channels=chans, warning_id=wid, batch=5, max_batches=2)  # part of the way
    _exact(db, wid)
    for _ in range(settings().delivery_max_attempts + 2):
        fixed_clock(utcnow() + timedelta(seconds=1))
        _due_now(db, wid)
        delivery.run(database, channels=chans, warning_id=wid, lease_s=0)
    fig = _exact(db, wid)
    speakers = sum(r.channel == "loudspeaker" for r in rows)
    assert fig["by_channel"]["loudspeaker"]["failed"] == speakers
    assert fig["by_channel"]["sms"]["fallback"] == speakers  # each loudspeaker's SMS behind it
    # Everyone but the dead phone's recipient was reached (the loudspeakers through their SMS).
    assert fig["reached"] == n - 1 and fig["recipients"] == n
    after = _district(api)
    assert after["targeted"] - before["targeted"] == n
    assert after["reached"] - before["reached"] == n - 1
    assert after["expanding"] == 0
    card = page_client("duty").get("/warnings/card")
    assert card.status_code == 200 and f"送达 {n - 1} / {n}" in card.text  # below target: listed on its own

    # A gateway's late "delivered" for a loudspeaker already reached by SMS: the row counts as sent, the
    # recipient is not counted twice.
    speaker = next(r for r in rows if r.channel == "loudspeaker")
    late = delivery.record_one(database, speaker.id, worker="late", result=DeliveryResult(ok=True, receipt="late-ok"),
                            started=utcnow(), duration_ms=1, stale=False)
    assert late == "sent"
    fig = _exact(db, wid)
    assert fig["reached"] == n - 1 and fig["by_channel"]["loudspeaker"]["sent"] == 1


def test_rows_of_a_superseded_warning_count_as_failed(api, db, database, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE)
    leader = api("leader")
    cancel = api("duty").post(f"/api/v1/warnings/{w['id']}/cancel", json={"note": "解除"})
    assert cancel.status_code in (200, 201), cancel.text
    cid = cancel.json()["id"]
    assert api("duty").post(f"/api/v1/warnings/{cid}/submit").status_code == 200
    assert leader.post(f"/api/v1/warnings/{cid}/approve", json={"note": "同意"}).status_code == 200
    assert leader.post(f"/api/v1/warnings/{cid}/publish", json={"confirm_unreached": True}).status_code == 200
    delivery.run(database, channels={c: FakeChannel(c) for c in ALL}, warning_id=w["id"])
    fig = _exact(db, w["id"])
    assert fig["reached"] == 0
    assert all(c["failed"] == c["targeted"] for c in fig["by_channel"].values())


def test_a_large_warning_is_written_in_chunks_and_says_so_meanwhile(api, page_client, db, database, fixed_clock,
                                                                     monkeypatch):
    monkeypatch.setattr(delivery, "CHUNK", 10)
    before = _district(api)
    w = published(api, area=SPEAKER_CIRCLE, rows=False)
    wid = w["id"]
    total = api("duty").get(f"/api/v1/warnings/{wid}/recipients").json()["total"]
    assert total > 30
    # Published: the worker has not searched the recipients yet; nothing is written, and the card and the
    # warning's page say the list is being made.
    fig = _exact(db, wid)
    assert fig["recipients"] == 0
    cov = api("duty").get(f"/api/v1/warnings/{wid}/coverage").json()
    assert cov["expanding"] is True and cov["searching"] is True and cov["expected"] == 0
    assert _district(api)["expanding"] == 1
    assert "正在生成投递名单" in page_client("duty").get("/warnings/card").text
    assert "正在查找接收对象" in page_client("duty").get(f"/warnings/{wid}").text

    # The worker dies at its third chunk: what it wrote stays counted exactly, still "being written",
    # with every recipient it found as a target.
    real, calls = delivery._insert_rows, []

    def dies(db, **kw):
        calls.append(1)
        if len(calls) > 2:
            raise RuntimeError("worker killed")
        return real(db, **kw)

    monkeypatch.setattr(delivery, "_insert_rows", dies)
    with pytest.raises(RuntimeError):
        delivery.expand(database, wid)
    assert _exact(db, wid)["recipients"] == 20
    cov = api("duty").get(f"/api/v1/warnings/{wid}/coverage").json()
    assert cov["expanding"] is True and cov["searching"] is False
    assert cov["expected"] == cov["targeted"] == total and cov["written"] == 20
    district = _district(api)
    assert district["expanding"] == 1 and district["targeted"] - before["targeted"] == total
    page = page_client("duty").get(f"/warnings/{wid}").text
    assert "正在生成投递名单" in page and f'已生成 <span data-stat="written">20</span> / {total}' in page

    # Another run (the outbox retries the command) writes the rest once; the chunks written before add
    # nothing.
    monkeypatch.setattr(delivery, "_insert_rows", real)
    assert delivery.expand(database, wid) == total - 20
    fig = _exact(db, wid)
    assert fig["recipients"] == total
    rows = db.scalars(select(Delivery).where(Delivery.warning_id == wid)).all()
    assert len(rows) == len({(r.channel, r.address) for r in rows}) == total
    district = _district(api)
    assert district["expanding"] == 0 and district["targeted"] - before["targeted"] == total
    assert delivery.expand(database, wid) == 0
    assert "正在生成投递名单" not in page_client("duty").get(f"/warnings/{wid}").text
