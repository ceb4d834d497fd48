"""Impact estimate of an affected area (issue 13 point 7): who and what lies inside the polygon — people,
villages, enterprises, schools and other crowded places, shelters, major hazard sources, risk points —
each counted through its own capability's service, and the minimum needs of the affected people against
the stock that can reach the area within the travel time set (``YINGJI_INCIDENTS_NEEDS_REACH_MINUTES``).

The population is estimated village by village: a village's population times the share of its area inside
the polygon (people are taken as evenly spread over the village: say so when the figure is used)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity
from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, region_in_scope, require
from yingji.core.clock import utcnow
from yingji.core.errors import PermissionDenied, invalid
from yingji.geo import service as geo_service
from yingji.incidents import needs as needs_table
from yingji.incidents.report_models import AffectedArea
from yingji.incidents.service.common import actor_name, ensure_open, load, note
from yingji.incidents.settings import settings
from yingji.registry import service as registry_service
from yingji.resources import service as resources_service
from yingji.risk import service as risk_service

MAX_VERTICES = 5000
MAX_DAYS = 90
SCHOOL_WORDS = ("学校", "小学", "中学", "幼儿园", "学院", "大学")
CROWDED = "crowded_place"


def parse_area(geometry: Any, *, field: str = "area") -> BaseGeometry:
    """A GeoJSON Polygon or MultiPolygon (lon, lat) as a valid geometry, or a 422 naming the field."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise invalid(f"{field}.type", "受影响区域须为 GeoJSON Polygon 或 MultiPolygon")
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        raise invalid(f"{field}.coordinates", "缺少坐标")
    count = 0
    for p, rings in enumerate(polygons):
        if not isinstance(rings, list) or not rings:
            raise invalid(f"{field}.coordinates[{p}]", "多边形须有外环")
        for ring in rings:
            if not isinstance(ring, list) or len(ring) < 4:
                raise invalid(f"{field}.coordinates", "每个环至少 4 个顶点（首尾相同）")
            for pt in ring:
                count += 1
                if not (isinstance(pt, list) and len(pt) == 2
                        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pt)):
                    raise invalid(f"{field}.coordinates", "顶点须为 [经度, 纬度]")
                if not (-180 <= pt[0] <= 180 and -90 <= pt[1] <= 90):
                    raise invalid(f"{field}.coordinates", "经度须在 -180 到 180、纬度在 -90 到 90 之间")
    if count > MAX_VERTICES:
        raise invalid(f"{field}.coordinates", f"顶点不能多于 {MAX_VERTICES} 个")
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError):
        raise invalid(f"{field}.coordinates", "坐标结构无效") from None
    if not geom.is_valid:
        raise invalid(field, f"多边形无效：{explain_validity(geom)}")
    if geom.area == 0:
        raise invalid(field, "多边形面积为零")
    return geom


def _inside(area: BaseGeometry, rows: list, lon: str = "lon", lat: str = "lat") -> list:
    prepared = area
    return [r for r in rows if getattr(r, lon) is not None and prepared.covers(Point(getattr(r, lon), getattr(r, lat)))]


def _villages(db: Session, area: BaseGeometry) -> tuple[list[dict], int]:
    paths = {v.code: v.path for v in geo_service.intersecting(db=db, geometry=area, level="village")}
    hits = set(paths)
    rows, total = [], Decimal(0)
    for f in geo_service.boundaries(db=db, level="village")["features"]:
        if f["id"] not in hits:
            continue
        village = shape(f["geometry"])
        share = Decimal(str(round(village.intersection(area).area / village.area, 4))) if village.area else Decimal(0)
        if share <= 0:
            continue
        people = Decimal(f["properties"]["population"] or 0) * share
        total += people
        props = f["properties"]
        rows.append({"code": f["id"], "path": paths[f["id"]], "name": props["name"], "population": props["population"],
                     "share_inside": float(share), "people_inside": round(people)})
    return rows, round(total)


