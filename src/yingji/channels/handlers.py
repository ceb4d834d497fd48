from __future__ import annotations

from yingji.channels import service
from yingji.channels.base import Message, Recipient
from yingji.core.db import Database
from yingji.core.outbox import OutboxMessage, handler


@handler(service.SMS_TOPIC, transaction=False)
def send_sms(_database: Database, msg: OutboxMessage) -> None:
    """Sends a queued SMS; raises (so the outbox retries with backoff, then marks it failed) when the SMS
    channel is not configured or the gateway does not accept it. No transaction is open while it waits
    for the gateway."""
    sms = service.configured().get("sms")
    if sms is None:
        raise RuntimeError("短信渠道未配置")
    p = msg.payload
    result = sms.send(
        to=Recipient(name="", address=p["phone"]),
        message=Message(key=f"outbox:{msg.id}", headline=p["headline"], text=p["text"]),
    )
    if not result.ok:
        raise RuntimeError(result.error or "短信发送失败")
