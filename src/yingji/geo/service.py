"""Geography use cases: the region tree, boundaries and spatial look-ups."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any

from shapely.geometry import Point, Polygon, shape
from shapely.validation import explain_validity
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core import layercache
from yingji.core.actor import Actor, require
from yingji.core.errors import ErrorDetail, NotFound, ValidationFailed, invalid
from yingji.core.pagination import PageParams, paginate
from yingji.core.search import matches
from yingji.geo.distance import EARTH_RADIUS_M, haversine_m
from yingji.geo.enums import LEVEL_ORDER, RegionLevel
from yingji.geo.models import Region
from yingji.geo.places import Place
from yingji.geo.places import provider as place_provider
from yingji.geo.roads import edges_from_file, grid_edges
from yingji.geo.routing import GENERATED, RoadGraph, replace_edges, road_graph  # noqa: F401
from yingji.geo.spatial import IndexedRegion, RegionIndex

# What other capabilities, the shell and the composition root may call: regions and their look-ups, distances, roads
# and travel times, place search.
__all__ = [
    "BOUNDARIES_LAYER", "EARTH_RADIUS_M", "GENERATED", "Place", "RegionInfo", "TOWNSHIP_OR_VILLAGE", "boundaries",
    "cell_codes", "counts_by_level",
    "edges_from_file", "get_region", "grid_edges", "haversine_m", "intersecting", "load_shipped_district", "locate",
    "place_provider", "polygon_from_ring", "random_point_in", "region_info", "region_infos", "region_of",
    "replace_edges", "road_graph", "root",
]


@dataclass(frozen=True)
class RegionInfo:
    """What other capabilities get to know of a region (they never see the table)."""

    id: int
    code: str
    name: str
    level: str
    path: str
    population: int
    parent_id: int | None
    centroid: tuple[float, float] | None


def _info(r: Region) -> RegionInfo:
    centroid = (r.centroid_lon, r.centroid_lat) if r.centroid_lon is not None else None
    return RegionInfo(r.id, r.code, r.name, r.level, r.path, r.population, r.parent_id, centroid)


# --- reading -------------------------------------------------------------------------------------


def get_region(*, db: Session, code: str) -> Region:
    region = db.scalar(select(Region).where(Region.code == code))
    if region is None:
        raise NotFound(f"区域 {code} 不存在")
    return region


def region_info(*, db: Session, region_id: int | None = None, code: str | None = None) -> RegionInfo:
    region = db.get(Region, region_id) if region_id is not None else None
    if code is not None:
        region = db.scalar(select(Region).where(Region.code == code))
    if region is None:
        raise NotFound(f"区域 {code or region_id} 不存在")
    return _info(region)


def region_infos(*, db: Session, level: str | None = None) -> list[RegionInfo]:
    q = select(Region).order_by(Region.code)
    if level:
        q = q.where(Region.level == level)
    return [_info(r) for r in db.scalars(q)]


def list_regions(
    *,
    db: Session,
    actor: Actor,
    level: str | None = None,
    parent_code: str | None = None,
    q: str | None = None,
    page: PageParams,
) -> tuple[list[Region], int]:
    require(actor, "geo.read")
    query = select(Region).order_by(Region.code)
    if level:
        if level not in RegionLevel.__members__:
            raise invalid("level", f"未知层级 {level}，可选：{', '.join(RegionLevel)}")
        query = query.where(Region.level == level)
    if parent_code:
        parent = get_region(db=db, code=parent_code)
        query = query.where(Region.parent_id == parent.id)
    if q:
        query = query.where(matches(q, within=[Region.name], prefix=[Region.code]))
    return paginate(db, query, page)


def children(*, db: Session, region_id: int | None) -> list[Region]:
    return list(db.scalars(select(Region).where(Region.parent_id == region_id).order_by(Region.code)))


def root(*, db: Session) -> Region | None:
    return db.scalar(select(Region).where(Region.parent_id.is_(None)).order_by(Region.id))


# The boundary layers' name in ``core.layercache``: a population set or a district loaded moves them on.
BOUNDARIES_LAYER = "boundaries"


def boundaries(*, db: Session, level: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of every region at ``level``."""
    regions = db.scalars(select(Region).where(Region.level == level).order_by(Region.code))
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": r.code,
                "properties": {
                    "code": r.code,
                    "name": r.name,
                    "level": r.level,
                    "population": r.population,
                    "approximate": r.approximate,
                    "centroid_lon": r.centroid_lon,
                    "centroid_lat": r.centroid_lat,
                },
                "geometry": r.geometry,
            }
            for r in regions
            if r.geometry
        ],
    }


