"""Shortest paths over the road graph, against a small graph solved by hand; file imports; bad input."""

from __future__ import annotations

import json
import math
import random

import pytest

from yingji.core.errors import ValidationFailed
from yingji.geo import roads, routing
from yingji.geo.routing import graph_from_rows

A, B, C, D = (109.00, 24.0), (109.01, 24.0), (109.02, 24.0), (109.03, 24.0)


def hand_graph() -> routing.RoadGraph:
    """A–B 1000 m at 36 km/h (100 s); B–C 1000 m at 36 km/h (100 s); A–C 1500 m at 18 km/h (300 s);
    C→D 500 m at 36 km/h (50 s), one way. By hand: fastest A→C is via B, 200 s over 2000 m, although the
    direct road is shorter (1500 m); A→D 250 s over 2500 m; D→A cannot be driven; walking D→A is 2000 m."""
    rows = [
        (*A, *B, 1000.0, 36.0, False),
        (*B, *C, 1000.0, 36.0, False),
        (*A, *C, 1500.0, 18.0, False),
        (*C, *D, 500.0, 36.0, True),
    ]
    return graph_from_rows(rows, "test")


def test_fastest_is_not_the_shortest() -> None:
    g = hand_graph()
    found = g.nearest(*A, [C, D, B], k=3)
    assert [(r.index, r.travel_time_s, r.distance_m) for r in found] == [
        (2, 100.0, 1000.0),
        (0, 200.0, 2000.0),
        (1, 250.0, 2500.0),
    ]


def test_walking_uses_the_shortest_way_and_ignores_one_way() -> None:
    g = hand_graph()
    (to_c,) = g.nearest(*A, [C], k=1, mode="walk")
    assert to_c.distance_m == pytest.approx(1500.0)
    assert to_c.travel_time_s == pytest.approx(1500.0 / routing.WALK_SPEED_MS)
    (back,) = g.nearest(*D, [A], k=1, mode="walk")
    assert back.distance_m == pytest.approx(2000.0)


def test_one_way_road_cannot_be_driven_backwards() -> None:
    g = hand_graph()
    assert g.nearest(*D, [A, B, C], k=3) == []
    # From A to D, searched from D on the reversed graph (a station at A driving to a village at D).
    (best,) = g.best([D], [A, B], k=2, mode="drive", towards_origins=True)
    assert [(r.index, r.travel_time_s, r.distance_m) for r in best] == [(1, 150.0, 1500.0), (0, 250.0, 2500.0)]
    assert g.best([D], [A], mode="drive") == [[]]


def test_a_point_off_the_road_is_reached_in_a_straight_line() -> None:
    g = hand_graph()
    off = (A[0], A[1] + 0.001)  # about 111 m north of A
    (r,) = g.nearest(*off, [B], k=1)
    access = roads.haversine_m(*off, *A)
    assert 105 < access < 116
    assert r.distance_m == pytest.approx(1000 + access, rel=1e-3)
    assert r.travel_time_s == pytest.approx(100 + access / routing.ACCESS_SPEED_MS, rel=1e-3)


def test_parallel_roads_keep_the_fastest() -> None:
    rows = [(*A, *B, 1000.0, 36.0, False), (*A, *B, 1000.0, 72.0, False)]
    (r,) = graph_from_rows(rows, "t").nearest(*A, [B], k=1)
    assert r.travel_time_s == pytest.approx(50.0)


def test_bounded_search_widens_until_k_found() -> None:
    rng = random.Random(3)
    rows = roads.grid_edges(lon0=109.0, lat0=24.0, nx=60, ny=60, spacing_m=400, rng=rng)
    g = graph_from_rows(
        [(r["a_lon"], r["a_lat"], r["b_lon"], r["b_lat"], r["length_m"], r["speed_kmh"], r["oneway"]) for r in rows],
        routing.GENERATED,
    )
    far = [(float(g.lon.max()), float(g.lat.max()))]
    (r,) = g.nearest(float(g.lon.min()), float(g.lat.min()), far, k=1, first_limit_s=10, sparse_targets=0)
    assert r.travel_time_s > 600 and math.isfinite(r.distance_m)
    assert r.distance_m > 2 * 59 * 400 * 0.8  # along the grid, not the diagonal


