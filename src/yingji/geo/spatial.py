"""Point-in-region and polygon-intersects-region over an STRtree of region shapes.

"Contains" includes the boundary (``covers``), so a point exactly on the line between two villages
belongs to both; callers that need one answer take the first by code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep


@dataclass(frozen=True)
class IndexedRegion:
    id: int
    code: str
    level: str
    geometry: BaseGeometry


class RegionIndex:
    def __init__(self, regions: list[tuple[int, str, str, dict[str, Any]]]) -> None:
        self.regions = [IndexedRegion(i, c, lv, shape(g)) for i, c, lv, g in regions if g]
        self._tree = STRtree([r.geometry for r in self.regions])
        self._prepared = [prep(r.geometry) for r in self.regions]

    def containing(self, lon: float, lat: float, *, level: str | None = None) -> list[IndexedRegion]:
        point = Point(lon, lat)
        hits = self._tree.query(point)
        found = [self.regions[i] for i in hits if self._prepared[i].covers(point)]
        if level:
            found = [r for r in found if r.level == level]
        return sorted(found, key=lambda r: r.code)

    def intersecting(self, geom: BaseGeometry, *, level: str | None = None) -> list[IndexedRegion]:
        hits = self._tree.query(geom, predicate="intersects")
        found = [self.regions[i] for i in hits]
        if level:
            found = [r for r in found if r.level == level]
        return sorted(found, key=lambda r: r.code)