def counts_by_level(*, db: Session) -> dict[str, int]:
    rows = db.execute(select(Region.level, func.count()).group_by(Region.level)).all()
    found = dict(rows)
    return {lvl.value: found.get(lvl.value, 0) for lvl in LEVEL_ORDER}


# --- spatial -------------------------------------------------------------------------------------

_index_lock = threading.Lock()
_index_cache: dict[tuple[str, int, int | None], RegionIndex] = {}


def _index(db: Session) -> RegionIndex:
    """The STRtree of all regions, rebuilt when the set of regions changes."""
    count, max_id = db.execute(select(func.count(Region.id), func.max(Region.id))).one()
    key = (str(db.get_bind().engine.url), count, max_id)
    with _index_lock:
        idx = _index_cache.get(key)
        if idx is None:
            rows = db.execute(select(Region.id, Region.code, Region.level, Region.geometry)).all()
            idx = RegionIndex([tuple(r) for r in rows])
            _index_cache.clear()
            _index_cache[key] = idx
        return idx


def _check_lon_lat(lon: float, lat: float) -> None:
    if not -180 <= lon <= 180:
        raise invalid("lon", "经度须在 -180 到 180 之间")
    if not -90 <= lat <= 90:
        raise invalid("lat", "纬度须在 -90 到 90 之间")


def locate(*, db: Session, lon: float, lat: float, level: str | None = None) -> list[RegionInfo]:
    """Regions containing the point (boundary included), outermost first."""
    _check_lon_lat(lon, lat)
    hits = _index(db).containing(lon, lat, level=level)
    return _as_infos(db, hits)


def cell_codes(*, db: Session, points: list[tuple[float, float]], level: str) -> list[str | None]:
    """For each (lon, lat), the code of the region of ``level`` containing it (the first by code on a
    shared boundary), or None: one look-up of the index for all points, no query per point (a map layer
    locating a thousand features must not make a thousand queries)."""
    index = _index(db)
    out: list[str | None] = []
    for lon, lat in points:
        hits = index.containing(lon, lat, level=level)
        out.append(hits[0].code if hits else None)
    return out


TOWNSHIP_OR_VILLAGE = ("township", "village")


def region_of(
    *,
    db: Session,
    region_code: str | None = None,
    lon: float | None = None,
    lat: float | None = None,
    levels: tuple[str, ...] | None = None,
    code_levels: tuple[str, ...] | None = None,
    field: str = "region_code",
    level_message: str = "所属区域的层级不符合要求",
    missing_message: str = "请填写所属区域，或提供经纬度",
    outside_field: str = "lon",
    outside_message: str = "该坐标不在本区范围内",
) -> RegionInfo:
    """The region of a record, the one way every capability finds it: by code when given (it must exist
    and be of ``code_levels``, by default ``levels``), else the innermost region of ``levels`` under the
    point. Errors name the field; the wording is the caller's where its form says it differently."""
    if region_code:
        try:
            region = region_info(db=db, code=region_code)
        except NotFound:
            raise invalid(field, f"区域 {region_code} 不存在") from None
        allowed = code_levels or levels
        if allowed is not None and region.level not in allowed:
            raise invalid(field, level_message)
        return region
    if lon is None or lat is None:
        raise invalid(field, missing_message)
    hits = [r for r in locate(db=db, lon=lon, lat=lat) if levels is None or r.level in levels]
    if not hits:
        raise invalid(outside_field, outside_message)
    return hits[-1]


def polygon_from_ring(ring: list[list[float]], *, field: str = "polygon") -> Polygon:
    """A GeoJSON-order ring (closed or not) as a valid Shapely polygon, or a clear error."""
    if not isinstance(ring, list) or len(ring) < 3:
        raise invalid(field, "多边形至少需要 3 个顶点")
    for i, pt in enumerate(ring):
        if not (isinstance(pt, list | tuple) and len(pt) == 2 and all(isinstance(v, int | float) for v in pt)):
            raise invalid(f"{field}[{i}]", "顶点须为 [经度, 纬度]")
        _check_lon_lat(float(pt[0]), float(pt[1]))
    poly = Polygon(ring)
    if not poly.is_valid:
        raise invalid(field, f"多边形无效：{explain_validity(poly)}")
    return poly


