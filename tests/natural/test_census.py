"""Risk-census imports (issue 16 point 4) from files the tests make: a zipped Shapefile whose .prj says a
CGCS2000 Gauss-Krüger CRS, a GeoPackage in CGCS2000 (EPSG:4490), a GeoJSON in GCJ-02 (said on import), an
Excel sheet. Every feature or none; a bad feature is named with its field. Coordinates land within 1e-6°
(about 0.1 m) of the known WGS84 points."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely
from openpyxl import Workbook
from pyogrio import raw
from pyproj import Transformer
from tests.natural.helpers import user, village

from yingji.core.crs import wgs84_to_gcj02
from yingji.core.excel import XLSX_MIME
from yingji.natural.census import census_kind, excel_columns

TOL = 1e-6


def _write(tmp: Path, name: str, driver: str, geoms: list, fields: dict[str, list], crs: str,
           encoding: str = "UTF-8") -> Path:
    path = tmp / name
    raw.write(str(path), np.array([shapely.to_wkb(g) for g in geoms], dtype=object),
              [np.array(v, dtype=object if isinstance(v[0], str) else None) for v in fields.values()],
              fields=list(fields), geometry_type=geoms[0].geom_type, crs=crs, driver=driver, encoding=encoding)
    return path


def shapefile_zip(tmp: Path, geoms: list, fields: dict[str, list], crs: str) -> bytes:
    _write(tmp, "layer.shp", "ESRI Shapefile", geoms, fields, crs)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(tmp.glob("layer.*")):
            z.write(f, f.name)
    return buf.getvalue()


def gpkg(tmp: Path, geoms: list, fields: dict[str, list], crs: str) -> bytes:
    return _write(tmp, "layer.gpkg", "GPKG", geoms, fields, crs).read_bytes()


def _import(c, kind: str, filename: str, data: bytes, crs: str | None = None):
    form = {"kind": kind} | ({"crs": crs} if crs else {})
    return c.post("/api/v1/natural/census/import", data=form,
                  files={"file": (filename, data, "application/octet-stream")})


def _features(c, kind: str) -> list[dict]:
    r = c.get(f"/api/v1/natural/map/census?kind={kind}")
    assert r.status_code == 200, r.text
    return r.json()["features"]


@pytest.fixture
def places(db):
    """Two villages' centroids (WGS84) of the demo district."""
    a = village(db)
    b = village(db, outside=a.path.rsplit("/", 1)[0])
    return a, b


def test_a_shapefile_in_gauss_kruger_lands_on_its_wgs84_points(api, places, tmp_path) -> None:
    a, b = places
    to_gk = Transformer.from_crs("EPSG:4326", "EPSG:4545", always_xy=True)  # CGCS2000 3° GK, CM 108E
    pts = [shapely.Point(*to_gk.transform(*v.centroid)) for v in (a, b)]
    # DBF field names hold 10 bytes: census shapefiles name fields by short keys (or short GBK labels).
    data = shapefile_zip(tmp_path, pts, {"名称": ["甲小学", "乙中学"], "students": [320, 860]}, "EPSG:4545")
    r = _import(api("duty"), "school", "schools.zip", data)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["imported"] == 2 and body["file_format"] == "shapefile"
    assert "EPSG:4545" in body["source_crs"] and body["converted_to"].startswith("EPSG:4326")
    got = {f["properties"]["name"]: f for f in _features(api("duty"), "school")}
    for v, name, students in ((a, "甲小学", 320), (b, "乙中学", 860)):
        x, y = got[name]["geometry"]["coordinates"]
        assert (x, y) == pytest.approx(v.centroid, abs=TOL)
        assert got[name]["properties"]["students"] == students
        assert got[name]["properties"]["village_code"] == v.code
    imports = api("duty").get("/api/v1/natural/census/imports").json()["items"]
    assert imports[0]["kind"] == "school" and "4545" in imports[0]["source_crs"]


def test_a_geopackage_in_cgcs2000_with_village_polygons(api, db, places, tmp_path) -> None:
    a, _ = places
    lon, lat = a.centroid
    square = shapely.box(lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001)
    data = gpkg(tmp_path, [square], {"name": [a.name], "population": [2400]}, "EPSG:4490")
    r = _import(api("duty"), "population", "population.gpkg", data)
    assert r.status_code == 200, r.text
    assert "EPSG:4490" in r.json()["source_crs"]
    [f] = _features(api("duty"), "population")
    assert shapely.geometry.shape(f["geometry"]).equals_exact(square, 1e-9)
    # The census population is the village's population in its zoning.
    from tests.natural.helpers import point

    point(db, a.code, people_n=5)
    db.commit()
    layer = api("duty").get("/api/v1/natural/map/zoning").json()
    zoning = {f["properties"]["code"]: f["properties"] for f in layer["features"]}
    assert zoning[a.code]["population"] == 2400 and zoning[a.code]["population_source"] == "census"


