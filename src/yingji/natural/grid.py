"""Square grid cells over the district for the zoning per cell: cell_m metres on the CGCS2000 3-degree
Gauss-Krüger plane whose central meridian is nearest the district (pyproj), so the same place always
falls in the same cell and a cell's code (``GK108-0635-2683``: zone meridian, column and row of the
south-west corner in cells) is stable. Geometries come and go as WGS84 lon/lat."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import Polygon, box


@cache
def _transformers(meridian: int) -> tuple[Transformer, Transformer]:
    proj = f"+proj=tmerc +lat_0=0 +lon_0={meridian} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs"
    return (Transformer.from_crs("EPSG:4490", proj, always_xy=True),
            Transformer.from_crs(proj, "EPSG:4490", always_xy=True))


def meridian_for(lon: float) -> int:
    """The central meridian of the 3-degree zone holding ``lon`` (…, 105, 108, 111, …)."""
    return int(3 * round(lon / 3))


@dataclass(frozen=True)
class Grid:
    meridian: int
    cell_m: float

    def to_plane(self, geom: Any) -> Any:
        fwd, _ = _transformers(self.meridian)
        return shapely.transform(geom, lambda xy: _stack(*fwd.transform(xy[:, 0], xy[:, 1])))

    def to_lonlat(self, geom: Any) -> Any:
        _, back = _transformers(self.meridian)
        return shapely.transform(geom, lambda xy: _stack(*back.transform(xy[:, 0], xy[:, 1])))

    def code(self, i: int, j: int) -> str:
        return f"GK{self.meridian}-{i:04d}-{j:04d}"

    def cell(self, i: int, j: int) -> Polygon:
        """The cell on the plane."""
        return box(i * self.cell_m, j * self.cell_m, (i + 1) * self.cell_m, (j + 1) * self.cell_m)

    def cells_meeting(self, plane_geom: Any) -> Iterator[tuple[int, int]]:
        minx, miny, maxx, maxy = plane_geom.bounds
        for i in range(math.floor(minx / self.cell_m), math.floor(maxx / self.cell_m) + 1):
            for j in range(math.floor(miny / self.cell_m), math.floor(maxy / self.cell_m) + 1):
                if plane_geom.geom_type == "Point" or self.cell(i, j).intersects(plane_geom):
                    yield i, j

    def cell_lonlat(self, i: int, j: int) -> Polygon:
        """The cell as a WGS84 polygon (its edges densified so it draws true)."""
        return self.to_lonlat(shapely.segmentize(self.cell(i, j), self.cell_m / 4))


def _stack(x: Any, y: Any) -> Any:
    import numpy as np

    return np.column_stack([x, y])
