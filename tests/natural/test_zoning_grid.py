"""Risk zoning per grid cell (issue 16 point 5), expected values by hand from data/zoning.toml's defaults
(weights 0.5 / 0.3 / 0.2; H as per village; E from the cell's residents, breaks 10, 100, 1000, a step
more for a school or hospital, at most 4; V from the unmonitored share, breaks 1 %, 25 %, 50 %, a step
less for a capacity site within 3 km of the cell's centre, at least 1; levels red ≥ 3.25, orange ≥ 2.5,
yellow ≥ 1.75); the layer, its GeoJSON export and its map picture."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from shapely.geometry import Point, mapping, shape
from sqlalchemy import update
from tests.natural.helpers import monitor, point, user, village

from yingji.geo import service as geo_service
from yingji.natural.grid import Grid, meridian_for
from yingji.natural.models import HazardPoint
from yingji.natural.zoning import PointFacts, cell_risk


def test_cells_scored_by_hand() -> None:
    iii = PointFacts("geological", "III", None, 150, False)
    # 150 residents (E 3) and a school (→ 4); unmonitored (V 4) with a shelter near (→ 3); H 2 (中型):
    # 0.5·2 + 0.3·4 + 0.2·3 = 2.8 → orange.
    [r], level = cell_risk([iii], residents=150, sensitive=1, capacity_near=True)
    assert (r.hazard, r.exposure, r.vulnerability, r.score, level) == (2, 4, 3, pytest.approx(2.8), "orange")
    # No census data in the cell: the 150 threatened count (E 3); no school, no shelter: V 4 →
    # 1 + 0.9 + 0.8 = 2.7 → orange. With a monitor and a shelter V = max(1, 1 − 1) = 1 → 1 + 0.9 + 0.2 = 2.1.
    [r2], _ = cell_risk([iii], residents=None)
    assert (r2.exposure, r2.vulnerability, r2.score) == (3, 4, pytest.approx(2.7))
    [r3], lv3 = cell_risk([PointFacts("geological", "III", None, 150, True)], residents=None, capacity_near=True)
    assert (r3.vulnerability, r3.score, lv3) == (1, pytest.approx(2.1), "yellow")
    # Exposure stops at 4: 1000 residents and a hospital; break edges inclusive (10 → 2, 9 → 1).
    [r4], _ = cell_risk([iii], residents=1000, sensitive=2)
    assert r4.exposure == 4
    assert cell_risk([iii], residents=10)[0][0].exposure == 2 and cell_risk([iii], residents=9)[0][0].exposure == 1
    # Two categories in one cell: the combined level is the highest.
    risks, combined = cell_risk([iii, PointFacts("forest_fire", None, 5, 0, True)], residents=0)
    assert {x.category: x.level for x in risks} == {"geological": "yellow", "forest_fire": "orange"}
    assert combined == "orange"


def test_the_grid_is_stable_metres_on_the_gauss_kruger_plane() -> None:
    assert meridian_for(109.4) == 108 and meridian_for(110.6) == 111
    g = Grid(108, 1000.0)
    i, j = next(g.cells_meeting(g.to_plane(Point(109.4, 24.3))))
    cell = g.cell_lonlat(i, j)
    assert cell.contains(Point(109.4, 24.3))
    back = g.to_plane(cell)
    assert back.area == pytest.approx(1_000_000, rel=1e-6)  # a square kilometre on the plane
    assert g.code(i, j) == f"GK108-{i:04d}-{j:04d}"


def _geojson(features: list[tuple[dict, dict]]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": g, "properties": p} for g, p in features]}, ensure_ascii=False).encode()


def _import(c, kind: str, data: bytes):
    r = c.post("/api/v1/natural/census/import", data={"kind": kind}, files={"file": ("x.geojson", data)})
    assert r.status_code == 200, r.text


@pytest.fixture
def cell_world(db, api):
    """One 小型 landslide (5 people, no monitor) at the centre of a 1 km cell A of the demo officer's village;
    a census population polygon of 300 covering A and the cell east of it (150 fall in A), a school in A,
    a shelter 2 km from A's centre. Every other hazard point is taken out of service."""
    db.execute(update(HazardPoint).values(status="removed"))
    own = user(db, "officer").scope_path
    town = user(db, "labao").scope_path
    # The officer's village, or else another of the township, where every place drawn lies in the district.
    candidates = sorted((v for v in geo_service.region_infos(db=db, level="village") if v.path.startswith(town + "/")),
                        key=lambda v: v.path != own)
    for v in candidates:
        g = Grid(meridian_for(v.centroid[0]), 1000.0)
        i, j = next(g.cells_meeting(g.to_plane(Point(*v.centroid))))
        c = g.cell(i, j).centroid
        centre, school, shelter = (g.to_lonlat(Point(c.x + dx, c.y + dy)) for dx, dy in ((0, 0), (200, 200), (0, 2000)))
        two = g.to_lonlat(g.cell(i, j).union(g.cell(i + 1, j)).segmentize(100))
        rep = two.representative_point()
        if all(geo_service.locate(db=db, lon=q.x, lat=q.y, level="village") for q in (centre, school, shelter, rep)):
            break
    else:
        raise AssertionError("no cell wholly in the district")
    p = point(db, v.code, people_n=5, lon=round(centre.x, 7), lat=round(centre.y, 7), name="网格测试滑坡")
    db.commit()
    duty = api("duty")
    _import(duty, "population", _geojson([(mapping(two), {"name": v.name, "population": 300})]))
    _import(duty, "school", _geojson([(mapping(school), {"name": "网格小学"})]))
    _import(duty, "shelter", _geojson([(mapping(shelter), {"name": "网格避难场所"})]))
    return {"code": g.code(i, j), "point": p.id, "village": v, "grid": g, "cell": (i, j), "officers": v.path == own}


