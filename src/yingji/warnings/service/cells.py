"""Which grid cells (``models.cell_of``) an area holds wholly and which its edge crosses.

A quadtree over the cells of the area's bounding box: a block wholly inside is kept whole, a block
wholly outside is dropped, a block the edge crosses is split, down to single cells. The points of the
cells inside are inside the area without a test; only the points of the edge cells are tested exactly
(``Area.covers``). Each block is tested a little larger than its cells (``SLACK``), because a point's
cell is computed in floating point and may lie an ulp outside the cell's exact bounds: a block called
inside or outside is so for every point the database files under its cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from yingji.warnings.models import CELL_ROW, CELLS_PER_DEGREE
from yingji.warnings.service.area import Area, haversine_m

SLACK = 1e-9  # degrees (0.1 mm): far above the rounding of a cell's number, far below a cell
CIRCLE_TOLERANCE = 1e-9  # as Area.covers


@dataclass
class Cover:
    inside: list[tuple[int, int]]  # ranges of cell numbers (first, last) wholly inside the area
    edge: list[tuple[int, int]]  # ranges of cells whose points need the exact test


def _col(lon: float) -> int:
    return int(np.floor((lon + 180.0) * CELLS_PER_DEGREE))


def _row(lat: float) -> int:
    return int(np.floor((lat + 90.0) * CELLS_PER_DEGREE))


def _classify(area: Area, x0, y0, x1, y1) -> tuple[np.ndarray, np.ndarray]:
    """(wholly inside, wholly outside) for the boxes [x0, x1] × [y0, y1] (degrees, arrays)."""
    minx, miny, maxx, maxy = area.bbox()
    if area.kind != "circle":
        geom = area.geometry
        if not shapely.is_prepared(geom):
            shapely.prepare(geom)
        boxes = shapely.box(x0, y0, x1, y1)
        return shapely.covers(geom, boxes), ~shapely.intersects(geom, boxes)
    c = area.spec["circle"]
    limit = c["radius_m"] * (1 + CIRCLE_TOLERANCE)
    # Along a parallel the distance to the centre grows with the difference of longitude, along a
    # meridian it has one minimum: over a box it is greatest at a corner.
    corners = [haversine_m(c["lon"], c["lat"], x, y) for x in (x0, x1) for y in (y0, y1)]
    # Today's answer is the bounding box's candidates that pass the test: a cell outside the box is not
    # taken whole even when the circle covers it (the 128-gon's box may be a hair short of the circle).
    in_box = (x0 >= minx) & (x1 <= maxx) & (y0 >= miny) & (y1 <= maxy)
    inside = in_box & (np.maximum.reduce(corners) < limit * (1 - 1e-12))
    # Outside: the box's point nearest the centre in degrees is within the box's own extent of the
    # nearest point in metres (one meridian side plus the longer parallel side), and still too far.
    near = haversine_m(c["lon"], c["lat"], np.clip(c["lon"], x0, x1), np.clip(c["lat"], y0, y1))
    extent = haversine_m(x0, y0, x0, y1) + np.maximum(haversine_m(x0, y0, x1, y0), haversine_m(x0, y1, x1, y1))
    off_box = (x1 < minx) | (x0 > maxx) | (y1 < miny) | (y0 > maxy)
    return inside, off_box | (near - extent * 1.001 > limit)


def _runs(cells: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """(column, first row, last row) → ranges of cell numbers, neighbours of one column merged."""
    out: list[tuple[int, int]] = []
    for col, lo, hi in sorted(cells):
        a, b = col * CELL_ROW + lo, col * CELL_ROW + hi
        if out and out[-1][1] + 1 == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def cover(area: Area) -> Cover:
    minx, miny, maxx, maxy = area.bbox()
    cx0, cy0, cx1, cy1 = _col(minx), _row(miny), _col(maxx), _row(maxy)
    size = 1 << max(cx1 - cx0, cy1 - cy0).bit_length()  # a power of two ≥ the box's span in cells
    nx, ny = np.array([cx0]), np.array([cy0])
    inside: list[tuple[int, int, int]] = []
    edge: list[tuple[int, int, int]] = []
    while nx.size:
        ex, ey = np.minimum(nx + size - 1, cx1), np.minimum(ny + size - 1, cy1)  # clipped to the box
        full, empty = _classify(
            area,
            nx / CELLS_PER_DEGREE - 180.0 - SLACK,
            ny / CELLS_PER_DEGREE - 90.0 - SLACK,
            (ex + 1) / CELLS_PER_DEGREE - 180.0 + SLACK,
            (ey + 1) / CELLS_PER_DEGREE - 90.0 + SLACK,
        )
        for i in np.flatnonzero(full):
            inside += [(col, int(ny[i]), int(ey[i])) for col in range(int(nx[i]), int(ex[i]) + 1)]
        split = ~full & ~empty
        if size == 1:
            edge += [(int(x), int(y), int(y)) for x, y in zip(nx[split], ny[split], strict=True)]
            break
        size //= 2
        px, py = nx[split], ny[split]
        kids_x = np.concatenate([px, px + size, px, px + size])
        kids_y = np.concatenate([py, py, py + size, py + size])
        keep = (kids_x <= cx1) & (kids_y <= cy1)
        nx, ny = kids_x[keep], kids_y[keep]
    return Cover(_runs(inside), _runs(edge))
