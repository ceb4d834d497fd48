"""What incidents puts in people's 待办 (the shared notices inbox, ``core.notices``): a report past its
deadline (the duty officers on duty, then after the grace period the leader on duty) and an alarm proposed
as an incident (the duty officers). Each leaves the inbox when the report is made or the proposal decided."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core import notices
from yingji.incidents.events import ReportOverdue
from yingji.incidents.models import AlarmProposal

SOURCE = "incidents"
OVERDUE_KIND, PROPOSAL_KIND = "report_overdue", "alarm_proposal"
# Nobody on the roster has an account: the role of the level is told instead, never nobody.
FALLBACK_ROLES = {"duty": ("duty_officer",), "leader": ("leader", "duty_officer")}


def report_overdue(db: Session, event: ReportOverdue) -> int:
    """One notice per person on duty named by the event (or the level's roles); returns how many posted."""
    whom = "带班领导" if event.level == "leader" else "值班员"
    fields = dict(
        source=SOURCE, kind=OVERDUE_KIND, ref_type="obligation", ref_id=event.obligation_id,
        title=f"{'【演练】' if event.drill else ''}逾期未报：{event.label}",
        body=f"事件 #{event.incident_id} 的{event.label}已过时限，请{whom}督促报告。",
        link=f"/incidents/{event.incident_id}", at=event.at,
    )
    posted = 0
    if event.user_ids:
        for uid in event.user_ids:
            key = f"incidents:overdue:{event.obligation_id}:{event.level}:{uid}"
            posted += notices.post(db, recipient_id=uid, dedupe_key=key, **fields)[1]
    else:
        key = f"incidents:overdue:{event.obligation_id}:{event.level}"
        posted += notices.post(db, roles=FALLBACK_ROLES[event.level], dedupe_key=key, **fields)[1]
    return posted


def proposal_waiting(db: Session, proposal: AlarmProposal) -> None:
    notices.post(
        db, source=SOURCE, kind=PROPOSAL_KIND, ref_type="alarm_proposal", ref_id=proposal.id,
        title="监测告警待研判：是否转为事件", body=f"告警 #{proposal.alarm_id}（{proposal.rule_name}）",
        link="/incidents", roles=("duty_officer",), region_path=proposal.region_path,
        dedupe_key=f"incidents:proposal:{proposal.id}", at=proposal.raised_at,
    )


def report_made(db: Session, obligation_id: int) -> None:
    notices.close(db, source=SOURCE, ref_type="obligation", ref_id=obligation_id)


def proposal_decided(db: Session, proposal_id: int) -> None:
    notices.close(db, source=SOURCE, ref_type="alarm_proposal", ref_id=proposal_id)
