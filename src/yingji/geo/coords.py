"""Coordinate systems a base map or an imported file may use. Yingji stores WGS84 (what GPS and the
national standards' data exchange use). Maps from Chinese web providers (高德, 腾讯 and most "GCJ-02"
tile servers) are drawn in GCJ-02, the offset system required by the surveying regulations; data drawn
on them must be moved the same way, or every point lies 300–600 m off.

The forward transform is the published GCJ-02 formula (Krasovsky 1940 ellipsoid constants); the
inverse is found by fixed-point iteration to better than 1e-7° (about 1 cm), since GCJ-02 has no
closed-form inverse. Outside China's bounding box both are the identity, as the providers do.
The same formula runs in the browser (``web/static/js/map-coords.js``) for the map's data layers."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

WGS84 = "wgs84"
GCJ02 = "gcj02"
SYSTEMS = (WGS84, GCJ02)

_A = 6378245.0  # semi-major axis of the Krasovsky ellipsoid, as in the published formula
_EE = 0.00669342162296594323  # its first eccentricity squared


def out_of_china(lon: float, lat: float) -> bool:
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _d_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _d_lon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if out_of_china(lon, lat):
        return lon, lat
    d_lat = _d_lat(lon - 105.0, lat - 35.0)
    d_lon = _d_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    if out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        wlon, wlat = wlon - dlon, wlat - dlat
        if abs(dlon) < 1e-9 and abs(dlat) < 1e-9:
            break
    return wlon, wlat


def converter(source: str, target: str) -> Callable[[float, float], tuple[float, float]] | None:
    """The point transform from ``source`` to ``target``, or None when they are the same system."""
    if source == target:
        return None
    if (source, target) == (GCJ02, WGS84):
        return gcj02_to_wgs84
    if (source, target) == (WGS84, GCJ02):
        return wgs84_to_gcj02
    raise ValueError(f"unknown coordinate systems {source} → {target}")


def transform_geometry(geometry: dict[str, Any], fn: Callable[[float, float], tuple[float, float]]) -> dict[str, Any]:
    """A copy of a GeoJSON geometry with every position passed through ``fn``."""

    def walk(c: Any) -> Any:
        if c and isinstance(c[0], int | float):
            x, y = fn(float(c[0]), float(c[1]))
            return [round(x, 7), round(y, 7), *c[2:]]
        return [walk(p) for p in c]

    if geometry.get("type") == "GeometryCollection":
        return {**geometry, "geometries": [transform_geometry(g, fn) for g in geometry.get("geometries", [])]}
    return {**geometry, "coordinates": walk(geometry.get("coordinates") or [])}
