"""Outbox handlers of warning publication (idempotent)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.channels import service as channels_service
from yingji.core.db import Database
from yingji.core.outbox import OutboxMessage, handler
from yingji.warnings.service import delivery


@handler("warnings.published", transaction=False)
def start_delivery(database: Database, msg: OutboxMessage) -> None:
    """Finds a published warning's recipients (the one search made of them), writes their delivery rows
    chunk by chunk (skipping rows written before) and sends between chunks, then goes on sending. The
    rows themselves are the durable queue: sending what is due is idempotent, and the
    ``warnings.deliver`` job sweeps retries and expired leases. Runs with no transaction open: expansion
    and delivery claim, send and record in short transactions of their own."""
    warning_id = int(msg.payload["warning_id"])
    delivery.expand(database, warning_id, send=True)
    delivery.run(database, warning_id=warning_id, max_seconds=20)


@handler("warnings.subscription_code")
def send_subscription_code(db: Session, msg: OutboxMessage) -> None:
    """Codes queued before codes took the one SMS path (``channels.sms``): handed over to it."""
    from yingji.warnings.service.subscriptions import code_text
    from yingji.warnings.settings import sender_name

    p = msg.payload
    channels_service.enqueue_sms(db, phone=p["phone"], headline="预警订阅验证码", text=code_text(
        p["code"], p["token"], sender_name(db)),
                                 key=f"subcode:{p['token']}:{p['code']}", max_attempts=3, sensitive=True)
