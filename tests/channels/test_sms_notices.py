"""Notices of other capabilities reach a phone through the channels' SMS topic: queued in the same
transaction, sent by the outbox, retried while the channel is down or not configured."""

from __future__ import annotations

from sqlalchemy import select

from yingji import bootstrap
from yingji.channels import service as channels_service
from yingji.channels.fake import FakeChannel
from yingji.core import outbox
from yingji.core.outbox import OutboxMessage
from yingji.risk.models import Hazard
from yingji.risk.service import escalation


def _sms_rows(db) -> list[OutboxMessage]:
    return list(db.scalars(select(OutboxMessage).where(OutboxMessage.topic == channels_service.SMS_TOPIC)))


def test_an_overdue_notice_is_texted_to_the_responsible_person(database) -> None:
    fake = FakeChannel("sms")
    try:
        with database.transaction() as db:
            hazard = db.scalar(select(Hazard).order_by(Hazard.id))
            hazard.responsible_phone = "13912345678"
            before = len(_sms_rows(db))
            notice = escalation.deliver_notice(db=db, hazard_id=hazard.id, kind="overdue_responsible", key="t1")
            # Delivering the same notice again queues nothing more.
            escalation.deliver_notice(db=db, hazard_id=hazard.id, kind="overdue_responsible", key="t1")
            assert len(_sms_rows(db)) == before + 1
            phone = hazard.responsible_phone
        bootstrap.bootstrap(channels={"sms": fake})
        outbox.drain(database, topics=[channels_service.SMS_TOPIC])
        texts = [(to.address, m.text) for to, m in fake.sent]
        assert (phone, notice.body) in texts
    finally:
        bootstrap.bootstrap(channels={})


def test_without_an_sms_channel_the_message_waits_with_the_reason(database) -> None:
    bootstrap.bootstrap(channels={"email": FakeChannel("email")})
    try:
        with database.transaction() as db:
            channels_service.enqueue_sms(db, phone="13900000000", headline="测试", text="测试短信", key="t2")
        outbox.drain(database, topics=[channels_service.SMS_TOPIC])
        with database.transaction() as db:
            row = db.scalar(select(OutboxMessage).where(OutboxMessage.key == f"{channels_service.SMS_TOPIC}:t2"))
            assert row.status == "pending" and row.attempts == 1 and "短信渠道未配置" in row.last_error
    finally:
        bootstrap.bootstrap(channels={})
