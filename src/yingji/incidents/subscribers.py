"""What incidents does when other capabilities' facts happen (``core.events`` subscribers)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.events import subscribe
from yingji.incidents.events import ReportOverdue
from yingji.incidents.service import incident_notices, proposals
from yingji.monitoring.events import AlarmRaised


@subscribe(AlarmRaised)
def propose_incident_from_alarm(db: Session, event: AlarmRaised) -> None:
    """An alarm is proposed to the duty officer as a possible incident; it never opens one by itself. A
    drill alarm is not: the drill run opens its drill incident itself (``drill_runs``)."""
    if event.drill:
        return
    proposals.propose_from_alarm(db, alarm_id=event.alarm_id, level=event.level, sensor_kind=event.sensor_kind,
                                 region_path=event.region_path, rule_name=event.rule_name, at=event.at)


@subscribe(ReportOverdue)
def notify_overdue_report(db: Session, event: ReportOverdue) -> None:
    """A report past its deadline waits in the 待办 of the people on duty (then of the leader on duty)."""
    incident_notices.report_overdue(db, event)
