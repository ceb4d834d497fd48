"""Nearest resources and coverage analysis over the road graph (``geo.routing``): travel times and walking
distances along roads, never straight lines."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, region_in_scope, require
from yingji.core.errors import invalid
from yingji.geo import service as geo_service
from yingji.resources import standards
from yingji.resources.enums import (
    AVAILABLE_STATUSES,
    SHELTER_LEVEL_LABELS,
    Approval,
    NearestKind,
    ShelterCondition,
    TeamKind,
)
from yingji.resources.models import Material, Shelter, StockBalance, Team, Warehouse
from yingji.resources.service.common import read_condition

MAX_K = 50


def _available_teams(db: Session, actor: Actor, *, team_kind: str | None = None, speciality: str | None = None):
    q = select(Team).where(
        read_condition(actor, Team.region_path, Team.enterprise_id),
        Team.approval == Approval.approved,
        Team.status.in_(list(AVAILABLE_STATUSES)),
        Team.planned.is_(False),
        Team.lon.is_not(None),
    )
    if team_kind:
        q = q.where(Team.kind == team_kind)
    if speciality:
        q = q.where(Team.speciality == speciality)
    return list(db.scalars(q.order_by(Team.id)))


def _usable_shelters(db: Session, actor: Actor) -> list[Shelter]:
    return list(
        db.scalars(
            select(Shelter)
            .where(read_condition(actor, Shelter.region_path), Shelter.condition != ShelterCondition.retire)
            .order_by(Shelter.id)
        )
    )


def nearest(
    *,
    db: Session,
    actor: Actor,
    lon: float,
    lat: float,
    kind: str,
    k: int = 5,
    material_id: int | None = None,
    min_quantity: float = 0,
    team_kind: str | None = None,
    speciality: str | None = None,
    mode: str | None = None,
) -> dict[str, Any]:
    """The k nearest available teams, warehouses holding a material, or shelters with free places, ranked
    by travel time over the road graph. Shelters are reached on foot unless ``mode="drive"``."""
    require(actor, "resources.read")
    if not -180 <= lon <= 180:
        raise invalid("lon", "经度须在 -180 到 180 之间")
    if not -90 <= lat <= 90:
        raise invalid("lat", "纬度须在 -90 到 90 之间")
    if kind not in NearestKind.__members__:
        raise invalid("kind", "kind 须为 team、warehouse 或 shelter")
    if not 1 <= k <= MAX_K:
        raise invalid("k", f"k 须在 1 到 {MAX_K} 之间")
    if mode not in (None, "drive", "walk"):
        raise invalid("mode", "mode 须为 drive 或 walk")
    candidates: list[tuple[Any, dict[str, Any]]] = []
    if kind == NearestKind.team:
        for t in _available_teams(db, actor, team_kind=team_kind, speciality=speciality):
            candidates.append(
                (
                    t,
                    {
                        "team_kind": t.kind,
                        "speciality": t.speciality,
                        "status": t.status,
                        "contact_phone": t.contact_phone,
                    },
                )
            )
    elif kind == NearestKind.warehouse:
        if material_id is None:
            raise invalid("material_id", "查询仓库时须指定物资 material_id")
        material = db.get(Material, material_id)
        if material is None:
            raise invalid("material_id", "物资不存在")
        from sqlalchemy import func

        rows = db.execute(
            select(Warehouse, func.sum(StockBalance.quantity))
            .join(StockBalance, StockBalance.warehouse_id == Warehouse.id)
            .where(
                read_condition(actor, Warehouse.region_path),
                StockBalance.material_id == material_id,
                Warehouse.lon.is_not(None),
            )
            .group_by(Warehouse.id)
        ).all()
        for w, qty in rows:
            if qty is not None and qty > 0 and float(qty) >= min_quantity:
                candidates.append((w, {"material": material.name, "unit": material.unit, "quantity": str(qty)}))
    else:
        for s in _usable_shelters(db, actor):
            if s.capacity - s.occupancy > 0:
                candidates.append(
                    (
                        s,
                        {
                            "level": s.level,
                            "capacity": s.capacity,
                            "free_places": s.capacity - s.occupancy,
                            "open": s.open,
                            "phone": s.phone,
                            "address": s.address,
                        },
                    )
                )
    mode = mode or ("walk" if kind == NearestKind.shelter else "drive")
    graph = geo_service.road_graph(db)
    routes = graph.nearest(lon, lat, [(c.lon, c.lat) for c, _ in candidates], k=k, mode=mode) if candidates else []
    items = [
        {
            "kind": kind,
            "id": candidates[r.index][0].id,
            "name": candidates[r.index][0].name,
            "lon": candidates[r.index][0].lon,
            "lat": candidates[r.index][0].lat,
            "travel_time_s": round(r.travel_time_s),
            "distance_m": round(r.distance_m),
            "detail": {**candidates[r.index][1], "mode": mode},
        }
        for r in routes
    ]
    return {
        "items": items,
        "road_graph": {"source": graph.source, "generated": graph.source == geo_service.GENERATED, "nodes": graph.n},
    }


def coverage(*, db: Session, actor: Actor, shelters_per_village: int = 3) -> dict[str, Any]:
    """For every village the actor can see: the nearest shelters on foot and whether those within their
    service radius hold the places the standard asks of its population; the nearest fire station and the
    nearest other team by driving time, each against its target."""
    require(actor, "resources.read")
    villages = [
        v
        for v in geo_service.region_infos(db=db, level="village")
        if v.centroid and (actor.enterprise_id is None and region_in_scope(actor, v.path))
    ]
    names = {r.path: r.name for r in geo_service.region_infos(db=db, level="township")}
    shelters = _usable_shelters(db, actor)
    teams = _available_teams(db, actor)
    stations = [t for t in teams if t.kind == TeamKind.fire_station]
    others = [t for t in teams if t.kind != TeamKind.fire_station]
    graph = geo_service.road_graph(db)
    points = [v.centroid for v in villages]
    share, fire_target, team_target = (
        standards.shelter_population_share(),
        standards.fire_target_s(),
        standards.team_target_s(),
    )
    by_shelter = graph.best(points, [(s.lon, s.lat) for s in shelters], k=max(len(shelters), 1), mode="walk")
    by_station = graph.best(points, [(t.lon, t.lat) for t in stations], mode="drive", towards_origins=True)
    by_team = graph.best(points, [(t.lon, t.lat) for t in others], mode="drive", towards_origins=True)
    rows = []
    for i, v in enumerate(villages):
        near = [(shelters[r.index], r) for r in by_shelter[i]]
        within = [(s, r) for s, r in near if r.distance_m <= standards.service_radius_m(s.level)]
        places = sum(s.capacity for s, _ in within)
        needed = standards.places_needed(v.population, share)
        fire = by_station[i][0] if by_station[i] else None
        team = by_team[i][0] if by_team[i] else None
        rows.append(
            {
                "village_code": v.code,
                "village": v.name,
                "township": names.get(v.path.rsplit("/", 1)[0], ""),
                "lon": v.centroid[0],
                "lat": v.centroid[1],
                "population": v.population,
                "places_needed": needed,
                "nearest_shelters": [
                    {
                        "id": s.id,
                        "name": s.name,
                        "level": SHELTER_LEVEL_LABELS.get(s.level, s.level),
                        "capacity": s.capacity,
                        "distance_m": round(r.distance_m),
                        "walk_time_s": round(r.travel_time_s),
                        "radius_m": standards.service_radius_m(s.level),
                    }
                    for s, r in near[:shelters_per_village]
                ],
                "places_within_radius": places,
                "shelter_in_radius": bool(within),
                "shelter_capacity_ok": places >= needed,
                "fire_station": stations[fire.index].name if fire else None,
                "fire_time_s": round(fire.travel_time_s) if fire else None,
                "fire_distance_m": round(fire.distance_m) if fire else None,
                "fire_ok": bool(fire and fire.travel_time_s <= fire_target),
                "team": others[team.index].name if team else None,
                "team_time_s": round(team.travel_time_s) if team else None,
                "team_ok": bool(team and team.travel_time_s <= team_target),
            }
        )
    for row in rows:  # outside: no usable shelter within its service radius on foot
        row["outside"] = not row["shelter_in_radius"]
    return {
        "rows": rows,
        "targets": {"fire_time_s": fire_target, "team_time_s": team_target, "shelter_population_share": share},
        "road_graph": {"source": graph.source, "generated": graph.source == geo_service.GENERATED, "nodes": graph.n},
    }


def import_roads(*, db: Session, name: str, data: bytes, actor: Actor | None = None) -> int:
    """Replaces the road graph from an ``.osm`` or ``.geojson`` file (all or nothing)."""
    if actor is not None:
        require(actor, "resources.catalogue")
    rows = geo_service.edges_from_file(name, data)
    return geo_service.replace_edges(db, rows)
