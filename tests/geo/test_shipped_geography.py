"""Checks on the shipped demo geography of 柳江区 (src/yingji/geo/data/*.geojson).

Plain json + shapely; no project imports. Regenerate the data with
scripts/extract_district_boundary.py and scripts/build_demo_geography.py (see SOURCES.md).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

shapely = pytest.importorskip("shapely")
from shapely.geometry import shape  # noqa: E402
from shapely.ops import unary_union  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "src" / "yingji" / "geo" / "data"
DISTRICT_CODE = "450206000000"
REGION_CODE = re.compile(r"^\d{12}$")
GRID_CODE = re.compile(r"^\d{12}-G\d+$")
# Rounding to 5 decimals leaves slivers of ~1e-5 degrees at shared edges.
AREA_TOL = 1e-6  # deg², ~0.01 km²


@pytest.fixture(scope="module")
def district():
    feat = json.loads((DATA / "liujiang_district.geojson").read_text(encoding="utf-8"))
    assert feat["type"] == "Feature"
    return feat


@pytest.fixture(scope="module")
def collection():
    fc = json.loads((DATA / "liujiang_regions.geojson").read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    return fc


@pytest.fixture(scope="module")
def regions(collection):
    return {f["properties"]["code"]: f for f in collection["features"]}


@pytest.fixture(scope="module")
def geoms(district, regions):
    out = {code: shape(f["geometry"]) for code, f in regions.items()}
    out[DISTRICT_CODE] = shape(district["geometry"])
    return out


def children(regions, level):
    by_parent = defaultdict(list)
    for code, f in regions.items():
        if f["properties"]["level"] == level:
            by_parent[f["properties"]["parent_code"]].append(code)
    return by_parent


def test_district_record(district, collection):
    assert district["properties"]["code"] == DISTRICT_CODE
    assert district["properties"]["name"] == "柳江区"
    meta = collection["properties"]
    assert meta["code"] == DISTRICT_CODE and meta["name"] == "柳江区"
    total = sum(f["properties"]["population"] for f in collection["features"] if f["properties"]["level"] == "township")
    assert meta["population"] == total


def test_boundary_is_small_and_wgs84(district, geoms):
    g = geoms[DISTRICT_CODE]
    assert g.is_valid
    assert shapely.get_num_coordinates(g) <= 450
    minx, miny, maxx, maxy = g.bounds
    assert 108.8 < minx < maxx < 109.7 and 23.8 < miny < maxy < 24.5  # lon, lat order


def test_counts(regions):
    levels = defaultdict(int)
    for f in regions.values():
        levels[f["properties"]["level"]] += 1
    assert levels["township"] == 8
    assert levels["village"] == 118
    assert set(levels) == {"township", "village", "grid"}


def test_properties_and_codes(collection, regions):
    codes = [f["properties"]["code"] for f in collection["features"]]
    assert len(codes) == len(set(codes)), "duplicate codes"
    assert DISTRICT_CODE not in codes
    for f in collection["features"]:
        p = f["properties"]
        assert p["level"] in {"township", "village", "grid"}
        assert p["approximate"] is True
        assert isinstance(p["population"], int) and p["population"] >= 0
        assert p["name"]
        if p["level"] == "grid":
            assert GRID_CODE.match(p["code"]), p["code"]
            assert p["code"].startswith(p["parent_code"] + "-G")
        else:
            assert REGION_CODE.match(p["code"]), p["code"]
        if p["level"] == "township":
            assert p["code"].endswith("000") and p["code"][:6] == "450206"
        if p["level"] == "village":
            assert p["kind"] in {"village", "community"}
            assert p["code"][:9] == p["parent_code"][:9] and p["code"][9:] != "000"


def test_every_parent_exists(regions):
    parents = {"township": {DISTRICT_CODE}, "village": set(), "grid": set()}
    for code, f in regions.items():
        if f["properties"]["level"] == "township":
            parents["village"].add(code)
        if f["properties"]["level"] == "village":
            parents["grid"].add(code)
    for f in regions.values():
        p = f["properties"]
        assert p["parent_code"] in parents[p["level"]], p["code"]


def test_every_village_has_two_to_four_grid_cells(regions):
    grids = children(regions, "grid")
    for code, f in regions.items():
        if f["properties"]["level"] == "village":
            assert 2 <= len(grids[code]) <= 4, code


def test_geometries_valid_and_closed(collection, geoms):
    for f in collection["features"]:
        g = geoms[f["properties"]["code"]]
        assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        assert g.is_valid and not g.is_empty and g.area > 0, f["properties"]["code"]
        polys = [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"]
        for poly in polys:
            for ring in poly:
                assert ring[0] == ring[-1] and len(ring) >= 4
                for lon, lat in ring:
                    assert round(lon, 5) == lon and round(lat, 5) == lat


def test_townships_cover_the_district(regions, geoms):
    district = geoms[DISTRICT_CODE]
    towns = unary_union([geoms[c] for c in children(regions, "township")[DISTRICT_CODE]])
    assert district.symmetric_difference(towns).area / district.area < 0.005


def _assert_tiles(parent, parts, label):
    union = unary_union(parts)
    assert parent.symmetric_difference(union).area / parent.area < 0.005, label
    overlap = sum(p.area for p in parts) - union.area
    assert overlap < max(AREA_TOL, 1e-4 * parent.area), f"{label}: overlap {overlap}"


def test_townships_do_not_overlap(regions, geoms):
    towns = [geoms[c] for c in children(regions, "township")[DISTRICT_CODE]]
    _assert_tiles(geoms[DISTRICT_CODE], towns, DISTRICT_CODE)


def test_villages_tile_their_township(regions, geoms):
    villages = children(regions, "village")
    assert sum(len(v) for v in villages.values()) == 118
    for town, codes in villages.items():
        _assert_tiles(geoms[town], [geoms[c] for c in codes], town)


def test_grid_cells_tile_their_village(regions, geoms):
    for village, codes in children(regions, "grid").items():
        _assert_tiles(geoms[village], [geoms[c] for c in codes], village)


def test_populations_sum_up_the_tree(collection, regions):
    for level in ("village", "grid"):
        for parent, codes in children(regions, level).items():
            assert (
                sum(regions[c]["properties"]["population"] for c in codes)
                == regions[parent]["properties"]["population"]
            ), parent
    towns = children(regions, "township")[DISTRICT_CODE]
    assert sum(regions[c]["properties"]["population"] for c in towns) == collection["properties"]["population"]
    seat = max(towns, key=lambda c: regions[c]["properties"]["population"])
    assert regions[seat]["properties"]["name"] == "拉堡镇"


def test_file_sizes():
    assert (DATA / "liujiang_regions.geojson").stat().st_size < 1_500_000
    assert (DATA / "liujiang_district.geojson").stat().st_size < 100_000
