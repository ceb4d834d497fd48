"""Outbox handlers of warning publication (idempotent)."""

from __future__ import annotations

from yingji.channels.base import Message, Recipient
from yingji.core.db import Database
from yingji.core.outbox import OutboxMessage, handler
from yingji.warnings.service import delivery
from yingji.warnings.settings import settings


@handler("warnings.published", transaction=False)
def start_delivery(database: Database, msg: OutboxMessage) -> None:
    """Wakes delivery of a just-published warning. The rows themselves are the durable queue: sending
    what is due is idempotent, and the ``warnings.deliver`` job sweeps retries and expired leases.
    Runs with no transaction open: delivery claims, sends and records in short transactions of its own."""
    delivery.run(database, warning_id=int(msg.payload["warning_id"]), max_seconds=20)


@handler("warnings.subscription_code", transaction=False)
def send_subscription_code(_database: Database, msg: OutboxMessage) -> None:
    """Sends the confirmation code by SMS; raises (so the outbox retries) when the SMS is not accepted."""
    channels = delivery.resolve_channels()
    sms = channels.get("sms")
    if sms is None:
        raise RuntimeError("短信渠道未配置，无法发送订阅验证码")
    p = msg.payload
    s = settings()
    sender = p.get("sender") or s.sender_name or "应急管理局"
    text = (
        f"【{sender}】您的预警订阅验证码为 {p['code']}，10 分钟内有效。"
        f"退订：{s.public_base_url}/public/unsubscribe/{p['token']}"
    )
    result = sms.send(
        to=Recipient(name="", address=p["phone"]),
        message=Message(key=f"subcode:{msg.id}", headline="预警订阅验证码", text=text),
    )
    if not result.ok:
        raise RuntimeError(result.error or "短信发送失败")
