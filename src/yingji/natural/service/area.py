"""The hazard points inside an area (a warning's, drawn as GeoJSON): their threatened people and monitors.
A point counts when its location or outline meets the area."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import shape
from shapely.prepared import prep
from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require, scope_condition
from yingji.core.errors import invalid
from yingji.natural.models import HazardPoint, Household, Monitor
from yingji.natural.service.points import point_geometry


@dataclass
class Reached:
    """One person a warning over the area should reach: a threatened household's head or a monitor."""

    role: str  # household / monitor / responsible
    name: str
    phone: str
    point_id: int
    village_code: str


@dataclass
class AreaPoints:
    points: list[HazardPoint] = field(default_factory=list)
    people: int = 0
    households: int = 0
    reached: list[Reached] = field(default_factory=list)

    def phones(self) -> list[str]:
        return sorted({r.phone for r in self.reached if r.phone})


def _geometry(area: Any) -> Any:
    try:
        geom = shape(area) if isinstance(area, dict) else area
    except (KeyError, TypeError, ValueError, AttributeError):
        raise invalid("area", "区域须为 GeoJSON 几何") from None
    if geom is None or geom.is_empty or not geom.is_valid:
        raise invalid("area", "区域几何无效")
    return geom


def points_in_area(*, db: Session, actor: Actor, geometry: Any, active_only: bool = True) -> AreaPoints:
    """The points (in the actor's scope) meeting ``geometry``, their threatened households' heads, their
    monitors and responsible persons, one entry per person and point."""
    require(actor, "natural.read")
    geom = _geometry(geometry)
    minx, miny, maxx, maxy = geom.bounds
    query = select(HazardPoint).where(scope_condition(actor, HazardPoint.region_path))
    if active_only:
        query = query.where(HazardPoint.status.in_(("monitored", "treating")))
    prepared = prep(geom)
    out = AreaPoints()
    for p in db.scalars(query.order_by(HazardPoint.code)).all():
        g = point_geometry(p)
        gx0, gy0, gx1, gy1 = g.bounds
        if gx1 < minx or gx0 > maxx or gy1 < miny or gy0 > maxy or not prepared.intersects(g):
            continue
        out.points.append(p)
        out.people += p.people
        out.households += p.households
    ids = [p.id for p in out.points]
    codes = {p.id: p.village_code for p in out.points}
    if not ids:
        return out
    for h in db.scalars(select(Household).where(Household.point_id.in_(ids)).order_by(Household.id)).all():
        out.reached.append(Reached("household", h.head_name, h.phone, h.point_id, codes[h.point_id]))
    for m in db.scalars(select(Monitor).where(Monitor.point_id.in_(ids)).order_by(Monitor.id)).all():
        out.reached.append(Reached("monitor", m.name, m.phone, m.point_id, codes[m.point_id]))
    for p in out.points:
        if p.responsible_phone:
            out.reached.append(Reached("responsible", p.responsible_name, p.responsible_phone, p.id, p.village_code))
    return out