def test_a_geojson_in_gcj02_said_on_import(api, places) -> None:
    a, _ = places
    glon, glat = wgs84_to_gcj02(*a.centroid)
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [glon, glat]},
         "properties": {"名称": "区人民医院", "床位数": 450}}]}
    data = json.dumps(doc, ensure_ascii=False).encode()
    r = _import(api("duty"), "hospital", "hospitals.geojson", data, crs="GCJ-02")
    assert r.status_code == 200, r.text
    assert r.json()["source_crs"] == "GCJ-02"
    [f] = _features(api("duty"), "hospital")
    assert f["geometry"]["coordinates"] == pytest.approx(list(a.centroid), abs=TOL)
    assert abs(glon - a.centroid[0]) > 1e-3  # the offset was real and was taken out


def test_an_excel_sheet(api, places) -> None:
    a, b = places
    cols = excel_columns(census_kind("shelter"))
    wb = Workbook()
    ws = wb.active
    ws.append([c.label for c in cols])
    ws.append(["甲村避难场所", *a.centroid, 300])
    ws.append(["乙村避难场所", *b.centroid, None])
    buf = io.BytesIO()
    wb.save(buf)
    r = _import(api("duty"), "shelter", "shelters.xlsx", buf.getvalue())
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == 2 and r.json()["source_crs"].startswith("EPSG:4326")
    assert api("duty").get("/api/v1/natural/census/template.xlsx?kind=shelter").headers["content-type"] == XLSX_MIME


def test_one_bad_feature_imports_nothing_and_is_named_with_its_field(api, places, tmp_path) -> None:
    a, b = places
    duty = api("duty")
    pts = [shapely.Point(*a.centroid), shapely.Point(*b.centroid), shapely.Point(*a.centroid)]
    data = gpkg(tmp_path, pts, {"名称": ["好学校", "坏学校", "又一所"], "在校学生数": ["120", "很多", "-3"]},
                "EPSG:4326")
    r = _import(duty, "school", "schools.gpkg", data)
    assert r.status_code == 422, r.text
    fields = {d["field"]: d["message"] for d in r.json()["error"]["details"]}
    assert set(fields) == {"要素2 在校学生数", "要素3 在校学生数"}
    assert "坏学校" in fields["要素2 在校学生数"] and "整数" in fields["要素2 在校学生数"]
    assert _features(duty, "school") == []
    # A feature outside the district: named, its field the geometry; the good one beside it is not kept.
    (tmp_path / "far").mkdir()
    far = gpkg(tmp_path / "far", [shapely.Point(*a.centroid), shapely.Point(116.4, 39.9)],
               {"名称": ["本区", "北京"]}, "EPSG:4326")
    r = _import(duty, "hospital", "far.gpkg", far)
    assert r.status_code == 422
    [detail] = r.json()["error"]["details"]
    assert detail["field"] == "要素2 几何" and "不在本区" in detail["message"]
    assert _features(duty, "hospital") == []
    # A required field missing in an Excel row names the row and the column.
    cols = excel_columns(census_kind("population"))
    wb = Workbook()
    ws = wb.active
    ws.append([c.label for c in cols])
    ws.append(["甲村", *a.centroid, 1000])
    ws.append(["乙村", *b.centroid, None])
    buf = io.BytesIO()
    wb.save(buf)
    r = _import(duty, "population", "pop.xlsx", buf.getvalue())
    assert r.status_code == 422
    assert [d["field"] for d in r.json()["error"]["details"]] == ["第3行 人口"]
    assert _features(duty, "population") == []


