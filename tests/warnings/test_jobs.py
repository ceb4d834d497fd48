"""The wiring of delivery: the ``warnings.published`` outbox message sends a just-published warning, and
the ``warnings.deliver`` job sweeps retries; both use the channels installed by the composition root."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.warnings.helpers import NOW, SPEAKER_CIRCLE, published
from yingji import bootstrap
from yingji.channels.fake import FakeChannel
from yingji.core import jobs, outbox
from yingji.warnings.models import Delivery


@pytest.fixture
def fake_channels():
    chans = {n: FakeChannel(n) for n in ("sms", "email", "webhook", "loudspeaker")}
    saved = dict(bootstrap.channels())
    bootstrap.bootstrap(channels=chans)
    yield chans
    bootstrap.bootstrap(channels=saved)


def test_outbox_message_starts_delivery(api, db, database, fixed_clock, fake_channels):
    w = published(api, area=SPEAKER_CIRCLE)
    outbox.drain(database, topics=["warnings.published"])
    db.expire_all()
    statuses = set(db.scalars(select(Delivery.status).where(Delivery.warning_id == w["id"])))
    assert statuses == {"sent"}
    assert sum(len(c.sent) for c in fake_channels.values()) > 0


def test_deliver_job_sweeps_retries(api, db, database, fixed_clock, fake_channels):
    w = published(api, area=SPEAKER_CIRCLE)
    fake_channels["sms"].fail_all = True
    outbox.drain(database, topics=["warnings.published"])
    db.expire_all()
    assert "pending" in set(db.scalars(select(Delivery.status).where(Delivery.warning_id == w["id"])))
    fake_channels["sms"].fail_all = False
    fixed_clock(NOW + timedelta(minutes=5))
    summary = jobs.run_job(database, "warnings.deliver")
    assert summary and summary.startswith("处理")
    db.expire_all()
    assert set(db.scalars(select(Delivery.status).where(Delivery.warning_id == w["id"]))) == {"sent"}