def estimate(*, db: Session, actor: Actor, area: BaseGeometry, people: int | None = None, days: int = 1,
             in_scope_only: bool = True) -> dict:
    """Everything the impact estimate answers for an area (``parse_area`` first). An area drawn freely must
    touch the actor's own area (a township officer estimates for its township); an incident's stored area
    may spill over into the neighbours (``in_scope_only=False``)."""
    require(actor, "incidents.estimate")
    if people is not None and people < 0:
        raise invalid("people", "受灾人数不能为负数")
    if not 1 <= days <= MAX_DAYS:
        raise invalid("days", f"天数须在 1 到 {MAX_DAYS} 之间")
    villages, population = _villages(db, area)
    if not villages:
        raise invalid("area", "受影响区域不在本区范围内")
    if in_scope_only and not any(region_in_scope(actor, v["path"]) for v in villages):
        raise PermissionDenied("只能估算本辖区的受影响区域")
    bbox = area.bounds
    enterprises = _inside(area, registry_service.enterprises_in_bbox(db=db, bbox=bbox))
    crowded = [e for e in enterprises if e.industry == CROWDED]
    schools = [e for e in crowded if any(w in e.name for w in SCHOOL_WORDS)]
    risks = risk_service.risks_in_bbox(db=db, bbox=bbox)
    hazards = _inside(area, risks["major_hazards"])
    points = _inside(area, risks["risk_points"])
    shelters = _inside(area, resources_service.shelters_in_bbox(db=db, bbox=bbox))
    affected = population if people is None else people
    items = needs_table.load_table(settings().relief_needs)
    centre = area.representative_point()
    reach_s = settings().needs_reach_minutes * 60
    stock = resources_service.stock_within_reach(
        db=db, lon=centre.x, lat=centre.y, materials=sorted({i.material for i in items if i.material}),
        max_travel_s=reach_s)
    available = {name: s.quantity for name, s in stock.items()}
    rows = needs_table.needs(items, people=affected, days=days, available=available)
    by_level: dict[str, int] = {}
    for p in points:
        by_level[p.level] = by_level.get(p.level, 0) + 1
    return {
        "population": population,
        "people": affected,
        "population_basis": "各村人口 × 该村面积落在区域内的比例（按人口在村内均匀分布估算）",
        "villages": villages,
        "enterprises": {"count": len(enterprises), "items": [_place(e) for e in enterprises]},
        "crowded_places": {"count": len(crowded), "items": [_place(e) for e in crowded]},
        "schools": {"count": len(schools), "items": [_place(e) for e in schools]},
        "shelters": {"count": len(shelters), "capacity": sum(s.capacity for s in shelters),
                     "free_places": sum(max(0, s.capacity - s.occupancy) for s in shelters),
                     "items": [{"id": s.id, "name": s.name, "capacity": s.capacity, "occupancy": s.occupancy,
                                "open": s.open, "lon": s.lon, "lat": s.lat} for s in shelters]},
        "major_hazards": {"count": len(hazards), "items": [_risk(h) for h in hazards]},
        "risk_points": {"count": len(points), "by_level": by_level, "items": [_risk(p) for p in points]},
        "days": days,
        "reach_minutes": settings().needs_reach_minutes,
        "needs": [_need(n, stock.get(n.item.material)) for n in rows],
        "area_km2": round(_area_km2(area), 3),
    }


def _place(e: Any) -> dict:
    return {"id": e.id, "name": e.name, "industry": e.industry, "lon": e.lon, "lat": e.lat}


def _risk(r: Any) -> dict:
    return {"id": r.id, "name": r.name, "level": r.level, "label": r.label, "enterprise_id": r.enterprise_id,
            "lon": r.lon, "lat": r.lat}


def _need(n: needs_table.Need, stock: Any) -> dict:
    i = n.item
    return {
        "key": i.key, "label": i.label, "per_person": str(i.per_person), "unit": i.unit, "per": i.per,
        "per_label": needs_table.PER[i.per], "quantity": _plain(n.quantity), "material": i.material,
        "stock_unit": stock.unit if stock else "", "needed_stock_units": n.stock_units,
        "available": None if n.available is None else _plain(n.available),
        "shortfall": n.shortfall, "source": i.source,
        "warehouses": [{"name": w, "quantity": _plain(q), "travel_time_s": t}
                       for w, q, t in (stock.warehouses if stock else [])],
    }


def _plain(value: Decimal) -> str:
    """A quantity as plain decimal text: 600, 1.5 (never 6E+2)."""
    return format(value.normalize(), "f")


def _area_km2(area: BaseGeometry) -> float:
    """Area on the sphere, near enough for a county: degrees scaled at the area's latitude."""
    import math

    lat = area.centroid.y
    return area.area * (111.32 ** 2) * math.cos(math.radians(lat))


# --- the incident's own affected area ------------------------------------------------------------------


def affected_area(db: Session, incident_id: int) -> AffectedArea | None:
    return db.scalar(select(AffectedArea).where(AffectedArea.incident_id == incident_id))


def set_affected_area(*, db: Session, actor: Actor, incident_id: int, geometry: Any) -> AffectedArea:
    """Stores (or replaces) the incident's drawn affected area; the timeline says who drew it."""
    incident = load(db, actor, incident_id, permission="incidents.manage")
    ensure_open(incident)
    area = parse_area(geometry)
    if not geo_service.intersecting(db=db, geometry=area, level="village"):
        raise invalid("area", "受影响区域不在本区范围内")
    row = affected_area(db, incident.id)
    now, who = utcnow(), actor_name(actor)
    if row is None:
        row = AffectedArea(incident_id=incident.id, geometry=mapping(area), updated_at=now, updated_by=who)
        db.add(row)
    else:
        row.geometry, row.updated_at, row.updated_by = dict(mapping(area)), now, who
    note(db, incident.id, "note", f"标绘受影响区域（约 {_area_km2(area):.2f} 平方公里）", actor=actor, at=now)
    db.flush()
    return row


def incident_impact(*, db: Session, actor: Actor, incident_id: int, people: int | None = None,
                    days: int = 1) -> dict:
    """The estimate for the incident's stored affected area (422 ``area`` when none is drawn)."""
    incident = load(db, actor, incident_id)
    row = affected_area(db, incident.id)
    if row is None:
        raise invalid("area", "该事件尚未标绘受影响区域")
    answer = estimate(db=db, actor=actor, area=shape(row.geometry), people=people, days=days, in_scope_only=False)
    return {**answer, "incident_id": incident.id, "area": row.geometry, "area_updated_at": row.updated_at,
            "area_updated_by": row.updated_by}