def intersecting(*, db: Session, geometry: Any, level: str | None = None) -> list[RegionInfo]:
    """Regions that the geometry (a Shapely geometry or a GeoJSON dict) touches or overlaps."""
    geom = shape(geometry) if isinstance(geometry, dict) else geometry
    hits = _index(db).intersecting(geom, level=level)
    return _as_infos(db, hits)


def _as_infos(db: Session, hits: list[IndexedRegion]) -> list[RegionInfo]:
    if not hits:
        return []
    regions = {r.id: r for r in db.scalars(select(Region).where(Region.id.in_([h.id for h in hits])))}
    infos = [_info(regions[h.id]) for h in hits]
    return sorted(infos, key=lambda i: (LEVEL_ORDER.index(RegionLevel(i.level)), i.code))


# --- writing -------------------------------------------------------------------------------------


def set_population(*, db: Session, actor: Actor, code: str, population: int) -> Region:
    require(actor, "geo.write")
    if population < 0:
        raise invalid("population", "人口不能为负数")
    region = get_region(db=db, code=code)
    region.population = population
    db.flush()
    layercache.bump(db, BOUNDARIES_LAYER)
    return region


def load_geojson(*, db: Session, district: dict[str, Any], regions: dict[str, Any]) -> int:
    """Loads a district boundary Feature and a FeatureCollection of its sub-regions (parents first).
    Returns the number of regions created. Refuses the whole file on any bad feature."""
    props = regions.get("properties") or {}
    features = [
        {
            "properties": {**props, **district.get("properties", {}), "level": "district", "approximate": False},
            "geometry": district["geometry"],
        },
        *regions["features"],
    ]
    errors: list[ErrorDetail] = []
    by_code: dict[str, Region] = {}
    for n, feat in enumerate(features):
        p = feat.get("properties") or {}
        code, level = p.get("code"), p.get("level")
        if not code or level not in RegionLevel.__members__:
            errors.append(ErrorDetail(f"features[{n}]", "缺少 code 或 level 无效"))
            continue
        geom = shape(feat["geometry"]) if feat.get("geometry") else None
        if geom is not None and not geom.is_valid:
            errors.append(ErrorDetail(f"features[{n}]", f"{code}: 几何无效"))
            continue
        parent = by_code.get(p.get("parent_code") or "")
        if level != "district" and parent is None:
            errors.append(ErrorDetail(f"features[{n}]", f"{code}: 上级 {p.get('parent_code')} 不存在"))
            continue
        region = Region(
            code=code,
            name=p.get("name", code),
            level=level,
            parent_id=parent.id if parent else None,
            path=f"{parent.path}/{code}" if parent else code,
            population=int(p.get("population") or 0),
            approximate=bool(p.get("approximate", False)),
            kind=p.get("kind"),
            geometry=feat.get("geometry"),
            centroid_lon=round(geom.representative_point().x, 6) if geom is not None else None,
            centroid_lat=round(geom.representative_point().y, 6) if geom is not None else None,
        )
        db.add(region)
        db.flush()
        by_code[code] = region
    if errors:
        raise ValidationFailed("区域数据有误，未导入任何区域", details=errors)
    layercache.bump(db, BOUNDARIES_LAYER)
    return len(by_code)


def load_shipped_district(*, db: Session, name: str = "liujiang") -> int:
    """Loads the boundary data shipped in ``geo/data`` (see its SOURCES.md)."""
    data = resources.files("yingji.geo") / "data"
    district = json.loads((data / f"{name}_district.geojson").read_text(encoding="utf-8"))
    if district.get("type") == "FeatureCollection":
        district = district["features"][0]
    regions = json.loads((data / f"{name}_regions.geojson").read_text(encoding="utf-8"))
    return load_geojson(db=db, district=district, regions=regions)


def random_point_in(*, db: Session, code: str, rng: Any) -> tuple[float, float]:
    """A uniformly random point inside a region (demo data generation; ``rng`` is a random.Random)."""
    geom = shape(get_region(db=db, code=code).geometry)
    minx, miny, maxx, maxy = geom.bounds
    for _ in range(1000):
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if geom.contains(Point(lon, lat)):
            return round(lon, 6), round(lat, 6)
    p = geom.representative_point()
    return round(p.x, 6), round(p.y, 6)
