"""Outbox handlers of monitoring."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.accounts import service as accounts_service
from yingji.core.actor import SYSTEM
from yingji.core.outbox import OutboxMessage, handler
from yingji.core.pagination import PageParams
from yingji.monitoring.service import alarm_notices, alarms


@handler(alarms.ESCALATION_TOPIC)
def escalate_alarm(db: Session, msg: OutboxMessage) -> None:
    """A red alarm still unacknowledged after its rule's delay: notify every bureau leader (idempotent: an
    alarm escalates once; an alarm acknowledged meanwhile is left alone)."""
    leaders, _ = accounts_service.list_users(db=db, actor=SYSTEM, page=PageParams(page_size=500), role="leader")
    active = [u.id for u in leaders if u.is_active]
    alarm_notices.escalate(db=db, alarm_id=int(msg.payload["alarm_id"]), leader_ids=active)