def test_a_gbk_shapefile_without_cpg(api, places, tmp_path) -> None:
    a, _ = places
    _write(tmp_path, "layer.shp", "ESRI Shapefile", [shapely.Point(*a.centroid)],
           {"名称": ["柳江区疾控中心"], "设施类型": ["疾控"]}, "EPSG:4490", encoding="GBK")
    tmp_path.joinpath("layer.cpg").unlink(missing_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(tmp_path.glob("layer.*")):
            z.write(f, f.name)
    r = _import(api("duty"), "critical_facility", "f.zip", buf.getvalue())
    assert r.status_code == 200, r.text
    [f] = _features(api("duty"), "critical_facility")
    assert (f["properties"]["name"], f["properties"]["facility_type"]) == ("柳江区疾控中心", "疾控")


def test_crs_errors(api, places, tmp_path) -> None:
    a, _ = places
    duty = api("duty")
    # A shapefile without a .prj needs the CRS said; a said CRS contradicting the .prj is refused.
    to_gk = Transformer.from_crs("EPSG:4326", "EPSG:4545", always_xy=True)
    data = shapefile_zip(tmp_path, [shapely.Point(*to_gk.transform(*a.centroid))], {"名称": ["甲"]}, "EPSG:4545")
    no_prj = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(no_prj, "w") as dst:
        for n in src.namelist():
            if not n.endswith(".prj"):
                dst.writestr(n, src.read(n))
    r = _import(duty, "school", "s.zip", no_prj.getvalue())
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "crs"
    assert _import(duty, "school", "s.zip", no_prj.getvalue(), crs="EPSG:4545").status_code == 200
    r = _import(duty, "school", "s.zip", data, crs="EPSG:4546")
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "crs"
    # Said wrong: GK metres read as degrees fall outside lon/lat, named as the feature's geometry.
    r = _import(duty, "school", "s.zip", no_prj.getvalue(), crs="EPSG:4490")
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "要素1 几何"
    assert _import(duty, "nonsense", "s.zip", data).status_code == 422
    assert _import(duty, "school", "s.txt", data).json()["error"]["details"][0]["field"] == "file"
    assert _import(duty, "school", "s.zip", b"not a zip").status_code == 422


def test_an_import_replaces_the_kind_and_feeds_the_warning_reach(api, db, places) -> None:
    a, b = places
    duty = api("duty")
    doc = lambda *names: json.dumps({"type": "FeatureCollection", "features": [  # noqa: E731
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(v.centroid)}, "properties": {"name": n}}
        for n, v in zip(names, (a, b), strict=False)]}).encode()
    assert _import(duty, "school", "s.geojson", doc("一小", "二小")).json()["imported"] == 2
    r = _import(duty, "school", "s.geojson", doc("三小"))
    assert r.json()["replaced"] == 2
    assert [f["properties"]["name"] for f in _features(duty, "school")] == ["三小"]


def test_scope_of_census_imports(api, db, places) -> None:
    labao_town = user(db, "labao").scope_path
    inside = village(db, inside=labao_town)
    outside = village(db, outside=labao_town)
    doc = lambda v, n: json.dumps({"type": "FeatureCollection", "features": [  # noqa: E731
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(v.centroid)},
         "properties": {"name": n}}]}).encode()
    labao = api("labao")
    assert _import(labao, "shelter", "a.geojson", doc(inside, "镇内场所")).status_code == 200
    r = _import(labao, "shelter", "b.geojson", doc(outside, "镇外场所"))
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "要素1 几何"
    assert _import(api("duty"), "shelter", "c.geojson", doc(outside, "区里导入")).status_code == 200
    # The bureau's import replaces the kind district-wide; the township officer sees its township only.
    assert [f["properties"]["name"] for f in _features(api("duty"), "shelter")] == ["区里导入"]
    assert _features(labao, "shelter") == []
    # An information officer, a leader and an enterprise manager may not import.
    for who in ("officer", "leader", "chem"):
        assert _import(api(who), "shelter", "d.geojson", doc(inside, "x")).status_code == 403, who
    assert api("chem").get("/api/v1/natural/map/census").status_code == 403
    assert api("chem").get("/api/v1/natural/census/imports").status_code == 403
    assert api("officer").get("/api/v1/natural/map/census").status_code == 200


def test_the_census_page(page_client, places) -> None:
    a, _ = places
    glon, glat = wgs84_to_gcj02(*a.centroid)
    doc = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [glon, glat]},
         "properties": {"name": "页面导入的学校"}}]}).encode()
    c = page_client("duty")
    page = c.get("/natural/census")
    assert page.status_code == 200 and 'action="/natural/census"' in page.text and "GCJ-02" in page.text
    r = c.post("/natural/census", data={"csrf_token": c.csrf, "kind": "school", "crs": "GCJ-02"},
               files={"file": ("s.geojson", doc, "application/geo+json")})
    assert r.status_code == 200 and "已导入 1 个要素" in r.text and "原坐标系 GCJ-02" in r.text
    bad = c.post("/natural/census", data={"csrf_token": c.csrf, "kind": "school"},
                 files={"file": ("s.geojson", doc.replace(b"school", b"x").replace(b'"name"', b'"other"'),
                                 "application/geo+json")})
    assert bad.status_code == 422 and "要素1 名称" in bad.text
    officer = page_client("officer").get("/natural/census")
    assert officer.status_code == 200 and 'action="/natural/census"' not in officer.text
    assert page_client("chem").get("/natural/census").status_code == 403
