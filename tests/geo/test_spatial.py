"""Which region contains a point, which regions a polygon touches: in the service and over the API."""

from __future__ import annotations

from shapely.geometry import shape

from yingji.geo import service
from yingji.geo.spatial import RegionIndex

SQUARE_A = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
SQUARE_B = {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}


def test_index_on_hand_made_squares_includes_edges() -> None:
    idx = RegionIndex([(1, "A", "village", SQUARE_A), (2, "B", "village", SQUARE_B)])
    assert [r.code for r in idx.containing(0.5, 0.5)] == ["A"]
    assert [r.code for r in idx.containing(1.0, 0.5)] == ["A", "B"]  # on the shared edge: both
    assert [r.code for r in idx.containing(0.0, 0.0)] == ["A"]  # a corner
    assert idx.containing(2.0000001, 0.5) == []
    tri = shape({"type": "Polygon", "coordinates": [[[0.9, 0.1], [0.95, 0.1], [0.95, 0.2], [0.9, 0.1]]]})
    assert [r.code for r in idx.intersecting(tri)] == ["A"]
    touching = shape({"type": "Polygon", "coordinates": [[[2, 0], [3, 0], [3, 1], [2, 0]]]})
    assert [r.code for r in idx.intersecting(touching)] == ["B"]  # touching counts


def test_locate_in_the_demo_district(db) -> None:
    chain = service.locate(db=db, lon=109.33, lat=24.26)
    assert [r.level for r in chain] == ["district", "township", "village", "grid"]
    assert chain[1].name == "拉堡镇"
    assert service.locate(db=db, lon=116.4, lat=39.9) == []  # Beijing


def test_point_on_a_township_border_belongs_to_both(db) -> None:
    towns = {
        r.code: shape(service.get_region(db=db, code=r.code).geometry)
        for r in service.region_infos(db=db, level="township")
    }
    a, b = "450206100000", next(c for c, g in towns.items() if c != "450206100000" and g.touches(towns["450206100000"]))
    # A vertex the two shapes share lies exactly on both boundaries (a point interpolated along the border
    # would be off it by rounding).
    others = set().union(*(set(g.exterior.coords) for c, g in towns.items() if c not in (a, b)))
    shared = (set(towns[a].exterior.coords) & set(towns[b].exterior.coords)) - others
    lon, lat = sorted(shared)[0]
    found = {r.code for r in service.locate(db=db, lon=lon, lat=lat, level="township")}
    assert found == {a, b}


def test_intersecting_polygon_finds_villages(db) -> None:
    lab = shape(service.get_region(db=db, code="450206100000").geometry)
    c = lab.centroid
    poly = c.buffer(0.01)
    villages = service.intersecting(db=db, geometry=poly, level="village")
    assert villages and all(v.path.startswith("450206000000/450206100000/") for v in villages)


def test_api_locate_and_intersect(api) -> None:
    c = api("officer")
    r = c.get("/api/v1/geo/locate?lon=109.33&lat=24.26")
    assert r.status_code == 200 and r.json()["items"][1]["name"] == "拉堡镇"
    assert c.get("/api/v1/geo/locate?lon=190&lat=24").status_code == 422
    ring = [[109.30, 24.20], [109.40, 24.20], [109.40, 24.30], [109.30, 24.30]]
    r = c.post("/api/v1/geo/intersect", json={"polygon": ring, "level": "township"})
    assert r.status_code == 200 and "拉堡镇" in [t["name"] for t in r.json()]
    bowtie = [[109.3, 24.2], [109.4, 24.3], [109.4, 24.2], [109.3, 24.3]]
    r = c.post("/api/v1/geo/intersect", json={"polygon": bowtie})
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == "polygon" and "无效" in r.json()["error"]["message"]
    r = c.post("/api/v1/geo/intersect", json={"polygon": [[109.3, 24.2], [109.4]]})
    assert r.status_code == 422


def test_regions_api_lists_and_filters(api) -> None:
    c = api("liaison")
    towns = c.get("/api/v1/geo/regions?level=township").json()
    assert towns["total"] == 8 and {t["name"] for t in towns["items"]} >= {"拉堡镇", "穿山镇"}
    villages = c.get("/api/v1/geo/regions?parent=450206100000&page_size=100").json()
    assert villages["total"] > 0 and all(v["level"] == "village" for v in villages["items"])
    assert c.get("/api/v1/geo/regions/450206000000").json()["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert c.get("/api/v1/geo/regions/000000").status_code == 404
    fc = c.get("/api/v1/geo/boundaries?level=village").json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 118
    assert sum(f["properties"]["population"] for f in fc["features"]) == 502500


def test_demo_data_is_marked_approximate_below_the_district(db) -> None:
    root = service.root(db=db)
    assert root is not None and root.code == "450206000000" and not root.approximate
    assert all(service.get_region(db=db, code=r.code).approximate for r in service.region_infos(db=db, level="village"))
