"""What monitoring does when facts happen (``core.events`` subscribers), off the ingestion path."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core import layercache
from yingji.core.events import subscribe
from yingji.monitoring.events import AlarmEscalated, AlarmRaised, AlarmResolved
from yingji.monitoring.service import alarm_notices, sensors

# A sensor's alarm level on the map changes with its alarms (core.layercache).
layercache.invalidate_on(sensors.MAP_LAYER, AlarmRaised, AlarmEscalated, AlarmResolved)


@subscribe(AlarmRaised)
def notify_to_acknowledge(db: Session, event: AlarmRaised) -> None:
    """An alarm opened or rose: its event waits in the 待办 of the duty officers and the township's officers."""
    alarm_notices.alarm_raised(db=db, alarm_id=event.alarm_id)
