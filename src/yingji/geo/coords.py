"""Coordinate systems a base map or an imported file may use. Yingji stores WGS84 (what GPS and the
national standards' data exchange use). Maps from Chinese web providers (高德, 腾讯 and most "GCJ-02"
tile servers) are drawn in GCJ-02, the offset system required by the surveying regulations; data drawn
on them must be moved the same way, or every point lies 300–600 m off.

The forward transform (``core/crs``) is the published GCJ-02 formula (Krasovsky 1940 ellipsoid constants); the
inverse is found by fixed-point iteration to better than 1e-7° (about 1 cm), since GCJ-02 has no
closed-form inverse. Outside China's bounding box both are the identity, as the providers do.
The same formula runs in the browser (``web/static/js/map-coords.js``) for the map's data layers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from yingji.core import crs
from yingji.core.crs import gcj02_to_wgs84, wgs84_to_gcj02

__all__ = ["GCJ02", "SYSTEMS", "WGS84", "converter", "gcj02_to_wgs84", "out_of_china", "transform_geometry",
           "wgs84_to_gcj02"]

WGS84 = "wgs84"
GCJ02 = "gcj02"
SYSTEMS = (WGS84, GCJ02)

# The formula itself lives in the shared kernel (``core/crs``), which the imports of every capability use.
out_of_china = crs.out_of_china


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
