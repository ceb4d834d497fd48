"""Coordinate systems of imported geodata, brought to WGS84 lon/lat (what every table keeps).

A CRS is said as an EPSG code (``EPSG:4490`` CGCS2000, ``EPSG:4549`` a CGCS2000 3-degree Gauss-Krüger zone,
…), a WKT or PROJ string (a shapefile's .prj), or ``GCJ-02`` — the offset lon/lat of Chinese web maps (高德,
腾讯), which PROJ does not know. PROJ (pyproj) converts the first kind; GCJ-02 uses the published
obfuscation formula (the WGS84 → GCJ-02 direction is closed-form; GCJ-02 → WGS84 inverts it by fixed-point
iteration to well under a centimetre). Outside China GCJ-02 equals WGS84.

CGCS2000 (EPSG:4490) and WGS84 differ by a few centimetres at most: PROJ treats them as the same datum."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from yingji.core.errors import invalid

GCJ02 = "GCJ-02"
_GCJ_NAMES = {"gcj02", "gcj-02", "gcj_02", "gcj", "火星坐标", "国测局坐标"}
# Krasovsky 1940 ellipsoid, as the GCJ-02 formula uses it.
_A = 6378245.0
_EE = 0.00669342162296594323


@dataclass(frozen=True)
class SaidCrs:
    """A coordinate system as said on import: its label for people and what converts it."""

    label: str
    gcj02: bool = False
    crs: CRS | None = None

    @property
    def is_wgs84_like(self) -> bool:
        """Geographic lon/lat on the WGS84 or CGCS2000 datum (a file's default that GCJ-02 may override)."""
        return self.crs is not None and self.crs.to_epsg() in (4326, 4490, 4979, 4480)


def parse(text: str, *, field: str = "crs") -> SaidCrs:
    """``EPSG:4490``, ``4490``, ``GCJ-02``, ``WGS84``, ``CGCS2000``, a WKT or PROJ string."""
    said = (text or "").strip()
    if not said:
        raise invalid(field, "请填写坐标系")
    if said.lower() in _GCJ_NAMES:
        return SaidCrs(GCJ02, gcj02=True)
    alias = {"wgs84": "EPSG:4326", "wgs-84": "EPSG:4326", "cgcs2000": "EPSG:4490"}.get(said.lower(), said)
    if alias.isdigit():
        alias = f"EPSG:{alias}"
    try:
        crs = CRS.from_user_input(alias)
    except CRSError:
        raise invalid(field, f"无法识别的坐标系：{said[:60]}") from None
    return from_crs(crs)


def from_crs(crs: CRS) -> SaidCrs:
    epsg = crs.to_epsg()
    label = f"EPSG:{epsg} {crs.name}" if epsg else crs.name
    return SaidCrs(label, crs=crs)


@cache
def _to_wgs84(crs_wkt: str) -> Transformer:
    return Transformer.from_crs(CRS.from_wkt(crs_wkt), CRS.from_epsg(4326), always_xy=True)


def out_of_china(lon: float, lat: float) -> bool:
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset(lon: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 shift (dlon, dlat) in degrees at a WGS84 point."""
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
            + (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
            + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """The WGS84 point whose GCJ-02 image is (lon, lat), by fixed-point iteration (< 1e-9° after a few steps)."""
    if out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = glon - lon, glat - lat
        wlon, wlat = wlon - elon, wlat - elat
        if abs(elon) < 1e-10 and abs(elat) < 1e-10:
            break
    return wlon, wlat


def to_wgs84(geom: Any, said: SaidCrs) -> Any:
    """A Shapely geometry in ``said`` as a Shapely geometry in WGS84 lon/lat."""
    if said.gcj02:
        return shapely.transform(geom, lambda xy: _vector(gcj02_to_wgs84, xy))
    assert said.crs is not None
    if said.crs.to_epsg() in (4326, 4490):
        return geom
    t = _to_wgs84(said.crs.to_wkt())
    return shapely.transform(geom, lambda xy: _stack(*t.transform(xy[:, 0], xy[:, 1])))


def _vector(fn: Any, xy: Any) -> Any:
    import numpy as np

    return np.array([fn(float(x), float(y)) for x, y in xy]).reshape(-1, 2)


def _stack(x: Any, y: Any) -> Any:
    import numpy as np

    return np.column_stack([x, y])