def _cells(c) -> dict[str, dict]:
    r = c.get("/api/v1/natural/map/zoning?by=cell")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/geo+json")
    assert "natural-zoning-cell.geojson" in r.headers["content-disposition"]
    return {f["properties"]["code"]: f for f in r.json()["features"]}


def test_a_cell_from_points_and_census(api, db, cell_world) -> None:
    cells = _cells(api("duty"))
    assert set(cells) == {cell_world["code"]}  # only the cell meeting a point in service
    props = cells[cell_world["code"]]["properties"]
    # H 1 (小型); residents 150 (E 3) + school (E 4); unmonitored V 4, the shelter within 3 km → 3:
    # 0.5·1 + 0.3·4 + 0.2·3 = 2.3 → yellow.
    assert (props["residents"], props["sensitive"], props["capacity_near"]) == (150, 1, True)
    [geo] = props["categories"]
    assert (geo["hazard"], geo["exposure"], geo["vulnerability"]) == (1, 4, 3)
    assert geo["score"] == pytest.approx(2.3) and props["level"] == "yellow"
    outline = shape(cells[cell_world["code"]]["geometry"])
    assert cell_world["grid"].to_plane(outline).area == pytest.approx(1_000_000, rel=1e-4)
    # A monitor makes V 1 (and the shelter cannot lower it further): 0.5 + 1.2 + 0.2 = 1.9, still yellow.
    monitor(db, cell_world["point"])
    db.commit()
    [geo] = _cells(api("duty"))[cell_world["code"]]["properties"]["categories"]
    assert geo["vulnerability"] == 1 and geo["score"] == pytest.approx(1.9)


def test_the_map_picture(api, cell_world) -> None:
    r = api("duty").get("/api/v1/natural/map/zoning.png?by=cell")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    img = Image.open(io.BytesIO(r.content))
    img.verify()
    img = Image.open(io.BytesIO(r.content)).convert("RGB")
    assert img.size == (1200, 900)
    # The yellow cell is drawn (yellow 241,196,15 at alpha 150 over the pale township fill or white),
    # besides the legend's yellow box at the bottom.
    def yellowish(px):
        return px[0] > 225 and 200 < px[1] < 232 and px[2] < 135

    body = [img.getpixel((x, y)) for x in range(0, 1200, 2) for y in range(60, 850, 2)]
    assert any(yellowish(px) for px in body)
    legend = [img.getpixel((x, y)) for x in range(0, 1200) for y in range(870, 886)]
    assert any(yellowish(px) for px in legend)
    village_picture = api("duty").get("/api/v1/natural/map/zoning.png?by=village")
    assert village_picture.status_code == 200 and Image.open(io.BytesIO(village_picture.content)).size == (1200, 900)
    assert api("duty").get("/api/v1/natural/map/zoning.png?by=county").status_code == 422


def test_scope_of_the_cells_and_the_picture(api, db, cell_world) -> None:
    far = village(db, outside=user(db, "labao").scope_path)
    point(db, far.code, people_n=3, name="外镇网格点")
    db.commit()
    assert len(_cells(api("duty"))) == 2
    # The officer sees its village's cells only (the cell when it lies in the officer's village).
    assert set(_cells(api("officer"))) == ({cell_world["code"]} if cell_world["officers"] else set())
    assert cell_world["code"] in _cells(api("labao")) and len(_cells(api("labao"))) == 1
    for who in ("chem",):
        assert api(who).get("/api/v1/natural/map/zoning?by=cell").status_code == 403
        assert api(who).get("/api/v1/natural/map/zoning.png").status_code == 403
    assert api("officer").get("/api/v1/natural/map/zoning.png").status_code == 200
