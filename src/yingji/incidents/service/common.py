"""Helpers shared by the incident use cases: who sees and acts on an incident, and its timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, path_within, region_in_scope, require, scope_condition
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, NotFound, PermissionDenied
from yingji.incidents.models import Incident, IncidentReport, TimelineEntry

SOURCES = {
    "phone": "值班电话",
    "officer": "信息员/镇街上报",
    "enterprise": "企业报告",
    "alarm": "监测告警",
    "upstream": "上级通报",
}
LABELS = {"deaths": "死亡", "missing": "失踪", "serious_injuries": "重伤", "trapped": "被困"}
STATUS_LABELS = {"open": "处置中", "closed": "已结束", "merged": "已合并"}


def actor_name(actor: Actor) -> str:
    if actor.role == "system":  # the seed, the CLI and scheduled jobs
        return "系统"
    return getattr(actor, "display_name", "") or actor.username


def read_condition(actor: Actor) -> Any:
    """Which incidents an actor sees: an enterprise its own enterprise's; an information officer the
    incidents it reported; a township those in the township; leaders and the duty room all of them."""
    if actor.enterprise_id is not None:
        return Incident.enterprise_id == actor.enterprise_id
    if actor.role == "info_officer":
        if actor.id is None:
            return false()
        own = select(IncidentReport.incident_id).where(IncidentReport.reported_by_id == actor.id)
        return Incident.id.in_(own)
    return scope_condition(actor, Incident.region_path)


def can_read(db: Session, actor: Actor, incident: Incident) -> bool:
    if actor.enterprise_id is not None:
        return incident.enterprise_id == actor.enterprise_id
    if actor.role == "info_officer":
        query = select(IncidentReport.id).where(
            IncidentReport.incident_id == incident.id, IncidentReport.reported_by_id == actor.id
        )
        return actor.id is not None and db.scalar(query.limit(1)) is not None
    return region_in_scope(actor, incident.region_path)


def load(db: Session, actor: Actor, incident_id: int, *, permission: str = "incidents.read",
         for_update: bool = False) -> Incident:
    """The incident if the actor may do ``permission`` (else 403) and sees it (else 404, existence does not
    leak). A change also needs the incident inside the actor's own area."""
    require(actor, permission)
    query = select(Incident).where(Incident.id == incident_id)
    if for_update:
        query = query.with_for_update()
    incident = db.scalar(query)
    if incident is None or not can_read(db, actor, incident):
        raise NotFound("事件不存在")
    if permission != "incidents.read" and not region_in_scope(actor, incident.region_path):
        raise PermissionDenied("只能处置本辖区的事件")
    return incident


def ensure_open(incident: Incident) -> None:
    if incident.status != "open":
        raise Conflict(f"事件已{STATUS_LABELS[incident.status]}，不能再修改")


def region_filter(path: str) -> Any:
    return path_within(Incident.region_path, path)


def note(db: Session, incident_id: int, kind: str, text: str, *, actor: Actor | None = None,
         actor_label: str = "", at: datetime | None = None, ref_id: int | None = None) -> TimelineEntry:
    """Adds one entry to the incident's timeline (the one ordered list of everything)."""
    entry = TimelineEntry(incident_id=incident_id, at=at or utcnow(), kind=kind, text=text,
                          actor_name=actor_label or (actor_name(actor) if actor else "系统"), ref_id=ref_id)
    db.add(entry)
    return entry

