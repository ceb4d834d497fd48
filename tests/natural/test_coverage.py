"""Coverage figures from hand-built geometry (issue 16 point 6). Expected values by hand: a camera at the
corner of a 1 km × 1 km forest with a 500 m range sees a quarter disc, π·500²/4 = 196 350 m² (19.63 %);
a patrol route along one edge seeing 100 m either side covers a 1000 m × 100 m strip inside (10 %);
together 19.63 % + 10 % − their overlap (the part of the strip within 500 m of the corner:
∫₀¹⁰⁰ √(500² − y²) dy ≈ 49 665 m²) ≈ 24.67 %. 群测群防 coverage: points with a monitor / all points."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import LineString, Point, box
from tests.natural.helpers import monitor, point, village

from yingji.natural.coverage import M_PER_DEG_LAT, forest_coverage, forest_coverage_m

QUARTER = math.pi * 500**2 / 4
OVERLAP = 100 / 2 * math.sqrt(500**2 - 100**2) + 500**2 / 2 * math.asin(100 / 500)  # ∫₀¹⁰⁰ √(500²−y²) dy


def test_forest_coverage_in_metres() -> None:
    forest = box(0, 0, 1000, 1000)
    c = forest_coverage_m([forest], [(Point(0, 0), 500)])
    assert c.forest_m2 == pytest.approx(1_000_000)
    assert c.covered_m2 == pytest.approx(QUARTER, rel=1e-3)
    assert c.rate == pytest.approx(0.19635, abs=2e-4)
    assert c.uncovered.area == pytest.approx(1_000_000 - QUARTER, rel=1e-3)
    route = LineString([(0, 0), (1000, 0)])
    both = forest_coverage_m([forest], [(Point(0, 0), 500), (route, 100)])
    assert both.covered_m2 == pytest.approx(QUARTER + 100_000 - OVERLAP, rel=1e-3)
    assert forest_coverage_m([forest], []).rate == 0.0
    assert forest_coverage_m([], [(Point(0, 0), 500)]).rate is None
    # a watch far away sees none of the forest; two overlapping forests count once
    assert forest_coverage_m([forest, box(500, 0, 1500, 1000)], [(Point(5000, 5000), 100)]).forest_m2 == \
        pytest.approx(1_500_000)


def test_forest_coverage_from_wgs84_geojson() -> None:
    # A forest of 0.01° of latitude (1105.74 m) square in metres at 24.3° N, a camera at its centre with a
    # 300 m range inside it: π·300² of 1105.74² ≈ 23.13 %.
    lat0, lon0 = 24.3, 109.4
    side_m = 0.01 * M_PER_DEG_LAT
    dlon = side_m / (111_320 * math.cos(math.radians(lat0)))
    ring = [[lon0, lat0], [lon0 + dlon, lat0], [lon0 + dlon, lat0 + 0.01], [lon0, lat0 + 0.01], [lon0, lat0]]
    forest = {"type": "Polygon", "coordinates": [ring]}
    camera = {"type": "Point", "coordinates": [lon0 + dlon / 2, lat0 + 0.005]}
    c, uncovered = forest_coverage([forest], [(camera, 300)])
    assert c.forest_m2 == pytest.approx(side_m**2, rel=5e-3)
    assert c.rate == pytest.approx(math.pi * 300**2 / side_m**2, rel=5e-3)
    assert uncovered["type"] == "Polygon" and len(uncovered["coordinates"]) == 2  # the forest with a hole


def test_community_coverage_counts_points_with_a_monitor(api, db) -> None:
    c = api("duty")
    before = c.get("/api/v1/natural/coverage").json()["community"]
    v = village(db)
    watched, unwatched = point(db, v.code, name="有人监测"), point(db, v.code, name="无人监测")
    monitor(db, watched.id)
    point(db, v.code, name="已搬迁", status="relocated")  # out of service: not counted
    db.commit()
    after = c.get("/api/v1/natural/coverage").json()
    com = after["community"]
    assert (com["points"], com["with_monitor"]) == (before["points"] + 2, before["with_monitor"] + 1)
    assert com["rate"] == pytest.approx(com["with_monitor"] / com["points"])
    assert unwatched.id in com["unwatched_ids"] and watched.id not in com["unwatched_ids"]
    listed = {p["id"] for p in c.get("/api/v1/natural/points?monitored=no&category=geological&page_size=500")
              .json()["items"]}
    assert unwatched.id in listed and watched.id not in listed
    assert after["treated_per_year"] and all(set(r) == {"year", "relocated", "treating"}
                                             for r in after["treated_per_year"])


def test_a_forest_watched_whole_adds_its_area_covered(api, db) -> None:
    c = api("duty")
    before = c.get("/api/v1/natural/coverage").json()["forest_fire"]
    v = village(db)
    lon, lat = v.centroid
    d = 0.002
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
    r = c.post("/api/v1/natural/points", json={"name": "测试林区", "kind": "forest_fire_area", "region_code": v.code,
                                               "outline": {"type": "Polygon", "coordinates": [ring]},
                                               "fire_danger_level": 3})
    assert r.status_code == 201, r.text
    r = c.post("/api/v1/natural/fire-watches", json={"name": "测试瞭望台", "kind": "lookout", "range_m": 2000,
                                                     "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    assert r.status_code == 201, r.text
    bad = c.post("/api/v1/natural/fire-watches", json={"name": "坏路线", "kind": "patrol_route", "range_m": 100,
                                                       "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "geometry"
    after = c.get("/api/v1/natural/coverage").json()["forest_fire"]
    added = after["forest_m2"] - before["forest_m2"]
    assert added > 0 and after["covered_m2"] - before["covered_m2"] == pytest.approx(added, rel=0.02)
    assert api("officer").post("/api/v1/natural/fire-watches", json={
        "name": "无权登记", "kind": "camera", "range_m": 10,
        "geometry": {"type": "Point", "coordinates": [lon, lat]}}).status_code == 403


def test_the_coverage_page_and_the_map_layer(page_client, api) -> None:
    c = page_client("duty")
    r = c.get("/natural/coverage")
    assert r.status_code == 200 and "群测群防覆盖率" in r.text and "monitored=no" in r.text
    m = c.get("/map")
    assert m.status_code == 200 and '"capability": "natural"' in m.text and "大型险情" in m.text
    fc = api("duty").get("/api/v1/natural/map/points?category=geological").json()
    assert fc["type"] == "FeatureCollection" and fc["features"]
    f = fc["features"][0]["properties"]
    assert {"danger_grade", "people", "monitors", "kind_label"} <= set(f)
    assert page_client("chem").get("/natural/coverage").status_code == 403
    assert api("chem").get("/api/v1/natural/coverage").status_code == 403
