"""Coverage as pure geometry (issue 16 point 6): the share of the forest within the range of cameras,
lookouts and patrol routes, and the uncovered part. Works in metres on a local plane: a county spans well
under a degree, where an equirectangular projection about the area's centre keeps areas within a fraction
of a percent, so no projection library is needed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON_EQUATOR = 111_320.0


@dataclass(frozen=True)
class Plane:
    """A local plane about (lon0, lat0): degrees ↔ metres."""

    lon0: float
    lat0: float

    @property
    def kx(self) -> float:
        return M_PER_DEG_LON_EQUATOR * math.cos(math.radians(self.lat0))

    def to_m(self, geom: Any) -> Any:
        scale = np.array([self.kx, M_PER_DEG_LAT])
        return shapely.transform(geom, lambda xy: (xy - np.array([self.lon0, self.lat0])) * scale)

    def to_deg(self, geom: Any) -> Any:
        scale = np.array([self.kx, M_PER_DEG_LAT])
        return shapely.transform(geom, lambda xy: xy / scale + np.array([self.lon0, self.lat0]))


@dataclass(frozen=True)
class Coverage:
    forest_m2: float
    covered_m2: float
    uncovered: Any  # geometry in metres

    @property
    def rate(self) -> float | None:
        return None if self.forest_m2 <= 0 else self.covered_m2 / self.forest_m2


def forest_coverage_m(forests: list[Any], watches: list[tuple[Any, float]]) -> Coverage:
    """Forest polygons and (geometry, range in metres) watches, all in metres: covered area and the rest."""
    forest = unary_union(forests) if forests else None
    if forest is None or forest.is_empty:
        return Coverage(0.0, 0.0, None)
    seen = unary_union([g.buffer(r, quad_segs=64) for g, r in watches if r > 0]) if watches else None
    covered = forest.intersection(seen) if seen is not None and not seen.is_empty else None
    covered_m2 = covered.area if covered is not None else 0.0
    uncovered = forest.difference(seen) if seen is not None and not seen.is_empty else forest
    return Coverage(forest.area, covered_m2, uncovered)


def forest_coverage(forests: list[dict[str, Any]], watches: list[tuple[dict[str, Any], float]]
                    ) -> tuple[Coverage, dict[str, Any] | None]:
    """The same from GeoJSON in WGS84; also the uncovered forest as GeoJSON (WGS84) to draw."""
    shapes = [shape(f) for f in forests]
    if not shapes:
        return Coverage(0.0, 0.0, None), None
    c = unary_union(shapes).centroid
    plane = Plane(c.x, c.y)
    result = forest_coverage_m([plane.to_m(s) for s in shapes], [(plane.to_m(shape(g)), r) for g, r in watches])
    drawn = mapping(plane.to_deg(result.uncovered)) if result.uncovered is not None and not result.uncovered.is_empty \
        else None
    return result, drawn
