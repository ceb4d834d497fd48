"""What warnings does when other capabilities' facts happen (``core.events`` subscribers)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core import layercache
from yingji.core.actor import SYSTEM
from yingji.core.events import publish, subscribe
from yingji.monitoring.events import AlarmRaised
from yingji.warnings.events import WarningCancelled, WarningDraftOpened, WarningPublished, WarningSubmitted
from yingji.warnings.service import alarm_drafts, maps, sign_notices

# The map layer of current warnings changes with each publication and cancellation (core.layercache).
layercache.invalidate_on(maps.MAP_LAYER, WarningPublished, WarningCancelled)


@subscribe(AlarmRaised)
def open_draft_from_alarm(db: Session, event: AlarmRaised) -> None:
    """A configured rule turns a (red) alarm into a warning draft waiting for sign-off (never a drill
    alarm's: a drill warning is drafted by the drill run, for its test audience only)."""
    if event.drill:
        return
    if not alarm_drafts.rule_applies(alarm_drafts.configured_rules(), sensor_kind=event.sensor_kind, level=event.level):
        return
    draft = alarm_drafts.open_draft_from_alarm(db=db, actor=SYSTEM, alarm_id=event.alarm_id)
    if draft is not None:
        publish(db, WarningDraftOpened(warning_id=draft.id, alarm_id=event.alarm_id, event_type=draft.event_type,
                                       level=draft.level, at=draft.created_at))


@subscribe(WarningSubmitted)
def notify_signers(db: Session, event: WarningSubmitted) -> None:
    """A submitted warning waits in the 待办 of those who may sign it."""
    sign_notices.warning_submitted(db, warning_id=event.warning_id)
