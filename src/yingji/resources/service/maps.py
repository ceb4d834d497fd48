"""Map layers (GeoJSON) for the 一张图 map, and the coverage table as a planner's spreadsheet."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import excel
from yingji.core.actor import Actor, require
from yingji.core.errors import NotFound
from yingji.geo import service as geo_service
from yingji.resources.enums import (
    FIRE_STATION_CLASS_LABELS,
    SHELTER_CONDITION_LABELS,
    SHELTER_LEVEL_LABELS,
    TEAM_KIND_LABELS,
    TEAM_STATUS_LABELS,
    Approval,
)
from yingji.resources.models import Shelter, Team, Warehouse
from yingji.resources.service.common import read_condition
from yingji.resources.service.coverage import coverage

# The tables each layer reads: a write of one rebuilds the layer (``web.layers.layer_response``). Coverage
# reads the villages' shapes and populations, the road graph, and the usable shelters and available teams.
MAP_READS: dict[str, tuple[str, ...]] = {
    "teams": ("res_teams",),
    "shelters": ("res_shelters",),
    "warehouses": ("res_warehouses",),
    "coverage": ("res_shelters", "res_teams", "regions", "road_edges"),
}
MAP_LAYER_MISSING = "图层不存在：可选 teams、shelters、warehouses、coverage"


def _feature(lon: float, lat: float, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def map_layer(*, db: Session, actor: Actor, layer: str) -> dict[str, Any]:
    require(actor, "resources.read")
    features: list[dict[str, Any]] = []
    if layer == "teams":
        q = select(Team).where(
            read_condition(actor, Team.region_path, Team.enterprise_id),
            Team.lon.is_not(None),
            Team.approval == Approval.approved,
        )
        for t in db.scalars(q.order_by(Team.id)):
            features.append(
                _feature(
                    t.lon,
                    t.lat,
                    {
                        "id": t.id,
                        "name": t.name,
                        "kind": t.kind,
                        "kind_label": TEAM_KIND_LABELS.get(t.kind, t.kind),
                        "station_class": FIRE_STATION_CLASS_LABELS.get(t.station_class or "", ""),
                        "planned": t.planned,
                        "status": t.status,
                        "status_label": TEAM_STATUS_LABELS.get(t.status, t.status),
                        "phone": t.contact_phone or "",
                    },
                )
            )
    elif layer == "shelters":
        for s in db.scalars(select(Shelter).where(read_condition(actor, Shelter.region_path)).order_by(Shelter.id)):
            features.append(
                _feature(
                    s.lon,
                    s.lat,
                    {
                        "id": s.id,
                        "name": s.name,
                        "level": SHELTER_LEVEL_LABELS.get(s.level, s.level),
                        "capacity": s.capacity,
                        "occupancy": s.occupancy,
                        "open": s.open,
                        "condition": SHELTER_CONDITION_LABELS.get(s.condition, s.condition),
                    },
                )
            )
    elif layer == "warehouses":
        q = select(Warehouse).where(read_condition(actor, Warehouse.region_path), Warehouse.lon.is_not(None))
        for w in db.scalars(q.order_by(Warehouse.id)):
            features.append(_feature(w.lon, w.lat, {"id": w.id, "name": w.name, "level": w.level}))
    elif layer == "coverage":
        result = coverage(db=db, actor=actor)
        shapes = {
            f["properties"]["code"]: f["geometry"] for f in geo_service.boundaries(db=db, level="village")["features"]
        }
        for row in result["rows"]:
            features.append(
                {
                    "type": "Feature",
                    "geometry": shapes.get(row["village_code"]),
                    "properties": {
                        k: row[k]
                        for k in (
                            "village_code",
                            "village",
                            "outside",
                            "shelter_capacity_ok",
                            "fire_ok",
                            "fire_time_s",
                            "places_needed",
                            "places_within_radius",
                        )
                    },
                }
            )
    else:
        raise NotFound(MAP_LAYER_MISSING)
    return {"type": "FeatureCollection", "features": features}


COVERAGE_COLUMNS = [
    excel.Column("township", "镇（街道）"),
    excel.Column("village_code", "村（社区）代码"),
    excel.Column("village", "村（社区）"),
    excel.Column("population", "人口", kind="int"),
    excel.Column("places_needed", "应备避难位", kind="int"),
    excel.Column("shelter_1", "最近避难场所"),
    excel.Column("shelter_1_m", "步行距离（米）", kind="int"),
    excel.Column("places_within_radius", "服务半径内避难位", kind="int"),
    excel.Column("shelter_in_radius", "在服务半径内", kind="bool"),
    excel.Column("shelter_capacity_ok", "容量满足", kind="bool"),
    excel.Column("fire_station", "最近消防站"),
    excel.Column("fire_time_s", "消防到达（秒）", kind="int"),
    excel.Column("fire_ok", "消防时间达标", kind="bool"),
    excel.Column("team", "最近救援队伍"),
    excel.Column("team_time_s", "队伍到达（秒）", kind="int"),
]


def coverage_export(*, db: Session, actor: Actor) -> bytes:
    result = coverage(db=db, actor=actor)
    rows = []
    for r in result["rows"]:
        first = r["nearest_shelters"][0] if r["nearest_shelters"] else {}
        rows.append({**r, "shelter_1": first.get("name"), "shelter_1_m": first.get("distance_m")})
    return excel.export(COVERAGE_COLUMNS, rows, title="覆盖分析")