def test_geojson_import_and_its_errors() -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"highway": "primary", "oneway": "yes"},
                "geometry": {"type": "LineString", "coordinates": [list(A), list(B), list(C)]},
            },
            {
                "type": "Feature",
                "properties": {"highway": "residential", "maxspeed": "20"},
                "geometry": {"type": "MultiLineString", "coordinates": [[list(C), list(D)]]},
            },
        ],
    }
    rows = roads.edges_from_file("roads.geojson", json.dumps(fc).encode())
    assert len(rows) == 3
    assert rows[0]["oneway"] is True and rows[0]["speed_kmh"] == 60 and rows[2]["speed_kmh"] == 20
    assert rows[0]["length_m"] == pytest.approx(roads.haversine_m(*A, *B), abs=0.01)
    bad = {"type": "FeatureCollection", "features": [{"geometry": {"type": "Point", "coordinates": [1, 2]}}]}
    with pytest.raises(ValidationFailed) as err:
        roads.edges_from_file("bad.geojson", json.dumps(bad).encode())
    assert err.value.details[0].field == "features[0]"
    with pytest.raises(ValidationFailed):
        roads.edges_from_file("roads.shp", b"")


def test_osm_xml_import() -> None:
    osm = b"""<?xml version='1.0'?><osm version="0.6">
      <node id="1" lon="109.00" lat="24.0"/><node id="2" lon="109.01" lat="24.0"/>
      <node id="3" lon="109.02" lat="24.0"/>
      <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
        <tag k="highway" v="secondary"/><tag k="maxspeed" v="50"/></way>
      <way id="11"><nd ref="1"/><nd ref="3"/><tag k="building" v="yes"/></way>
    </osm>"""
    rows = roads.edges_from_file("extract.osm", osm)
    assert len(rows) == 2 and {r["highway"] for r in rows} == {"secondary"}
    with pytest.raises(ValidationFailed):
        roads.edges_from_file("broken.osm", b"<osm><node")


def test_stored_graph_is_rebuilt_when_edges_change(db) -> None:
    before = routing.road_graph(db)
    assert before.source == routing.GENERATED and before.n > 1000  # the demo's generated graph
    routing.replace_edges(db, [roads._edge(A, B, "primary", 60, False, "geojson:test")])
    after = routing.road_graph(db)
    assert after.n == 2 and after.source == "geojson:test"


def test_bounded_nearest_agrees_with_the_full_search() -> None:
    rng = random.Random(11)
    rows = roads.grid_edges(lon0=109.0, lat0=24.0, nx=40, ny=40, spacing_m=300, rng=rng)
    g = graph_from_rows(
        [(r["a_lon"], r["a_lat"], r["b_lon"], r["b_lat"], r["length_m"], r["speed_kmh"], r["oneway"]) for r in rows],
        routing.GENERATED,
    )
    box = (float(g.lon.min()), float(g.lat.min()), float(g.lon.max()), float(g.lat.max()))
    for _ in range(20):
        targets = [(rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])) for _ in range(rng.randint(1, 30))]
        lon, lat = rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])
        for mode in ("drive", "walk"):
            k = rng.randint(1, 5)
            fast = g.nearest(lon, lat, targets, k=k, mode=mode, first_limit_s=1, sparse_targets=0)
            (full,) = g.best([(lon, lat)], targets, k=k, mode=mode)
            assert [round(r.travel_time_s, 6) for r in fast] == [round(r.travel_time_s, 6) for r in full]
            assert [round(r.distance_m, 3) for r in fast] == [round(r.distance_m, 3) for r in full]
