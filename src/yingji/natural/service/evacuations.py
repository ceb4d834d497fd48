"""Evacuations (转移) of a point's people, for a warning or an incident; the event lets the incident and its
灾情 figures count them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.clock import utcnow
from yingji.core.errors import invalid
from yingji.core.events import publish
from yingji.natural.events import EvacuationRecorded
from yingji.natural.models import Evacuation
from yingji.natural.schemas import EvacuationCreate
from yingji.natural.service.common import get_point, writable_point


def record_evacuation(*, db: Session, actor: Actor, point_id: int, data: EvacuationCreate) -> Evacuation:
    point = writable_point(db, actor, point_id)
    now = utcnow()
    at = data.moved_at or now
    if at > now:
        raise invalid("moved_at", "转移时间不能晚于现在")
    row = Evacuation(point_id=point.id, warning_id=data.warning_id, incident_id=data.incident_id,
                     households=data.households, people=data.people,
                     shelter_name=data.shelter_name or point.shelter_name, moved_at=at, note=data.note,
                     recorded_by=actor.id, region_path=point.region_path)
    db.add(row)
    db.flush()
    publish(db, EvacuationRecorded(evacuation_id=row.id, point_id=point.id, region_path=point.region_path,
                                   people=row.people, households=row.households, warning_id=row.warning_id,
                                   incident_id=row.incident_id, at=at))
    return row


def list_evacuations(*, db: Session, actor: Actor, point_id: int) -> list[Evacuation]:
    get_point(db, actor, point_id)
    return list(db.scalars(select(Evacuation).where(Evacuation.point_id == point_id)
                           .order_by(Evacuation.moved_at.desc())).all())


def evacuation_totals(*, db: Session, incident_id: int) -> dict[str, int]:
    """People and households moved from hazard points for an incident (the incident's 转移 figure)."""
    people, households, points = db.execute(
        select(func.coalesce(func.sum(Evacuation.people), 0), func.coalesce(func.sum(Evacuation.households), 0),
               func.count(func.distinct(Evacuation.point_id))).where(Evacuation.incident_id == incident_id)).one()
    return {"people": int(people), "households": int(households), "points": int(points)}
