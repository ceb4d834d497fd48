"""Hazard-point registers over HTTP (issue 16 point 1): the 险情 grade computed at the boundaries of
cn-rules §6.2 (需搬迁转移人数 ≥100 中型, ≥500 大型, ≥1000 特大型; 潜在经济损失 ≥500万 中型, ≥5000万 大型,
≥1亿 特大型; any one criterion is enough), kinds as data, location or outline, and clear errors."""

from __future__ import annotations

import re

import pytest
from tests.natural.helpers import village

WAN = 10_000


@pytest.fixture
def v(db):
    return village(db)


def _create(c, v, **fields):
    lon, lat = v.centroid
    body = {"name": "测试滑坡", "kind": "landslide", "region_code": v.code, "lon": lon, "lat": lat, **fields}
    return c.post("/api/v1/natural/points", json=body)


@pytest.mark.parametrize(("people", "loss", "grade"), [
    (99, 0, "IV"), (100, 0, "III"), (499, 0, "III"), (500, 0, "II"), (999, 0, "II"), (1000, 0, "I"),
    (0, 500 * WAN - 1, "IV"), (0, 500 * WAN, "III"), (0, 5000 * WAN, "II"), (0, 10000 * WAN, "I"),
    (120, 6000 * WAN, "II"),
])
def test_the_danger_grade_is_computed_from_people_or_property(api, v, people, loss, grade) -> None:
    r = _create(api("duty"), v, people=people, property_yuan=loss)
    assert r.status_code == 201, r.text
    assert r.json()["danger_grade"] == grade


def test_the_grade_follows_a_change_of_the_figures(api, v) -> None:
    c = api("duty")
    pid = _create(c, v, people=40, households=10).json()["id"]
    r = c.patch(f"/api/v1/natural/points/{pid}", json={"people": 1000})
    assert r.status_code == 200 and r.json()["danger_grade"] == "I"
    assert c.get(f"/api/v1/natural/points/{pid}").json()["households"] == 10
    assert pid in [p["id"] for p in c.get("/api/v1/natural/points?grade=I&page_size=500").json()["items"]]
    assert pid not in [p["id"] for p in c.get("/api/v1/natural/points?grade=IV&page_size=500").json()["items"]]


def test_only_geological_kinds_are_graded_and_fire_levels_belong_to_forest_areas(api, v) -> None:
    c = api("duty")
    r = _create(c, v, kind="waterlogging", people=5000)
    assert r.status_code == 201 and r.json()["danger_grade"] is None and r.json()["category"] == "waterlogging"
    r = _create(c, v, kind="forest_fire_area", fire_danger_level=4)
    assert r.status_code == 201 and r.json()["fire_danger_level"] == 4 and r.json()["category"] == "forest_fire"
    r = _create(c, v, kind="landslide", fire_danger_level=4)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "fire_danger_level"


def test_kinds_are_data(api) -> None:
    body = api("duty").get("/api/v1/natural/kinds").json()
    assert set(body["categories"]) == {"geological", "flash_flood", "waterlogging", "forest_fire", "water_works"}
    by_key = {k["key"]: k for k in body["kinds"]}
    assert {by_key[k]["label"] for k in ("collapse", "landslide", "debris_flow", "subsidence")} == {
        "崩塌", "滑坡", "泥石流", "地面塌陷"}
    assert by_key["landslide"]["graded"] and not by_key["flash_flood_zone"]["graded"]


def test_bad_input_names_the_field_and_writes_nothing(api, v) -> None:
    c = api("duty")
    before = c.get("/api/v1/natural/points?page_size=1").json()["total"]
    for fields, field in [({"kind": "volcano"}, "kind"), ({"attributes": {"colour": "red"}}, "attributes.colour"),
                          ({"lon": 0.0, "lat": 0.0, "region_code": None}, "lon"),
                          ({"region_code": "999999999999"}, "region_code")]:
        r = _create(c, v, **fields)
        assert r.status_code == 422, r.text
        assert field in [d["field"] for d in r.json()["error"]["details"]], r.json()
    r = _create(c, v, people=-1)
    assert r.status_code == 422 and "people" in r.text
    assert c.get("/api/v1/natural/points?page_size=1").json()["total"] == before


def test_an_area_given_by_its_outline_gets_its_location_inside(api, v) -> None:
    lon, lat = v.centroid
    d = 0.001
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
    r = api("duty").post("/api/v1/natural/points", json={
        "name": "沿河山洪危险区", "kind": "flash_flood_zone", "region_code": v.code,
        "outline": {"type": "Polygon", "coordinates": [ring]}, "attributes": {"river": "测试河"}})
    assert r.status_code == 201, r.text
    p = r.json()
    assert lon - d < p["lon"] < lon + d and lat - d < p["lat"] < lat + d
    bad = api("duty").post("/api/v1/natural/points", json={
        "name": "坏范围", "kind": "flash_flood_zone", "region_code": v.code,
        "outline": {"type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat]]]}})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "outline"


def test_the_register_pages_open(page_client, api, v) -> None:
    pid = _create(api("duty"), v, people=150, name="页面测试滑坡").json()["id"]
    c = page_client("duty")
    r = c.get("/natural")
    assert r.status_code == 200 and "自然灾害隐患点" in r.text
    nav = re.search(r'<a href="/natural"[^>]*>(.*?)</a>', r.text, re.S).group(1)
    assert "自然灾害" in nav and "未建设" not in nav  # the menu entry is built now
    r = c.get(f"/natural/points/{pid}")
    assert r.status_code == 200 and "页面测试滑坡" in r.text and "中型" in r.text
    assert c.get("/natural?category=geological&q=页面测试").text.count("页面测试滑坡") == 1
