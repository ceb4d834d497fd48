"""Outbox handlers of the resources capability (idempotent)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.outbox import OutboxMessage, handler
from yingji.resources.service import alerts


@handler(alerts.TOPIC)
def record_stock_alert(db: Session, msg: OutboxMessage) -> None:
    """Records the reorder or expiry alert once per key; a second delivery finds it and does nothing."""
    alerts.record_alert(db, key=msg.key or f"message:{msg.id}", payload=msg.payload)
