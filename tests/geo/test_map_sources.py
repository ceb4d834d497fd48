"""Base maps and map data sources: the GCJ-02 transform, the offline tile route (MBTiles, PMTiles), the
configured base-map list, and roads / rivers imported from GeoJSON, OSM and Shapefile."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
import shapefile

from tests.geo.tilefiles import make_mbtiles, make_pmtiles, png
from yingji.geo import basemaps, coords

RED, BLUE = png((200, 0, 0), 8), png((0, 0, 200), 8)


# --- GCJ-02 ---------------------------------------------------------------------------------------------


def test_wgs84_to_gcj02_matches_the_published_reference_point() -> None:
    # Reference: gcoord's test suite, WGS84 [123, 45] → GCJ-02 [123.00607541, 45.00197815].
    lon, lat = coords.wgs84_to_gcj02(123, 45)
    assert lon == pytest.approx(123.00607541, abs=5e-8)
    assert lat == pytest.approx(45.00197815, abs=5e-8)


def test_gcj02_inverse_returns_the_wgs84_point_and_outside_china_is_unchanged() -> None:
    for lon, lat in [(109.4, 24.3), (123, 45), (87.6, 43.8)]:
        back = coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(lon, lat))
        assert back == pytest.approx((lon, lat), abs=1e-7)
    assert coords.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)  # Paris: no offset outside China
    # In the district the offset is a few hundred metres (why the data layers must move with the tiles).
    glon, glat = coords.wgs84_to_gcj02(109.33, 24.26)
    assert 0.003 < glon - 109.33 < 0.008 and -0.005 < glat - 24.26 < 0.0


# --- the offline tile route -----------------------------------------------------------------------------


def test_mbtiles_are_served_in_xyz_order(app, client, tmp_path) -> None:
    # XYZ (1, 0, 0) is the north-west tile; MBTiles stores it in TMS row 1.
    path = make_mbtiles(tmp_path / "base.mbtiles", {(1, 0, 0): RED, (1, 0, 1): BLUE})
    app.state.settings.map_tiles = str(path)
    r = client.get("/tiles/1/0/0")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content == RED
    assert client.get("/tiles/1/0/1.png").content == BLUE
    assert client.get("/tiles/1/1/0").status_code == 404  # not in the archive
    assert client.get("/tiles/1/5/0").status_code == 404  # not a tile at that zoom


def test_pmtiles_are_served(app, client, tmp_path) -> None:
    path = make_pmtiles(tmp_path / "base.pmtiles", {(2, 1, 1): RED, (2, 3, 1): BLUE})
    app.state.settings.map_tiles = str(path)
    assert client.get("/tiles/2/1/1").content == RED
    assert client.get("/tiles/2/3/1").content == BLUE
    assert client.get("/tiles/2/0/0").status_code == 404


def test_no_tile_file_configured_answers_404(client) -> None:
    assert client.get("/tiles/1/0/0").status_code == 404


def test_vector_mbtiles_are_refused_with_a_reason(tmp_path) -> None:
    path = make_mbtiles(tmp_path / "vector.mbtiles", {(0, 0, 0): b"\x1a\x00"}, fmt="pbf")
    found = basemaps.configured(basemaps=[], tiles_file=str(path))
    assert [b["id"] for b in found.items] == ["outline"]
    assert "只支持栅格瓦片" in found.problems[0]


# --- the configured base maps ---------------------------------------------------------------------------


def test_base_map_list_local_file_first_outline_last_and_wmts_url(tmp_path) -> None:
    path = make_mbtiles(tmp_path / "base.mbtiles", {(1, 0, 0): RED})
    found = basemaps.configured(
        basemaps=[
            {
                "name": "局GIS（WMTS）",
                "type": "wmts",
                "url": "https://gis.example/wmts",
                "layer": "vec",
                "tilematrixset": "w",
                "crs": "wgs84",
            },
            {"name": "高德式底图", "url": "https://tiles.example/{z}/{x}/{y}.png", "crs": "gcj02"},
            {"name": "缺坐标系", "url": "https://x.example/{z}/{x}/{y}", "crs": "bd09"},
        ],
        tiles_file=str(path),
    )
    assert [b["id"] for b in found.items] == ["local", "cfg1", "cfg2", "outline"]
    wmts = found.items[1]["url"]
    assert wmts.startswith("https://gis.example/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec")
    assert wmts.endswith("&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}") and "TILEMATRIXSET=w" in wmts
    assert found.items[2]["crs"] == "gcj02"
    assert found.problems == ["底图配置第 3 项：crs 须为 wgs84 或 gcj02"]


def test_map_page_carries_the_base_maps_and_the_problems(app, page_client, tmp_path) -> None:
    app.state.settings.map_basemaps = [
        {
            "name": "天地图矢量",
            "url": "https://t{s}.tianditu.gov.cn/vec_w/{z}/{x}/{y}?tk=KEY",
            "subdomains": "01234567",
        },
        {"name": "坏的", "url": "ftp://x"},
    ]
    html = page_client("duty").get("/map").text
    config = json.loads(
        re.search(r'<script type="application/json" id="map-config">(.*?)</script>', html, re.S).group(1)
    )
    assert [b["name"] for b in config["basemaps"]] == ["天地图矢量", "轮廓底图（行政区划）"]
    assert config["problems"] == ["底图配置第 2 项：url 须为 http(s) 地址"]
    # Every capability's layers are data blocks that parse as JSON, and no inline script is left.
    blocks = re.findall(r'<script type="application/json" class="map-layers">(.*?)</script>', html, re.S)
    caps = [json.loads(b)["capability"] for b in blocks]
    assert caps == ["natural", "risk", "enforcement", "monitoring", "warnings", "resources"]
    assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))[^>]*>", html)


def test_an_officer_gets_only_the_layers_of_their_permissions(app, page_client) -> None:
    html = page_client("chem").get("/map").text
    blocks = re.findall(r'<script type="application/json" class="map-layers">(.*?)</script>', html, re.S)
    caps = {json.loads(b)["capability"] for b in blocks}
    assert "warnings" not in caps  # an enterprise manager does not read warnings


# --- roads and rivers -----------------------------------------------------------------------------------


RIVER = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "洛清江", "waterway": "river"},
            "geometry": {"type": "LineString", "coordinates": [[109.30, 24.30], [109.35, 24.28], [109.40, 24.27]]},
        }
    ],
}


def test_rivers_from_geojson_in_gcj02_are_stored_in_wgs84(api) -> None:
    admin = api("admin")
    r = admin.post(
        "/api/v1/geo/lines/river", files={"file": ("rivers.geojson", json.dumps(RIVER).encode())}, data={"crs": "gcj02"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == 1
    layer = admin.get("/api/v1/geo/lines/river.geojson").json()
    (feat,) = layer["features"]
    assert feat["properties"]["name"] == "洛清江" and feat["properties"]["kind"] == "river"
    lon, lat = feat["geometry"]["coordinates"][0]
    assert coords.wgs84_to_gcj02(lon, lat) == pytest.approx((109.30, 24.30), abs=1e-6)


def test_rivers_from_osm_take_waterway_ways(api) -> None:
    osm = """<osm><node id="1" lon="109.30" lat="24.30"/><node id="2" lon="109.31" lat="24.31"/>
      <node id="3" lon="109.32" lat="24.30"/>
      <way id="10"><nd ref="1"/><nd ref="2"/><tag k="waterway" v="stream"/><tag k="name" v="龙江"/></way>
      <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/></way></osm>""".encode()
    admin = api("admin")
    assert admin.post("/api/v1/geo/lines/river", files={"file": ("x.osm", osm)}).json()["imported"] == 1
    (feat,) = admin.get("/api/v1/geo/lines/river.geojson").json()["features"]
    assert feat["properties"] == {"name": "龙江", "kind": "stream", "source": "x.osm"}


def _zipped_shapefile(lines: list[tuple[str, str, list[list[float]]]]) -> bytes:
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYLINE, encoding="utf-8") as w:
        w.field("NAME", "C", 50)
        w.field("fclass", "C", 20)
        for name, cls, pts in lines:
            w.line([pts])
            w.record(name, cls)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("roads.shp", shp.getvalue())
        z.writestr("roads.shx", shx.getvalue())
        z.writestr("roads.dbf", dbf.getvalue())
    return out.getvalue()


def test_roads_from_a_zipped_shapefile_are_drawn(api) -> None:
    data = _zipped_shapefile(
        [
            ("柳南高速", "motorway", [[109.2, 24.2], [109.3, 24.25]]),
            ("拉堡大道", "primary", [[109.3, 24.25], [109.35, 24.3], [109.4, 24.3]]),
        ]
    )
    admin = api("admin")
    r = admin.post("/api/v1/geo/lines/road", files={"file": ("roads.zip", data)})
    assert r.status_code == 200, r.text
    feats = admin.get("/api/v1/geo/lines/road.geojson").json()["features"]
    assert sorted((f["properties"]["name"], f["properties"]["kind"]) for f in feats) == [
        ("拉堡大道", "primary"),
        ("柳南高速", "motorway"),
    ]
    assert [len(f["geometry"]["coordinates"]) for f in feats if f["properties"]["name"] == "拉堡大道"] == [3]


def test_the_road_graph_imports_a_shapefile_too() -> None:
    from yingji.geo.roads import edges_from_file

    rows = edges_from_file("roads.zip", _zipped_shapefile([("x", "primary", [[109.30, 24.30], [109.31, 24.30]])]))
    assert len(rows) == 1
    # 0.01° of longitude at 24.3° N by hand: 6 371 000 m × 0.01 × π/180 × cos 24.3° = 1013.4 m
    assert rows[0]["length_m"] == pytest.approx(1013.4, abs=0.5)


def test_without_imported_roads_the_road_graph_is_drawn(api) -> None:
    feats = api("duty").get("/api/v1/geo/lines/road.geojson").json()["features"]
    assert feats and {f["properties"]["source"] for f in feats} == {"generated"}  # the demo's generated grid
    assert {f["geometry"]["type"] for f in feats} == {"MultiLineString"}


def test_a_bad_line_file_is_refused_naming_the_feature_and_changes_nothing(api) -> None:
    admin = api("admin")
    before = admin.get("/api/v1/geo/lines/river.geojson").json()
    bad = {
        "type": "FeatureCollection",
        "features": [
            RIVER["features"][0],
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [109.3, 24.3]}},
        ],
    }
    r = admin.post("/api/v1/geo/lines/river", files={"file": ("r.geojson", json.dumps(bad).encode())})
    assert r.status_code == 422
    assert r.json()["error"]["details"] == [
        {"field": "features[1]", "message": "几何须为 LineString 或 MultiLineString"}
    ]
    assert admin.get("/api/v1/geo/lines/river.geojson").json() == before


def test_only_an_administrator_imports_map_lines(api) -> None:
    r = api("duty").post("/api/v1/geo/lines/river", files={"file": ("rivers.geojson", json.dumps(RIVER).encode())})
    assert r.status_code == 403
    assert api("duty").get("/api/v1/geo/lines/lakes.geojson").status_code == 404
