#!/usr/bin/env python3
"""Build the demo geography of 柳江区 below district level (townships, villages, grid cells).

Deterministic: a fixed seed, only shapely + numpy + stdlib. Reads the real (simplified)
district boundary written by scripts/extract_district_boundary.py and writes
src/yingji/geo/data/liujiang_regions.geojson.

What is real and what is generated:
- township names and count are the real ones of today's 柳江区 (8 镇, after 里雍镇/白沙镇
  moved to 鱼峰区 in 2018 and 流山镇/洛满镇 to 柳南区 in 2019); their seats are approximate;
- township shapes are a Voronoi partition of the seats clipped to the real boundary (NOT the
  real township boundaries);
- 118 village-level units (92 村 + 26 社区, the published total); per-township counts are real
  where a public source gave them (拉堡镇 22, 三都镇 10, 土博镇 17) and estimated otherwise;
  names are real for 拉堡镇 and generic ("穿山镇第3村") elsewhere;
- village and grid-cell shapes, village positions and every population are generated.
Every generated feature carries ``approximate: true``.

    python3 scripts/build_demo_geography.py        # needs shapely>=2 and numpy
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon, mapping, shape

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "yingji" / "geo" / "data"
BOUNDARY = DATA / "liujiang_district.geojson"
OUT = DATA / "liujiang_regions.geojson"

SEED = 20210601
DECIMALS = 5
GRID = 10**-DECIMALS
DISTRICT_CODE = "450206000000"
DISTRICT_NAME = "柳江区"
# 常住人口 about 50.25万 (2024). All lower-level figures are generated to sum to this.
DISTRICT_POPULATION = 502_500

# (name, approximate seat lon/lat WGS84, population weight, communities, villages)
# Code order follows the brief's convention 450206100, 101, ... (statistical-division style;
# not checked against the National Bureau of Statistics list).
TOWNSHIPS = [
    ("拉堡镇", (109.350, 24.255), 250_000, 16, 6),
    ("进德镇", (109.330, 24.170), 45_000, 2, 11),
    ("成团镇", (109.210, 24.240), 40_000, 2, 10),
    ("三都镇", (109.100, 24.220), 25_000, 1, 9),
    ("土博镇", (108.990, 24.320), 35_000, 1, 16),
    ("里高镇", (108.980, 24.190), 17_500, 1, 10),
    ("百朋镇", (109.220, 24.080), 40_000, 1, 13),
    ("穿山镇", (109.430, 24.050), 50_000, 2, 17),
]

# Real names where a public source listed them (拉堡镇, as of 2020).
REAL_NAMES = {
    "拉堡镇": (
        [
            "城中社区",
            "农贸社区",
            "柳东社区",
            "柳西社区",
            "建都社区",
            "宏发社区",
            "祥和社区",
            "居宁社区",
            "鹏飞社区",
            "华韵社区",
            "金盛社区",
            "荷塘社区",
            "柳堡社区",
            "兴柳社区",
            "翠林社区",
            "富鑫社区",
        ],
        ["拉堡村", "黄岭村", "思贤村", "木罗村", "塘头村", "基隆村"],
    ),
}


def snap(geom):
    """Round to the 5-decimal grid, keeping the geometry valid; drop degenerate parts."""
    g = shapely.set_precision(geom, GRID)
    if not g.is_valid:
        g = shapely.make_valid(g)
    polys = [p for p in getattr(g, "geoms", [g]) if isinstance(p, Polygon) and not p.is_empty]
    if isinstance(g, (Polygon, MultiPolygon)):
        return g
    return MultiPolygon(polys) if len(polys) > 1 else polys[0]


def random_points_in(poly, n, rng, min_sep):
    """n points inside poly by rejection sampling, at least min_sep apart where possible."""
    minx, miny, maxx, maxy = poly.bounds
    pts: list[tuple[float, float]] = []
    shapely.prepare(poly)
    tries = 0
    while len(pts) < n:
        tries += 1
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not shapely.contains_xy(poly, x, y):
            continue
        sep = min_sep if tries < 20_000 else 0.0
        if all((x - a) ** 2 + (y - b) ** 2 >= sep**2 for a, b in pts):
            pts.append((x, y))
    return pts


def voronoi_partition(region, seeds, lloyd=0):
    """Voronoi cells of seeds clipped to region, in seed order. Optional Lloyd relaxation."""
    seeds = list(seeds)
    for it in range(lloyd + 1):
        envelope = region.envelope.buffer(1.0)
        vor = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=envelope)
        cells_by_seed = []
        for sx, sy in seeds:
            p = Point(sx, sy)
            cell = next(c for c in vor.geoms if c.covers(p))
            cells_by_seed.append(cell.intersection(region))
        if it < lloyd:
            new = []
            for c in cells_by_seed:
                q = c.centroid
                if not region.contains(q):
                    q = c.representative_point()
                new.append((q.x, q.y))
            seeds = new
    return seeds, cells_by_seed


def largest_remainder(total, weights):
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(int)
    rest = total - int(base.sum())
    order = sorted(range(len(w)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return [int(v) for v in base]


def rounded_coords(geom):
    g = json.loads(json.dumps(mapping(geom)))

    def rnd(c):
        if isinstance(c[0], (int, float)):
            return [round(float(c[0]), DECIMALS), round(float(c[1]), DECIMALS)]
        return [rnd(x) for x in c]

    g["coordinates"] = rnd(g["coordinates"])
    return g


def orient(geom):
    if isinstance(geom, Polygon):
        return shapely.geometry.polygon.orient(geom, 1.0)
    return MultiPolygon([shapely.geometry.polygon.orient(p, 1.0) for p in geom.geoms])


def feature(props, geom):
    geom = orient(geom)
    assert geom.is_valid and not geom.is_empty, props["code"]
    return {"type": "Feature", "properties": props, "geometry": rounded_coords(geom)}


def main() -> int:
    rng = np.random.default_rng(SEED)
    district = shape(json.loads(BOUNDARY.read_text(encoding="utf-8"))["geometry"])
    assert district.is_valid

    # --- townships -------------------------------------------------------------------
    seats = [t[1] for t in TOWNSHIPS]
    for name, seat, *_ in TOWNSHIPS:
        assert district.contains(Point(seat)), f"seat of {name} outside the district"
    _, town_cells = voronoi_partition(district, seats)
    town_pops = largest_remainder(DISTRICT_POPULATION, [t[2] for t in TOWNSHIPS])
    n_units = sum(t[3] + t[4] for t in TOWNSHIPS)
    assert n_units == 118, n_units

    features = []
    for ti, ((name, seat, _w, n_comm, n_vill), cell, tpop) in enumerate(zip(TOWNSHIPS, town_cells, town_pops)):
        tcode9 = f"450206{100 + ti:03d}"
        tcode = tcode9 + "000"
        town = snap(cell)
        features.append(
            feature(
                {
                    "code": tcode,
                    "name": name,
                    "level": "township",
                    "parent_code": DISTRICT_CODE,
                    "population": tpop,
                    "approximate": True,
                    "seat": [seat[0], seat[1]],
                },
                town,
            )
        )

        # --- villages (communities first, NBS style: 001.. for 居委会, 201.. for 村委会) ---
        real = REAL_NAMES.get(name)
        units = []
        for k in range(n_comm):
            cname = real[0][k] if real else (f"{name[:-1]}社区" if k == 0 else f"{name}第{k + 1}社区")
            units.append((f"{tcode9}{1 + k:03d}", cname, "community"))
        for k in range(n_vill):
            vname = real[1][k] if real else f"{name}第{k + 1}村"
            units.append((f"{tcode9}{201 + k:03d}", vname, "village"))
        n = len(units)
        # communities cluster near the seat, villages spread over the township
        min_sep = 0.35 * np.sqrt(town.area / n)
        pts = []
        seat_zone = town.intersection(Point(seat).buffer(max(0.012, 0.35 * np.sqrt(town.area / np.pi))))
        seat_zone = seat_zone if seat_zone.area > 0 else town
        pts += random_points_in(seat_zone, n_comm, rng, min_sep * 0.3)
        rest = random_points_in(town, n_vill, rng, min_sep)
        pts += rest
        pts, vcells = voronoi_partition(town, pts, lloyd=1 if n_comm < 3 else 0)
        vweights = [(3.0 if kind == "community" else 1.0) * rng.lognormal(0.0, 0.35) for _, _, kind in units]
        vpops = largest_remainder(tpop, vweights)
        for (vcode, vname, kind), vcell, vpop, vpt in zip(units, vcells, vpops, pts):
            village = snap(vcell)
            features.append(
                feature(
                    {
                        "code": vcode,
                        "name": vname,
                        "level": "village",
                        "parent_code": tcode,
                        "kind": kind,
                        "population": vpop,
                        "approximate": True,
                        "seat": [round(vpt[0], DECIMALS), round(vpt[1], DECIMALS)],
                        "real_name": real is not None,
                    },
                    village,
                )
            )
            # --- grid cells --------------------------------------------------------------
            ng = int(rng.integers(2, 5))
            gpts = random_points_in(village, ng, rng, 0.3 * np.sqrt(village.area / ng))
            _, gcells = voronoi_partition(village, gpts, lloyd=1)
            gcells = [snap(c) for c in gcells]
            gpops = largest_remainder(vpop, [c.area * rng.uniform(0.7, 1.3) for c in gcells])
            for gi, (gcell, gpop) in enumerate(zip(gcells, gpops), start=1):
                features.append(
                    feature(
                        {
                            "code": f"{vcode}-G{gi}",
                            "name": f"{vname}第{gi}网格",
                            "level": "grid",
                            "parent_code": vcode,
                            "population": gpop,
                            "approximate": True,
                        },
                        gcell,
                    )
                )

    fc = {
        "type": "FeatureCollection",
        "properties": {
            "code": DISTRICT_CODE,
            "name": DISTRICT_NAME,
            "level": "district",
            "parent_code": "450200000000",
            "population": sum(town_pops),
            "approximate_population": True,
            "boundary_file": BOUNDARY.name,
            "generated_by": "scripts/build_demo_geography.py",
            "seed": SEED,
            "crs": "WGS84 (EPSG:4326), lon/lat",
            "note": "Township names are real; all shapes below district level, positions and populations are generated.",
        },
        "features": features,
    }
    OUT.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    counts = {
        lvl: sum(1 for f in features if f["properties"]["level"] == lvl) for lvl in ("township", "village", "grid")
    }
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB): {counts}, population {sum(town_pops)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
