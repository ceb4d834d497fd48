"""The area of a warning: a drawn polygon, a circle, or chosen regions; its geometry and the villages it
touches. Targeting is exact at the edge: a point on the polygon's boundary is inside."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from sqlalchemy.orm import Session

from yingji.core.errors import invalid
from yingji.geo import service as geo_service
from yingji.warnings.schemas import MAX_RADIUS_M

EARTH_RADIUS_M = geo_service.EARTH_RADIUS_M
haversine_m = geo_service.haversine_m


@dataclass
class Area:
    kind: str  # polygon / circle / regions
    spec: dict[str, Any]  # normalised, as stored
    geometry: BaseGeometry  # WGS84; for a circle, a 128-gon (the test itself uses the exact distance)
    village_codes: list[str]
    region_path: str
    touches_district: bool
    description: str

    def covers(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Boolean mask of the points inside the area, boundary included."""
        if self.kind == "circle":
            c = self.spec["circle"]
            return haversine_m(c["lon"], c["lat"], lon, lat) <= c["radius_m"] * (1 + 1e-9)
        if not shapely.is_prepared(self.geometry):
            shapely.prepare(self.geometry)  # the tree of edges is built once, not at each chunk
        return shapely.intersects_xy(self.geometry, lon, lat)

    def bbox(self) -> tuple[float, float, float, float]:
        return tuple(self.geometry.bounds)  # type: ignore[return-value]


def circle_polygon(lon: float, lat: float, radius_m: float, n: int = 128) -> Polygon:
    """A polygon slightly outside the circle (for region intersection and maps; never for the point test)."""
    r = radius_m * 1.0005 / math.cos(math.pi / n)
    pts = []
    for k in range(n):
        t = 2 * math.pi * k / n
        d_lat = r * math.sin(t) / EARTH_RADIUS_M
        d_lon = r * math.cos(t) / (EARTH_RADIUS_M * math.cos(math.radians(lat)))
        pts.append((lon + math.degrees(d_lon), lat + math.degrees(d_lat)))
    return Polygon(pts)


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(field, "须为数字")
    return float(value)


def parse_area(*, db: Session, area: Any) -> Area:
    """Validates the area as entered and works out what it touches. Raises ValidationFailed.
    ``{"geometry": GeoJSON}`` is the internal form of an upstream message with several shapes."""
    if isinstance(area, dict) and set(area) == {"geometry"}:
        return _with_villages(db, "geometry", area, shape(area["geometry"]), "")
    if not isinstance(area, dict) or len(area) != 1 or next(iter(area)) not in ("polygon", "circle", "regions"):
        raise invalid("area", '须为 {"polygon": [...]}、{"circle": {...}} 或 {"regions": [...]} 之一')
    kind, value = next(iter(area.items()))
    if kind == "polygon":
        poly = geo_service.polygon_from_ring(value, field="area.polygon")
        ring = [[round(float(x), 7), round(float(y), 7)] for x, y in poly.exterior.coords]
        spec, geom = {"polygon": ring}, Polygon(ring)
    elif kind == "circle":
        if not isinstance(value, dict):
            raise invalid("area.circle", '须为 {"lon", "lat", "radius_m"}')
        lon, lat = _number(value.get("lon"), "area.circle.lon"), _number(value.get("lat"), "area.circle.lat")
        radius = _number(value.get("radius_m"), "area.circle.radius_m")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise invalid("area.circle", "圆心经纬度超出范围")
        if not 0 < radius <= MAX_RADIUS_M:
            raise invalid("area.circle.radius_m", f"半径须大于 0 且不超过 {MAX_RADIUS_M} 米")
        spec, geom = {"circle": {"lon": lon, "lat": lat, "radius_m": radius}}, circle_polygon(lon, lat, radius)
    else:
        if not isinstance(value, list) or not value or not all(isinstance(c, str) for c in value):
            raise invalid("area.regions", "须为非空的区划代码列表")
        shapes, names = [], []
        for code in dict.fromkeys(value):
            try:
                region = geo_service.get_region(db=db, code=code)
            except Exception as exc:  # NotFound → a field error naming the code
                raise invalid("area.regions", f"区划 {code} 不存在") from exc
            if region.geometry:
                shapes.append(shape(region.geometry))
            names.append(region.name)
        if not shapes:
            raise invalid("area.regions", "所选区划没有边界数据")
        spec, geom = {"regions": list(dict.fromkeys(value))}, unary_union(shapes)
        return _with_villages(db, kind, spec, geom, "、".join(names))
    return _with_villages(db, kind, spec, geom, "")


def _with_villages(db: Session, kind: str, spec: dict[str, Any], geom: BaseGeometry, desc: str) -> Area:
    touched = geo_service.intersecting(db=db, geometry=geom)
    villages = [r for r in touched if r.level == "village"]
    if kind == "regions":  # chosen regions: their villages, not the neighbours that share a border
        chosen = spec["regions"]
        villages = [v for v in villages if any(seg in chosen for seg in v.path.split("/"))]
    root = geo_service.root(db=db)
    if villages:
        paths = [v.path.split("/") for v in villages]
        common = []
        for parts in zip(*paths, strict=False):
            if len(set(parts)) != 1:
                break
            common.append(parts[0])
        region_path = "/".join(common) or (root.path if root else "")
    else:
        region_path = root.path if root else ""
    if not desc:
        townships = [r.name for r in touched if r.level == "township"]
        desc = "、".join(townships[:8]) + ("等" if len(townships) > 8 else "") if townships else "辖区外"
    return Area(kind, spec, geom, [v.code for v in villages], region_path, bool(villages), desc)


def geojson(area: Area) -> dict[str, Any]:
    return mapping(area.geometry)
