"""The risk API from the outside: grading, GB 18218 assessment, risk points, major hazard sources,
supervision, the map layers, and bad input that changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from yingji.risk.models import RiskPoint

from .helpers import chem_enterprise_id, enterprise_outside, user


def test_grade_lec_and_matrix(api) -> None:
    c = api("duty")
    r = c.post("/api/v1/risk/grade", json={"method": "lec", "L": 3, "E": 6, "C": 15})
    assert r.status_code == 200
    assert r.json()["score"] == 270 and r.json()["level"] == "orange" and "D = L×E×C" in r.json()["reason"]
    r = c.post("/api/v1/risk/grade", json={"method": "matrix", "likelihood": 4, "severity": 5})
    assert r.json() == {"score": 20, "level": "red", "reason": r.json()["reason"]}
    r = c.post("/api/v1/risk/grade", json={"method": "lec", "L": 4, "E": 6, "C": 15})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "L"
    r = c.post("/api/v1/risk/grade", json={"method": "guess"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "method"


def test_assess_major_hazard_issue_example(api) -> None:
    body = {
        "unit_type": "production",
        "substances": [{"name": "液氨", "cas": "7664-41-7", "quantity_t": 200}],
        "exposed_people": 60,
    }
    r = api("chem").post("/api/v1/risk/major-hazard/assess", json=body)
    assert r.status_code == 200
    out = r.json()
    assert (out["S"], out["is_major"], out["R"], out["grade"]) == (20, True, 60, 2)
    assert out["breakdown"][0]["table"] == "表1 第1项" and out["breakdown"][0]["beta"] == 2


def test_assess_errors_name_the_substance(api) -> None:
    body = {
        "unit_type": "warehouse",
        "exposed_people": -3,
        "substances": [{"name": "神秘物质", "quantity_t": 1}, {"name": "液氯", "quantity_t": -5}],
    }
    r = api("duty").post("/api/v1/risk/major-hazard/assess", json=body)
    assert r.status_code == 422
    details = {d["field"]: d["message"] for d in r.json()["error"]["details"]}
    assert "unit_type" in details and "exposed_people" in details
    assert "神秘物质" in details["substances[0].name"] and "液氯" in details["substances[1].quantity_t"]


def test_create_point_grades_it_and_enterprise_level_follows(api, db) -> None:
    eid = chem_enterprise_id(db)
    c = api("chem")
    before = c.get(f"/api/v1/risk/enterprises/{eid}/supervision").json()
    r = c.post(
        "/api/v1/risk/points",
        json={
            "enterprise_id": eid,
            "name": "液氯汽化间",
            "hazards": "中毒",
            "grading": {"method": "lec", "L": 6, "E": 6, "C": 40},
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["level"] == "red" and float(r.json()["score"]) == 1440
    after = c.get(f"/api/v1/risk/enterprises/{eid}/supervision").json()
    assert after["level"] == "red" and after["inspections_per_year"] >= before["inspections_per_year"]
    assert after["inspections_per_year"] == 12


def test_public_place_point_needs_a_place_name(api, db) -> None:
    n = db.scalar(select(func.count(RiskPoint.id)))
    village = user(db, "officer").scope_path.split("/")[-1]
    r = api("duty").post(
        "/api/v1/risk/points",
        json={"region_code": village, "name": "中庭", "grading": {"method": "matrix", "likelihood": 2, "severity": 3}},
    )
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "place_name"
    assert db.scalar(select(func.count(RiskPoint.id))) == n  # bad input changes nothing
    r = api("duty").post(
        "/api/v1/risk/points",
        json={
            "region_code": village,
            "place_name": "村农贸市场",
            "name": "中庭",
            "grading": {"method": "matrix", "likelihood": 2, "severity": 3},
        },
    )
    assert r.status_code == 201 and r.json()["level"] == "blue" and r.json()["enterprise_id"] is None


def test_major_hazard_source_raises_enterprise_level(api, db) -> None:
    e = enterprise_outside(db, "never")
    c = api("duty")
    r = c.post(
        "/api/v1/risk/major-hazards",
        json={
            "enterprise_id": e.id,
            "name": "液氯库",
            "unit_type": "storage",
            "exposed_people": 120,
            "substances": [{"name": "氯", "quantity_t": 100}],
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["grade"] == 1 and r.json()["is_major"]
    assert c.get(f"/api/v1/risk/enterprises/{e.id}/supervision").json()["level"] == "red"
    layer = c.get("/api/v1/risk/map/major-hazards").json()
    assert any(f["properties"]["id"] == r.json()["id"] and f["properties"]["level"] == "red" for f in layer["features"])


def test_district_view_counts_and_trend(api) -> None:
    v = api("duty").get("/api/v1/risk/district").json()
    assert v["total"] == sum(v["by_level"].values()) > 300
    listed = api("duty").get("/api/v1/risk/enterprises", params={"page_size": 500}).json()["items"]
    assert v["by_level"] == {lv: sum(1 for r in listed if (r["level"] or "none") == lv) for lv in v["by_level"]}
    assert all(v["by_level"][lv] > 0 for lv in ("red", "orange", "yellow", "blue"))
    assert len(v["trend"]["months"]) == 12 and sum(v["trend"]["found"]) > 0 and sum(v["trend"]["closed"]) > 0
    assert set(v["by_industry"]) >= {"hazardous_chemicals", "construction"}
    rows = (
        api("duty").get("/api/v1/risk/enterprises?level=red&industry=hazardous_chemicals&page_size=500").json()["items"]
    )
    assert rows and all(r["level"] == "red" and r["industry"] == "hazardous_chemicals" for r in rows)
    assert all(r["inspections_per_year"] == 12 for r in rows)


def test_township_view_is_limited_to_the_township(api, db) -> None:
    town = user(db, "labao").scope_path
    rows = api("labao").get("/api/v1/risk/enterprises").json()["items"]
    assert rows and all(r["region_path"].startswith(town) for r in rows)
    assert (
        api("labao").get("/api/v1/risk/enterprises").json()["total"]
        < api("duty").get("/api/v1/risk/enterprises").json()["total"]
    )


def test_map_layers_are_geojson_coloured_by_level(api) -> None:
    c = api("duty")
    for layer in ("points", "enterprises", "major-hazards", "grid"):
        fc = c.get(f"/api/v1/risk/map/{layer}").json()
        assert fc["type"] == "FeatureCollection" and fc["features"], layer
        assert all(f["properties"]["level"] in ("red", "orange", "yellow", "blue") for f in fc["features"])
    grid = c.get("/api/v1/risk/map/grid").json()["features"]
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") and f["properties"]["count"] >= 1 for f in grid)
    assert c.get("/api/v1/risk/map/nothing").status_code == 404


def test_map_filters_by_industry_and_township(api, db) -> None:
    c = api("duty")
    chem = c.get("/api/v1/risk/map/enterprises?industry=hazardous_chemicals").json()["features"]
    assert chem and all(f["properties"]["industry"] == "hazardous_chemicals" for f in chem)
    town = user(db, "labao").scope_path.split("/")[-1]
    inside = c.get(f"/api/v1/risk/map/enterprises?township={town}").json()["features"]
    everything = c.get("/api/v1/risk/map/enterprises").json()["features"]
    assert 0 < len(inside) < len(everything)


def test_grid_rollup_takes_the_highest_level(api, db) -> None:
    from yingji.geo import service as geo_service

    c = api("duty")
    cells = {
        f["properties"]["code"]: f["properties"]["level"] for f in c.get("/api/v1/risk/map/grid").json()["features"]
    }
    red = [f for f in c.get("/api/v1/risk/map/major-hazards").json()["features"] if f["properties"]["level"] == "red"]
    assert red
    for f in red:  # a cell holding a red source is red whatever else it holds
        lon, lat = f["geometry"]["coordinates"]
        cell = geo_service.locate(db=db, lon=lon, lat=lat, level="grid")[0]
        assert cells[cell.code] == "red"
    blue_points = [f for f in c.get("/api/v1/risk/map/points").json()["features"] if f["properties"]["level"] == "blue"]
    assert any(
        cells.get(
            geo_service.locate(
                db=db, lon=p["geometry"]["coordinates"][0], lat=p["geometry"]["coordinates"][1], level="grid"
            )[0].code
        )
        != "blue"
        for p in blue_points
    )  # a blue point can sit in a cell raised by something worse


def test_bad_hazard_input_is_refused_and_changes_nothing(api, db) -> None:
    from yingji.risk.models import Hazard

    eid = chem_enterprise_id(db)
    n = db.scalar(select(func.count(Hazard.id)))
    c = api("chem")
    r = c.post(
        "/api/v1/risk/hazards", json={"enterprise_id": eid, "title": "无时区期限", "deadline": "2099-01-01T00:00:00"}
    )
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "deadline"
    r = c.post("/api/v1/risk/hazards", json={"enterprise_id": eid, "title": "坏等级", "grade": "huge"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "grade"
    r = c.post("/api/v1/risk/hazards", json={"enterprise_id": eid, "title": "附件不存在", "attachment_ids": [987654]})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "attachment_ids"
    r = c.post("/api/v1/risk/hazards", content="{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "malformed_json"
    assert db.scalar(select(func.count(Hazard.id))) == n
    h = c.post(
        "/api/v1/risk/hazards",
        json={"enterprise_id": eid, "title": "正常登记", "deadline": "2099-01-01T00:00:00+08:00"},
    )
    assert h.status_code == 201 and h.json()["deadline"].startswith("2098-12-31T16:00")
    r = api("duty").post(f"/api/v1/risk/hazards/{h.json()['id']}/transitions", json={"action": "fly"})
    assert r.status_code == 422


def test_photo_upload_checks_type(api) -> None:
    from .test_public_reports import png

    c = api("chem")
    r = c.post("/api/v1/risk/attachments", files={"file": ("a.png", png(), "image/png")})
    assert r.status_code == 201 and r.json()["content_type"] == "image/png"
    r = c.post("/api/v1/risk/attachments", files={"file": ("a.png", b"MZ fake exe", "image/png")})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "file"
    assert (
        api("liaison").post("/api/v1/risk/attachments", files={"file": ("a.png", png(), "image/png")}).status_code
        == 403
    )
