"""Monitoring's notices in the shared inbox (``core.notices``, the 待办 page).

- An alarm event with open (unacknowledged) alarms waits for the duty officers and the officers of its
  township: one notice per event, at the level of its most severe open alarm. A rise in level is a new,
  unread notice (the old one closes); once nothing of the event is open, its notice closes.
- A red alarm still unacknowledged past its rule's delay goes to each bureau leader by name; that notice
  closes when the alarm is acknowledged or ends.

The event's notice is posted by a subscriber of ``AlarmRaised`` (off the ingestion path) and settled in
the transaction of the person's acknowledgement, so it leaves the 待办 list at once.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import notices
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.events import publish
from yingji.monitoring.enums import LEVEL_LABELS, LEVEL_RANK, AlarmLevel, AlarmState
from yingji.monitoring.events import AlarmEscalated
from yingji.monitoring.models import Alarm, AlarmEvent

SOURCE = "monitoring"
ACK_KIND, ESCALATED_KIND = "alarm_acknowledge", "alarm_escalated"
ACK_ROLES = ("duty_officer", "township_officer")
ESCALATED_TITLE = "红色告警未确认"


def refresh_event(db: Session, event_id: int) -> notices.Notice | None:
    """Keeps the event's acknowledgement notice in step with its alarms; returns the open one, if any."""
    # Locked so that an acknowledgement committing meanwhile is seen here, not overtaken by a stale notice.
    members = list(db.scalars(select(Alarm).where(Alarm.event_id == event_id).order_by(Alarm.id).with_for_update()))
    waiting = [a for a in members if a.state == AlarmState.open]
    if not waiting:
        notices.close(db, source=SOURCE, ref_type="alarm_event", ref_id=event_id, kinds=[ACK_KIND])
        return None
    lead = max(waiting, key=lambda a: (LEVEL_RANK[AlarmLevel(a.level)], a.id))
    # The lead's id and level in the key: a rise, or a new alarm after the event was acknowledged, is news.
    key = f"monitoring:alarm-event:{event_id}:ack:{lead.id}:{lead.level}"
    body = lead.message + (f"（同一事件另有 {len(waiting) - 1} 个未确认告警）" if len(waiting) > 1 else "")
    notice, created = notices.post(
        db,
        source=SOURCE,
        kind=ACK_KIND,
        ref_type="alarm_event",
        ref_id=event_id,
        title=f"{LEVEL_LABELS[AlarmLevel(lead.level)]}告警待确认",
        body=body,
        link=f"/monitoring/alarms/{event_id}",
        roles=ACK_ROLES,
        region_path=lead.region_path,
        enterprise_id=lead.enterprise_id,
        dedupe_key=key,
        at=lead.updated_at,
    )
    if not created and notice.closed_at is None:
        notice.body = body
    notices.close(db, source=SOURCE, ref_type="alarm_event", ref_id=event_id, kinds=[ACK_KIND], keep_key=key)
    return notice if notice.closed_at is None else None


def settled(db: Session, alarms: list[Alarm]) -> None:
    """Alarms acknowledged, closed or resolved: their leaders' notices close, their events' notices follow."""
    for alarm in alarms:
        notices.close(db, source=SOURCE, ref_type="alarm", ref_id=alarm.id, kinds=[ESCALATED_KIND])
    for event_id in sorted({a.event_id or a.id for a in alarms}):
        refresh_event(db, event_id)


def escalate(*, db: Session, alarm_id: int, leader_ids: list[int]) -> bool:
    """The outbox handler's work: notify the leaders if the red alarm is still unacknowledged. Idempotent."""
    alarm = db.get(Alarm, alarm_id)
    if alarm is None or alarm.escalated_at is not None:
        return False
    if alarm.state != AlarmState.open or alarm.acknowledged_at is not None or alarm.level != AlarmLevel.red:
        return False
    now = utcnow()
    minutes = int((now - alarm.opened_at).total_seconds() // 60)
    message = f"红色告警 {minutes} 分钟未确认：{alarm.message}"
    for uid in leader_ids:
        notices.post(
            db,
            source=SOURCE,
            kind=ESCALATED_KIND,
            ref_type="alarm",
            ref_id=alarm.id,
            title=ESCALATED_TITLE,
            body=message,
            link=f"/monitoring/alarms/{alarm.id}",
            recipient_id=uid,
            region_path=alarm.region_path,
            enterprise_id=alarm.enterprise_id,
            dedupe_key=f"monitoring:alarm:{alarm.id}:escalated:{uid}",
            at=now,
        )
    alarm.escalated_at, alarm.updated_at = now, now
    db.add(AlarmEvent(alarm_id=alarm.id, kind="escalated", note=f"已通知 {len(leader_ids)} 位局领导", at=now))
    publish(db, AlarmEscalated(alarm_id=alarm.id, region_path=alarm.region_path, leader_ids=tuple(leader_ids), at=now))
    db.flush()
    return True


def my_escalations(*, db: Session, actor: Actor) -> list[notices.Notice]:
    """The escalations sent to the actor (the leader's box on the monitoring page), newest first."""
    require(actor, "monitoring.read")
    if actor.id is None:
        return []
    return notices.of_record(db, source=SOURCE, kinds=[ESCALATED_KIND], recipient_id=actor.id, limit=50)


def alarm_raised(*, db: Session, alarm_id: int) -> None:
    """The ``AlarmRaised`` subscriber's work (idempotent: the notice is keyed by event, alarm and level)."""
    alarm = db.get(Alarm, alarm_id)
    if alarm is not None:
        refresh_event(db, alarm.event_id or alarm.id)
