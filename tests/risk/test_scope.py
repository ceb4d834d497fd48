"""Permissions and scope from the outside: for each role, what it must not read (404) or do (403)."""

from __future__ import annotations

import pytest

from .helpers import chem_enterprise_id, enterprise_inside, enterprise_outside, new_hazard, user

POINT = {"name": "测试点", "grading": {"method": "lec", "L": 1, "E": 1, "C": 1}}


def test_an_enterprise_cannot_see_another_enterprises_hazards(api, db) -> None:
    mine = chem_enterprise_id(db)
    other = enterprise_outside(db, "never-matches")  # the first enterprise; make sure it is another one
    if other.id == mine:
        other = enterprise_inside(db, "", not_id=mine)
    theirs = new_hazard(db, enterprise_id=other.id)
    db.commit()
    c = api("chem")
    assert c.get(f"/api/v1/risk/hazards/{theirs.id}").status_code == 404
    items = c.get("/api/v1/risk/hazards?page_size=500").json()["items"]
    assert items and all(h["enterprise_id"] == mine for h in items)
    assert c.post(f"/api/v1/risk/hazards/{theirs.id}/transitions", json={"action": "confirm"}).status_code == 404
    assert c.get(f"/api/v1/risk/export/enterprises/{other.id}/risk-list").status_code == 404
    assert c.get(f"/api/v1/risk/enterprises/{other.id}/supervision").status_code == 404
    assert c.post("/api/v1/risk/points", json={**POINT, "enterprise_id": other.id}).status_code == 404
    assert c.get(f"/api/v1/risk/points?enterprise_id={other.id}").json()["total"] == 0
    assert all(f["properties"]["enterprise_id"] == mine for f in c.get("/api/v1/risk/map/points").json()["features"])


def test_enterprise_manager_may_not_judge_or_supervise(api, db) -> None:
    h = new_hazard(db, grade="major")
    db.commit()
    c = api("chem")
    assert c.post(f"/api/v1/risk/hazards/{h.id}/transitions", json={"action": "confirm"}).status_code == 403
    assert c.post(f"/api/v1/risk/hazards/{h.id}/supervise", json={"supervising_unit": "某单位"}).status_code == 403
    assert c.get("/api/v1/risk/reports").status_code == 403
    assert (
        c.post("/api/v1/risk/points", json={**POINT, "region_code": "450206100000", "place_name": "x"}).status_code
        == 403
    )


def test_township_officer_is_confined_to_the_township(api, db) -> None:
    town = user(db, "labao").scope_path
    outside = enterprise_outside(db, town)
    h = new_hazard(db, enterprise_id=outside.id)
    db.commit()
    c = api("labao")
    assert c.get(f"/api/v1/risk/hazards/{h.id}").status_code == 404
    assert c.post("/api/v1/risk/points", json={**POINT, "enterprise_id": outside.id}).status_code == 404
    assert c.post("/api/v1/risk/hazards", json={"enterprise_id": outside.id, "title": "越界登记"}).status_code == 404
    items = c.get("/api/v1/risk/hazards?page_size=500").json()["items"]
    assert all(i["region_path"].startswith(town) for i in items)
    inside = enterprise_inside(db, town)
    r = c.post("/api/v1/risk/points", json={**POINT, "enterprise_id": inside.id})
    assert r.status_code == 201


def test_information_officer_reports_but_does_not_grade(api, db) -> None:
    village = user(db, "officer").scope_path.split("/")[-1]
    c = api("officer")
    assert c.post("/api/v1/risk/points", json={**POINT, "region_code": village, "place_name": "x"}).status_code == 403
    r = c.post("/api/v1/risk/hazards", json={"region_code": village, "place": "村小学围墙", "title": "围墙开裂倾斜"})
    assert r.status_code == 201 and r.json()["source"] == "info_officer"
    from yingji.geo import service as geo_service

    other = next(v.code for v in geo_service.region_infos(db=db, level="village") if v.code != village)
    r2 = c.post("/api/v1/risk/hazards", json={"region_code": other, "place": "x", "title": "别村的隐患"})
    assert r2.status_code == 403
    assert c.post(f"/api/v1/risk/hazards/{r.json()['id']}/transitions", json={"action": "confirm"}).status_code == 403


@pytest.mark.parametrize("who", ["leader", "liaison"])
def test_readers_cannot_write(api, db, who) -> None:
    c = api(who)
    eid = chem_enterprise_id(db)
    assert c.get("/api/v1/risk/hazards").status_code == 200
    assert c.post("/api/v1/risk/points", json={**POINT, "enterprise_id": eid}).status_code == 403
    assert c.post("/api/v1/risk/hazards", json={"enterprise_id": eid, "title": "读者登记"}).status_code == 403
    assert (
        c.post(
            "/api/v1/risk/major-hazards",
            json={
                "enterprise_id": eid,
                "name": "u",
                "unit_type": "storage",
                "substances": [{"name": "氯", "quantity_t": 1}],
            },
        ).status_code
        == 403
    )
    assert c.post("/api/v1/risk/import/points", files={"file": ("a.xlsx", b"x")}).status_code == 403


def test_leader_may_list_for_supervision(api, db) -> None:
    h = new_hazard(db, grade="major")
    db.commit()
    r = api("leader").post(f"/api/v1/risk/hazards/{h.id}/supervise", json={"supervising_unit": "区安委办"})
    assert r.status_code == 200 and r.json()["supervised"]
    assert (
        api("liaison").post(f"/api/v1/risk/hazards/{h.id}/supervise", json={"supervising_unit": "区安委办"}).status_code
        == 403
    )


def test_anonymous_gets_401(client) -> None:
    assert client.get("/api/v1/risk/hazards").status_code == 401
    assert client.post("/api/v1/risk/grade", json={"method": "lec", "L": 1, "E": 1, "C": 1}).status_code == 401
