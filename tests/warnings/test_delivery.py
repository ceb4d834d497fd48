"""Delivery that loses nothing: rows written at publication, retries with backoff, every attempt and
receipt recorded, fallback to another channel, and no double sending."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.warnings.helpers import NOW, SPEAKER_CIRCLE, published
from yingji.channels.base import DeliveryResult
from yingji.channels.fake import FakeChannel
from yingji.core.outbox import OutboxMessage
from yingji.warnings.models import Delivery, DeliveryAttempt
from yingji.warnings.service import delivery


def fakes(**kw) -> dict[str, FakeChannel]:
    return {name: kw.get(name) or FakeChannel(name) for name in ("sms", "email", "webhook", "loudspeaker")}


def _rows(db, warning_id):
    return list(db.scalars(select(Delivery).where(Delivery.warning_id == warning_id).order_by(Delivery.id)))


def test_publication_writes_one_row_per_recipient_and_channel(api, db, database, fixed_clock, monkeypatch):
    monkeypatch.setattr(delivery, "CHUNK", 500)
    duty = api("duty")
    w = published(api, rows=False)
    summary = duty.get(f"/api/v1/warnings/{w['id']}/recipients").json()
    assert summary["total"] > delivery.CHUNK  # this area needs more than one chunk
    # Publication writes the command only; its worker finds the recipients and writes their rows.
    assert _rows(db, w["id"]) == []
    wake = db.scalar(select(OutboxMessage).where(OutboxMessage.key == f"warnings.published:{w['id']}"))
    assert wake is not None and wake.payload == {"warning_id": w["id"]}
    assert delivery.expand(database, w["id"]) == summary["total"]
    rows = _rows(db, w["id"])
    assert len(rows) == summary["total"]
    assert len({(r.channel, r.address) for r in rows}) == len(rows)
    assert {r.channel for r in rows} >= {"sms", "loudspeaker"}
    assert all(r.status == "pending" for r in rows)
    assert delivery.expand(database, w["id"]) == 0  # expanded: a second run writes nothing


def test_workers_send_everything_with_receipts(api, db, database, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE)
    chans = fakes()
    n = delivery.run(database, channels=chans, warning_id=w["id"])
    db.expire_all()
    rows = _rows(db, w["id"])
    assert n == len(rows)
    assert all(r.status == "sent" and r.receipt and r.sent_at == NOW for r in rows)
    sent_keys = [m.key for c in chans.values() for _to, m in c.sent]
    assert len(sent_keys) == len(set(sent_keys)) == len(rows)
    assert sent_keys[0].startswith(w["identifier"] + ":")
    attempts = db.scalar(
        select(func.count()).select_from(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_([r.id for r in rows]))
    )
    assert attempts == len(rows)
    # Running again sends nothing more.
    assert delivery.run(database, channels=chans, warning_id=w["id"]) == 0


class Flaky:
    """Fails the first ``failures`` sends, then succeeds."""

    name = "sms"

    def __init__(self, failures: int) -> None:
        self.failures, self.calls = failures, 0

    def send(self, *, to, message):
        self.calls += 1
        if self.calls <= self.failures:
            return DeliveryResult(ok=False, error="网关超时")
        return DeliveryResult(ok=True, receipt=f"ok-{self.calls}")


def test_retry_with_backoff_and_every_attempt_recorded(api, db, database, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE)
    rows = [r for r in _rows(db, w["id"]) if r.channel == "sms"]
    target = rows[0]
    flaky = Flaky(failures=2)
    chans = fakes(sms=flaky)
    # Only the one row, to follow it precisely.
    for r in rows[1:]:
        r.status = "sent"
    db.flush()
    db.expire_all()
    target = db.get(Delivery, target.id)
    target.status, target.locked_by = "pending", None
    db.flush()
    delivery.run(database, channels=chans, warning_id=w["id"])
    db.expire_all()
    d = db.get(Delivery, target.id)
    assert d.status == "pending" and d.attempts == 1 and d.available_at == NOW + timedelta(seconds=30)
    fixed_clock(NOW + timedelta(seconds=31))
    delivery.run(database, channels=chans, warning_id=w["id"])
    db.expire_all()
    d = db.get(Delivery, target.id)
    assert d.attempts == 2 and d.available_at == NOW + timedelta(seconds=31 + 60)  # doubled
    fixed_clock(NOW + timedelta(seconds=200))
    delivery.run(database, channels=chans, warning_id=w["id"])
    db.expire_all()
    d = db.get(Delivery, target.id)
    assert d.status == "sent" and d.receipt == "ok-3"
    attempts = list(db.scalars(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == d.id)))
    assert [a.ok for a in attempts] == [False, False, True]
    assert attempts[0].error == "网关超时"


def test_fallback_to_another_channel(api, db, database, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE)
    speakers = [r for r in _rows(db, w["id"]) if r.channel == "loudspeaker"]
    assert speakers and all("sms" in r.fallbacks for r in speakers)
    chans = fakes(loudspeaker=FakeChannel("loudspeaker", fail_all=True))
    chans_without_retry = dict(chans)
    # A channel that is not configured is a permanent failure: fallback at once.
    del chans_without_retry["loudspeaker"]
    delivery.run(database, channels=chans_without_retry, warning_id=w["id"])
    db.expire_all()
    for s in speakers:
        s = db.get(Delivery, s.id)
        assert s.status == "failed" and "未配置" in s.last_error
        fb = db.scalar(select(Delivery).where(Delivery.fallback_of == s.id))
        assert fb is not None and fb.channel == "sms" and fb.address == s.fallbacks["sms"] and fb.status == "sent"
    cov = api("duty").get(f"/api/v1/warnings/{w['id']}/coverage").json()
    assert cov["reached"] == cov["targeted"]  # reached through the fallback


def test_superseded_warning_is_not_sent_any_more(api, db, database, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE)
    duty, leader = api("duty"), api("leader")
    upd = duty.post(f"/api/v1/warnings/{w['id']}/update", json={"level": "red"}).json()
    duty.post(f"/api/v1/warnings/{upd['id']}/submit")
    leader.post(f"/api/v1/warnings/{upd['id']}/approve")
    leader.post(f"/api/v1/warnings/{upd['id']}/publish", json={"confirm_unreached": True})
    chans = fakes()
    delivery.run(database, channels=chans, warning_id=w["id"])
    db.expire_all()
    old = _rows(db, w["id"])
    assert all(r.status == "failed" for r in old) and not any(c.sent for c in chans.values())
    assert not db.scalar(select(Delivery).where(Delivery.fallback_of.in_([r.id for r in old])))
