"""Nearest resources and coverage, along the (generated) road graph."""

from __future__ import annotations

import io

from openpyxl import load_workbook

POINT = {"lon": 109.35, "lat": 24.25}


def test_nearest_teams_ranked_by_travel_time(api) -> None:
    r = api("duty").get("/api/v1/resources/nearest", params={**POINT, "kind": "team", "k": 5})
    assert r.status_code == 200
    body = r.json()
    items = body["items"]
    assert len(items) == 5
    assert [i["travel_time_s"] for i in items] == sorted(i["travel_time_s"] for i in items)
    assert all(i["distance_m"] > 0 and i["detail"]["status"] in ("standby", "on_duty") for i in items)
    assert body["road_graph"]["generated"] is True


def test_nearest_skips_deployed_and_planned_teams(api) -> None:
    c = api("duty")
    first = c.get("/api/v1/resources/nearest", params={**POINT, "kind": "team", "k": 1}).json()["items"][0]
    c.put(f"/api/v1/resources/teams/{first['id']}/status", json={"status": "deployed"})
    again = c.get("/api/v1/resources/nearest", params={**POINT, "kind": "team", "k": 3}).json()["items"]
    assert first["id"] not in [i["id"] for i in again]
    fire = c.get(
        "/api/v1/resources/nearest", params={**POINT, "kind": "team", "team_kind": "fire_station", "k": 50}
    ).json()["items"]
    assert fire and all("（规划" not in i["name"] for i in fire)


def test_nearest_warehouses_holding_a_material_and_shelters_with_room(api) -> None:
    c = api("duty")
    tent = next(
        m
        for m in c.get("/api/v1/resources/materials", params={"page_size": 500}).json()["items"]
        if m["name"] == "救灾帐篷"
    )
    items = c.get(
        "/api/v1/resources/nearest", params={**POINT, "kind": "warehouse", "material_id": tent["id"], "k": 3}
    ).json()["items"]
    assert len(items) == 3 and all(float(i["detail"]["quantity"]) > 0 for i in items)
    shelters = c.get("/api/v1/resources/nearest", params={**POINT, "kind": "shelter", "k": 2}).json()["items"]
    assert len(shelters) == 2 and all(
        s["detail"]["free_places"] > 0 and s["detail"]["mode"] == "walk" for s in shelters
    )
    # Walking: at least as long as driving the same road network at 5 km/h.
    assert all(s["travel_time_s"] >= s["distance_m"] / (5 / 3.6) - 1 for s in shelters)


def test_nearest_bad_input(api) -> None:
    c = api("duty")
    for params, field in (
        ({**POINT, "kind": "boats"}, "kind"),
        ({**POINT, "kind": "team", "k": 0}, "k"),
        ({"lon": 200, "lat": 24, "kind": "team"}, "lon"),
        ({**POINT, "kind": "warehouse"}, "material_id"),
        ({**POINT, "kind": "warehouse", "material_id": 10**9}, "material_id"),
    ):
        r = c.get("/api/v1/resources/nearest", params=params)
        assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == field, params
    assert c.get("/api/v1/resources/nearest", params={"lon": "x", "lat": 1, "kind": "team"}).status_code == 422


def test_coverage_table_and_export(api) -> None:
    c = api("duty")
    body = c.get("/api/v1/resources/coverage").json()
    rows = body["rows"]
    assert len(rows) == 118
    row = rows[0]
    assert row["nearest_shelters"] and row["places_needed"] == -(-row["population"] * 15 // 100)
    dists = [s["distance_m"] for s in row["nearest_shelters"]]
    assert dists == sorted(dists)
    for r in rows:
        assert r["outside"] == (not r["shelter_in_radius"])
        if r["fire_time_s"] is not None:
            assert r["fire_ok"] == (r["fire_time_s"] <= body["targets"]["fire_time_s"])
    assert any(r["outside"] for r in rows) and any(not r["outside"] for r in rows)
    x = c.get("/api/v1/resources/coverage.xlsx")
    assert x.status_code == 200
    ws = load_workbook(io.BytesIO(x.content)).active
    assert ws.cell(1, 3).value == "村（社区）" and ws.max_row == 119
    labao = api("labao").get("/api/v1/resources/coverage").json()["rows"]
    assert 0 < len(labao) < 118 and all(r["township"] == "拉堡镇" for r in labao)


def test_map_layers(api) -> None:
    c = api("duty")
    for layer in ("teams", "shelters", "warehouses", "coverage"):
        fc = c.get(f"/api/v1/resources/map/{layer}.geojson").json()
        assert fc["type"] == "FeatureCollection" and fc["features"], layer
    assert c.get("/api/v1/resources/map/secrets.geojson").status_code == 404


def test_road_import_through_the_api(api) -> None:
    import json

    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"highway": "primary"},
                "geometry": {"type": "LineString", "coordinates": [[109.30, 24.25], [109.35, 24.25], [109.40, 24.25]]},
            }
        ],
    }
    files = {"file": ("roads.geojson", json.dumps(fc).encode())}
    assert api("labao").post("/api/v1/resources/roads", files=files).status_code == 403
    bad = {"file": ("roads.geojson", b"{not json")}
    assert api("duty").post("/api/v1/resources/roads", files=bad).status_code == 422
    assert api("duty").get("/api/v1/resources/coverage").json()["road_graph"]["generated"] is True  # unchanged
    r = api("duty").post("/api/v1/resources/roads", files=files)
    assert r.status_code == 200 and r.json() == {"edges": 2}
    body = api("duty").get("/api/v1/resources/nearest", params={"lon": 109.35, "lat": 24.25, "kind": "team"}).json()
    assert body["road_graph"] == {"source": "geojson:roads.geojson", "generated": False, "nodes": 3}
