"""Road edges from outside data: an OpenStreetMap extract (``.osm`` XML), a GeoJSON file of LineStrings,
or, for the demo, a generated grid over the district that says so (``source = "generated"``). Each edge
has a length (great-circle, metres) and a driving speed (``maxspeed`` or a default by road class)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from typing import Any

from yingji.core.errors import ErrorDetail, ValidationFailed
from yingji.core.jsonparse import loads
from yingji.geo.distance import EARTH_RADIUS_M, haversine_m
from yingji.geo.models import GENERATED_ROADS as GENERATED

EARTH_R = EARTH_RADIUS_M  # one radius for every distance

# Default speeds (km/h) by OSM highway class when an edge has no maxspeed.
DEFAULT_SPEED_KMH = {
    "motorway": 100,
    "trunk": 80,
    "primary": 60,
    "secondary": 50,
    "tertiary": 40,
    "unclassified": 30,
    "residential": 25,
    "service": 15,
    "track": 15,
    "living_street": 10,
    "path": 5,
    "footway": 5,
}


# --- building edges ------------------------------------------------------------------------------


def _speed(highway: str, maxspeed: Any) -> float:
    try:
        value = float(str(maxspeed).split()[0])
        if value > 0:
            return value
    except (TypeError, ValueError, IndexError):
        pass
    return float(DEFAULT_SPEED_KMH.get(highway, 30))


def _edge(a: tuple[float, float], b: tuple[float, float], highway: str, speed: float, oneway: bool, source: str):
    return {
        "a_lon": round(a[0], 6),
        "a_lat": round(a[1], 6),
        "b_lon": round(b[0], 6),
        "b_lat": round(b[1], 6),
        "length_m": round(haversine_m(a[0], a[1], b[0], b[1]), 2),
        "speed_kmh": speed,
        "highway": highway[:20],
        "oneway": oneway,
        "source": source[:100],
    }


def edges_from_geojson(data: dict[str, Any], *, source: str = "geojson") -> list[dict[str, Any]]:
    """Edges from a FeatureCollection of LineString / MultiLineString roads (properties: highway,
    maxspeed, oneway). Coordinates are WGS84 (convert GCJ-02 data before importing)."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationFailed("路网文件须为 GeoJSON FeatureCollection", details=[ErrorDetail("file", "类型不符")])
    rows, errors = [], []
    for n, feat in enumerate(data.get("features") or []):
        geom, props = (feat or {}).get("geometry") or {}, (feat or {}).get("properties") or {}
        kind = geom.get("type")
        coords = geom.get("coordinates")
        lines = [coords] if kind == "LineString" else (coords if kind == "MultiLineString" else None)
        if not lines:
            errors.append(ErrorDetail(f"features[{n}]", "几何须为 LineString 或 MultiLineString"))
            continue
        highway = str(props.get("highway") or "unclassified")
        speed = _speed(highway, props.get("maxspeed"))
        oneway = str(props.get("oneway", "")).lower() in ("yes", "true", "1")
        for line in lines:
            try:
                pts = [(float(p[0]), float(p[1])) for p in line]
            except (TypeError, ValueError, IndexError):
                errors.append(ErrorDetail(f"features[{n}]", "坐标须为 [经度, 纬度]"))
                break
            if any(not (-180 <= x <= 180 and -90 <= y <= 90) for x, y in pts):
                errors.append(ErrorDetail(f"features[{n}]", "坐标超出经纬度范围"))
                break
            rows += [_edge(p, q, highway, speed, oneway, source) for p, q in zip(pts, pts[1:], strict=False)]
    if errors:
        raise ValidationFailed("路网数据有误，未导入", details=errors[:50])
    return rows


def edges_from_osm_xml(data: bytes, *, source: str = "osm") -> list[dict[str, Any]]:
    """Edges from an OpenStreetMap XML extract: every ``way`` tagged ``highway``."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValidationFailed("无法解析 OSM 文件", details=[ErrorDetail("file", str(exc))]) from None
    nodes = {n.get("id"): (float(n.get("lon")), float(n.get("lat"))) for n in root.iter("node")}
    rows = []
    for way in root.iter("way"):
        tags = {t.get("k"): t.get("v") for t in way.iter("tag")}
        highway = tags.get("highway")
        if not highway:
            continue
        pts = [nodes[r.get("ref")] for r in way.iter("nd") if r.get("ref") in nodes]
        oneway = tags.get("oneway") in ("yes", "true", "1")
        speed = _speed(highway, tags.get("maxspeed"))
        rows += [_edge(p, q, highway, speed, oneway, source) for p, q in zip(pts, pts[1:], strict=False)]
    if not rows:
        raise ValidationFailed("OSM 文件中没有道路（highway）", details=[ErrorDetail("file", "无道路")])
    return rows


def edges_from_file(name: str, data: bytes) -> list[dict[str, Any]]:
    if name.endswith((".geojson", ".json")):
        try:
            parsed = loads(data, field="file", message="JSON 格式错误")
        except ValidationFailed as exc:
            raise ValidationFailed("GeoJSON 无法解析", details=exc.details) from None
        return edges_from_geojson(parsed, source=f"geojson:{name}")
    if name.endswith(".osm"):
        return edges_from_osm_xml(data, source=f"osm:{name}")
    if name.lower().endswith(".zip"):
        from yingji.geo.lines import read_features  # pyshp only when a Shapefile comes

        return edges_from_geojson(read_features(name, data), source=f"shapefile:{name}")
    raise ValidationFailed(
        "只支持 .osm（OpenStreetMap XML）、.geojson 或 .zip（Shapefile）文件", details=[ErrorDetail("file", name)]
    )


def grid_edges(
    *,
    lon0: float,
    lat0: float,
    nx: int,
    ny: int,
    spacing_m: float,
    rng: Any,
    keep: Any = None,
    source: str = GENERATED,
) -> list[dict[str, Any]]:
    """A generated road grid (jittered nodes; every 8th line a 60 km/h road, every 4th 40 km/h, the rest
    25 km/h). ``keep(lon, lat)`` drops nodes outside an area. For the demo and benchmarks only."""
    dlat = spacing_m / 111_195.0
    dlon = dlat / math.cos(math.radians(lat0))
    pts: dict[tuple[int, int], tuple[float, float]] = {}
    for i in range(nx):
        for j in range(ny):
            lon = lon0 + i * dlon + rng.uniform(-0.2, 0.2) * dlon
            lat = lat0 + j * dlat + rng.uniform(-0.2, 0.2) * dlat
            if keep is None or keep(lon, lat):
                pts[(i, j)] = (lon, lat)

    def cls(line: int) -> tuple[str, float]:
        if line % 8 == 0:
            return "primary", 60.0
        if line % 4 == 0:
            return "secondary", 40.0
        return "residential", 25.0

    rows = []
    for (i, j), p in pts.items():
        if (q := pts.get((i + 1, j))) is not None:
            hw, sp = cls(j)
            rows.append(_edge(p, q, hw, sp, False, source))
        if (q := pts.get((i, j + 1))) is not None:
            hw, sp = cls(i)
            rows.append(_edge(p, q, hw, sp, False, source))
    return rows
