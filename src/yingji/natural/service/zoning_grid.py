"""Risk zoning per grid cell (issue 16 point 5), beside the zoning per village: the hazard points and
areas in service, the census population, houses, schools and hospitals and the census capacity sites
(shelters, teams, warehouses) gathered per cell (``natural/grid.py``) and scored by ``zoning.cell_risk``
with the method of ``data/zoning.toml``."""

from __future__ import annotations

from typing import Any

from shapely.geometry import Point, mapping, shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require, scope_condition
from yingji.natural.grid import Grid, meridian_for
from yingji.natural.models import CensusFeature, HazardPoint, Monitor
from yingji.natural.service.points import point_geometry
from yingji.natural.zoning import PointFacts, cell_risk, method

IN_SERVICE = ("monitored", "treating")


def _grid(rows: list[HazardPoint], m: dict[str, Any]) -> Grid:
    lon = sum(p.lon for p in rows) / len(rows) if rows else 108.0
    return Grid(meridian_for(lon), float(m["grid"]["cell_m"]))


def zoning_cells(*, db: Session, actor: Actor) -> dict[str, Any]:
    """Each cell meeting a point in service (in the actor's scope), its risk per category and combined
    level, as GeoJSON of the cells (the 一张图 layer, its GeoJSON export and the map picture)."""
    require(actor, "natural.read")
    m = method()
    g = m["grid"]
    rows = db.scalars(select(HazardPoint).where(scope_condition(actor, HazardPoint.region_path),
                                                HazardPoint.status.in_(IN_SERVICE)).order_by(HazardPoint.id)).all()
    if not rows:
        return {"type": "FeatureCollection", "features": [], "cell_m": g["cell_m"]}
    watched = set(db.scalars(select(Monitor.point_id).where(Monitor.point_id.in_([p.id for p in rows]))))
    grid = _grid(rows, m)
    facts: dict[tuple[int, int], list[PointFacts]] = {}
    for p in rows:
        for cell in grid.cells_meeting(grid.to_plane(point_geometry(p))):
            facts.setdefault(cell, []).append(PointFacts(p.category, p.danger_grade, p.fire_danger_level, p.people,
                                                         p.id in watched))
    residents: dict[tuple[int, int], float] = {}
    sensitive: dict[tuple[int, int], int] = {}
    capacity: list[Point] = []
    census = db.scalars(select(CensusFeature).where(scope_condition(actor, CensusFeature.region_path))).all()
    for f in census:
        if f.kind in ("population", "house"):
            people = float(f.values.get("population" if f.kind == "population" else "residents") or 0)
            plane = grid.to_plane(shape(f.geometry))
            if plane.geom_type in ("Polygon", "MultiPolygon") and plane.area > 0:
                for cell in grid.cells_meeting(plane):
                    if cell in facts:
                        share = grid.cell(*cell).intersection(plane).area / plane.area
                        residents[cell] = residents.get(cell, 0.0) + people * share
            else:
                cell = next(grid.cells_meeting(grid.to_plane(Point(f.lon, f.lat))))
                residents[cell] = residents.get(cell, 0.0) + people
        elif f.kind in g["sensitive_kinds"]:
            cell = next(grid.cells_meeting(grid.to_plane(Point(f.lon, f.lat))))
            sensitive[cell] = sensitive.get(cell, 0) + 1
        elif f.kind in g["capacity_kinds"]:
            capacity.append(grid.to_plane(Point(f.lon, f.lat)))
    radius = float(g["capacity_radius_m"])
    features = []
    for (i, j), mine in sorted(facts.items()):
        centre = grid.cell(i, j).centroid
        near = any(centre.distance(c) <= radius for c in capacity)
        people = residents.get((i, j))
        risks, combined = cell_risk(mine, residents=round(people) if people is not None else None,
                                    sensitive=sensitive.get((i, j), 0), capacity_near=near, m=m)
        features.append({"type": "Feature", "geometry": mapping(grid.cell_lonlat(i, j)), "properties": {
            "code": grid.code(i, j), "name": f"网格 {grid.code(i, j)}", "level": combined, "points": len(mine),
            "residents": round(people) if people is not None else None, "sensitive": sensitive.get((i, j), 0),
            "capacity_near": near,
            "categories": [{"category": r.category, "hazard": r.hazard, "exposure": r.exposure,
                            "vulnerability": r.vulnerability, "score": r.score, "level": r.level} for r in risks]}})
    return {"type": "FeatureCollection", "features": features, "cell_m": g["cell_m"]}


LEVEL_COLOURS = {"red": (192, 57, 43), "orange": (230, 126, 34), "yellow": (241, 196, 15), "blue": (41, 128, 185)}
LEVEL_LABELS = {"red": "高风险", "orange": "较高风险", "yellow": "中风险", "blue": "低风险"}


def zoning_picture(*, db: Session, actor: Actor, by: str = "cell") -> bytes:
    """The zoning as a map picture (PNG, drawn on the server): the township outlines, the villages or
    cells coloured by combined level, and the legend."""
    from yingji.core.mapdraw import LegendEntry, MapPicture, Overlay, draw
    from yingji.geo import service as geo_service
    from yingji.natural.service.figures import zoning

    layer = zoning_cells(db=db, actor=actor) if by == "cell" else zoning(db=db, actor=actor)
    overlays = []
    for level, (r, g, b) in LEVEL_COLOURS.items():
        geoms = [f["geometry"] for f in layer["features"] if f["properties"]["level"] == level]
        if geoms:
            overlays.append(Overlay(geoms, (r, g, b, 150), (r, g, b, 255)))
    root = geo_service.root(db=db)
    what = f"{int(method()['grid']['cell_m'])} 米网格" if by == "cell" else "村（社区）"
    title = f"{root.name if root else ''}自然灾害综合风险区划图（{what}）"
    legend = [LegendEntry(LEVEL_LABELS[lv], (*c, 150), (*c, 255)) for lv, c in LEVEL_COLOURS.items()]
    return draw(MapPicture(title=title, base=geo_service.boundaries(db=db, level="township")["features"],
                           overlays=overlays, legend=legend))
