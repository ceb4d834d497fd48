"""Alarms proposed to the duty officer as incidents. A sensor alarm never opens an incident by itself:
it waits as a proposal until the duty officer accepts it (an incident with source "alarm") or dismisses it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require, scope_condition
from yingji.core.clock import utcnow
from yingji.core.errors import NotFound, invalid
from yingji.core.pagination import PageParams, paginate
from yingji.incidents.models import AlarmProposal, Incident
from yingji.incidents.schemas import IncidentCreate
from yingji.incidents.service import incident_notices
from yingji.incidents.service.common import actor_name, note
from yingji.incidents.service.incidents import report_incident
from yingji.incidents.service.obligations import overdue_count


def propose_from_alarm(db: Session, *, alarm_id: int, level: str, sensor_kind: str | None, region_path: str,
                       rule_name: str, at: datetime) -> AlarmProposal:
    """One proposal per alarm; a raised level updates the pending one."""
    proposal = db.scalar(select(AlarmProposal).where(AlarmProposal.alarm_id == alarm_id))
    if proposal is None:
        proposal = AlarmProposal(alarm_id=alarm_id, level=level, sensor_kind=sensor_kind, region_path=region_path,
                                 rule_name=rule_name[:200], raised_at=at, status="pending")
        db.add(proposal)
    elif proposal.status == "pending":
        proposal.level, proposal.raised_at = level, at
    db.flush()
    if proposal.status == "pending":
        incident_notices.proposal_waiting(db, proposal)
    return proposal


STATUSES = ("pending", "accepted", "dismissed")


def list_proposals(*, db: Session, actor: Actor, page: PageParams, status: str | None = "pending"):
    require(actor, "incidents.manage")
    query = select(AlarmProposal).where(scope_condition(actor, AlarmProposal.region_path))
    if status:
        if status not in STATUSES:
            raise invalid("status", "状态无效，可选：" + "、".join(STATUSES))
        query = query.where(AlarmProposal.status == status)
    return paginate(db, query.order_by(AlarmProposal.raised_at.desc(), AlarmProposal.id.desc()), page)


def pending_for_alarm(db: Session, alarm_id: int) -> AlarmProposal | None:
    query = select(AlarmProposal).where(AlarmProposal.alarm_id == alarm_id, AlarmProposal.status == "pending")
    return db.scalar(query)


def pending_count(db: Session) -> int:
    return db.scalar(select(func.count()).where(AlarmProposal.status == "pending")) or 0


def open_counts(db: Session) -> dict[str, int]:
    """What waits in the duty room: alarms to decide on and reports past their deadline."""
    return {"pending_proposals": pending_count(db), "overdue_obligations": overdue_count(db)}


def _pending(db: Session, actor: Actor, proposal_id: int) -> AlarmProposal:
    require(actor, "incidents.manage")
    proposal = db.get(AlarmProposal, proposal_id)
    if proposal is None or not db.scalar(select(scope_condition(actor, AlarmProposal.region_path))
                                         .where(AlarmProposal.id == proposal_id)):
        raise NotFound("告警建议不存在")
    if proposal.status != "pending":
        raise invalid("proposal_id", "该告警建议已处理")
    return proposal


def accept(*, db: Session, actor: Actor, proposal_id: int, data: IncidentCreate) -> Incident:
    """The duty officer opens the incident the alarm suggests (the person decides kind, place, counts)."""
    proposal = _pending(db, actor, proposal_id)
    incident = report_incident(db=db, actor=actor, data=data, source="alarm")
    proposal.status, proposal.incident_id = "accepted", incident.id
    proposal.decided_by, proposal.decided_at = actor_name(actor), utcnow()
    note(db, incident.id, "report", f"由监测告警 #{proposal.alarm_id}（{proposal.rule_name}）转为事件", actor=actor)
    incident_notices.proposal_decided(db, proposal.id)
    db.flush()
    return incident


def dismiss(*, db: Session, actor: Actor, proposal_id: int) -> AlarmProposal:
    proposal = _pending(db, actor, proposal_id)
    proposal.status, proposal.decided_by, proposal.decided_at = "dismissed", actor_name(actor), utcnow()
    incident_notices.proposal_decided(db, proposal.id)
    db.flush()
    return proposal
