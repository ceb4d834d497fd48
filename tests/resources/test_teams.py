"""Rescue forces: registration, status (set by the bureau, the township, the enterprise, or the team itself
through its link), volunteer approval, members with certificates (持证上岗率), experts."""

from __future__ import annotations

from datetime import date

import pytest

from yingji.core.actor import SYSTEM
from yingji.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yingji.core.pagination import PageParams
from yingji.resources import service
from yingji.resources.schemas import MemberCreate, TeamCreate, TeamStatusUpdate

LABAO = "450206100000"
JINDE = "450206101000"


def test_demo_has_the_plans_forces(api) -> None:
    c = api("duty")
    community = c.get("/api/v1/resources/teams", params={"kind": "community", "page_size": 500}).json()
    assert community["total"] == 118
    fire = c.get("/api/v1/resources/teams", params={"kind": "fire_station", "page_size": 500}).json()["items"]
    planned = [t for t in fire if t["planned"]]
    assert sum(t["station_class"] == "level1" for t in planned) == 8
    assert sum(t["station_class"] == "small" for t in planned) == 11
    assert any(not t["planned"] for t in fire)
    members = sum(len(c.get(f"/api/v1/resources/teams/{t['id']}/members").json()["items"]) for t in community["items"])
    assert members == 695  # the registry's community response team members, linked by person id


def test_fire_station_needs_its_class_and_bad_input_changes_nothing(api) -> None:
    c = api("duty")
    before = c.get("/api/v1/resources/teams", params={"kind": "fire_station"}).json()["total"]
    r = c.post("/api/v1/resources/teams", json={"name": "新站", "kind": "fire_station", "region_code": LABAO})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "station_class"
    r = c.post(
        "/api/v1/resources/teams",
        json={"name": "新站", "kind": "fire_station", "station_class": "level2", "region_code": "999"},
    )
    assert r.status_code == 422 and "区域" in r.json()["error"]["message"]
    r = c.post("/api/v1/resources/teams", json={"name": "x", "kind": "nope"})
    assert r.status_code == 422
    assert c.get("/api/v1/resources/teams", params={"kind": "fire_station"}).json()["total"] == before
    r = c.post(
        "/api/v1/resources/teams",
        json={
            "name": "拉堡二级站",
            "kind": "fire_station",
            "station_class": "level2",
            "region_code": LABAO,
            "lon": 109.35,
            "lat": 24.25,
        },
    )
    assert r.status_code == 201 and r.json()["region_path"].endswith(LABAO)


def test_status_by_the_township_and_by_the_team_itself(api, client, db) -> None:
    labao = api("labao")
    teams = labao.get("/api/v1/resources/teams", params={"kind": "community", "page_size": 500}).json()["items"]
    own = teams[0]
    assert all(t["region_path"].startswith("450206000000/" + LABAO) for t in teams)
    r = labao.put(f"/api/v1/resources/teams/{own['id']}/status", json={"status": "deployed", "note": "转移群众"})
    assert r.status_code == 200 and r.json()["status"] == "deployed"
    r = labao.put(f"/api/v1/resources/teams/{own['id']}/status", json={"status": "asleep"})
    assert r.status_code == 422
    link = api("duty").post(f"/api/v1/resources/teams/{own['id']}/status-link").json()
    r = client.put(f"/api/v1/resources/team-status/{link['token']}", json={"status": "standby"})
    assert r.status_code == 200 and r.json()["status"] == "standby"
    assert client.put("/api/v1/resources/team-status/not-a-token", json={"status": "standby"}).status_code == 404
    # A new link replaces the old one.
    api("duty").post(f"/api/v1/resources/teams/{own['id']}/status-link")
    assert client.put(f"/api/v1/resources/team-status/{link['token']}", json={"status": "standby"}).status_code == 404


def test_enterprise_manager_sees_and_reports_only_its_own_team(api) -> None:
    chem = api("chem")
    mine = chem.get("/api/v1/resources/teams").json()["items"]
    assert len(mine) == 1 and mine[0]["kind"] == "enterprise"
    r = chem.put(f"/api/v1/resources/teams/{mine[0]['id']}/status", json={"status": "on_duty"})
    assert r.status_code == 200
    other = api("duty").get("/api/v1/resources/teams", params={"kind": "enterprise"}).json()["items"]
    foreign = next(t for t in other if t["id"] != mine[0]["id"])
    assert chem.get(f"/api/v1/resources/teams/{foreign['id']}").status_code == 404
    assert chem.put(f"/api/v1/resources/teams/{foreign['id']}/status", json={"status": "on_duty"}).status_code == 404
    assert chem.patch(f"/api/v1/resources/teams/{mine[0]['id']}", json={"name": "改名"}).status_code == 403


def test_volunteer_registration_and_approval(db, api) -> None:
    officer = api("officer")
    body = {"name": "某村青年志愿队", "kind": "volunteer", "lon": None, "lat": None}
    village = officer.get("/api/v1/geo/regions", params={"level": "village", "page_size": 1}).json()["items"][0]
    body["region_code"] = village["code"]
    r = officer.post("/api/v1/resources/teams/volunteer", json=body)
    assert r.status_code == 201 and r.json()["approval"] == "pending"
    team_id = r.json()["id"]
    # Not available until approved: no status, not among the nearest.
    assert api("duty").put(f"/api/v1/resources/teams/{team_id}/status", json={"status": "on_duty"}).status_code == 409
    assert officer.post(f"/api/v1/resources/teams/{team_id}/approval", json={"approve": True}).status_code == 403
    r = api("duty").post(f"/api/v1/resources/teams/{team_id}/approval", json={"approve": True})
    assert r.status_code == 200 and r.json()["approval"] == "approved"
    assert api("duty").post(f"/api/v1/resources/teams/{team_id}/approval", json={"approve": False}).status_code == 409
    r = officer.post("/api/v1/resources/teams/volunteer", json={**body, "kind": "community"})
    assert r.status_code == 422


def test_certification_rate_counts_valid_certificates(db, fixed_clock) -> None:
    team = service.create_team(
        db=db, actor=SYSTEM, data=TeamCreate(name="测试队", kind="professional", region_code=LABAO)
    )
    base = service.certification(db=db, actor=SYSTEM, today=date(2026, 6, 1))
    for expiry in (date(2026, 6, 1), date(2027, 1, 1), date(2026, 5, 31), None):
        service.add_member(
            db=db,
            actor=SYSTEM,
            team_id=team.id,
            data=MemberCreate(name="队员", certificate_no="C1" if expiry else "", certificate_expiry=expiry),
        )
    after = service.certification(db=db, actor=SYSTEM, today=date(2026, 6, 1))
    assert after["members"] - base["members"] == 4
    assert after["certified"] - base["certified"] == 2  # valid through the expiry day; expired and none do not
    with pytest.raises(ValidationFailed):
        service.add_member(db=db, actor=SYSTEM, team_id=team.id, data=MemberCreate(name="x", certificate_no="C2"))


def test_township_cannot_touch_another_townships_team(db, api) -> None:
    other = service.create_team(
        db=db, actor=SYSTEM, data=TeamCreate(name="进德队", kind="professional", region_code=JINDE)
    )
    db.commit()
    labao = api("labao")
    assert labao.get(f"/api/v1/resources/teams/{other.id}").status_code == 404
    assert labao.put(f"/api/v1/resources/teams/{other.id}/status", json={"status": "deployed"}).status_code == 404
    assert labao.post(f"/api/v1/resources/teams/{other.id}/members", json={"name": "x"}).status_code == 404
    r = labao.post("/api/v1/resources/teams", json={"name": "越界队", "kind": "professional", "region_code": JINDE})
    assert r.status_code == 404


def test_experts_by_speciality(api) -> None:
    c = api("leader")
    geo = c.get("/api/v1/resources/experts", params={"speciality": "geological"}).json()
    assert geo["total"] >= 1 and all(e["speciality"] == "geological" for e in geo["items"])
    assert c.post("/api/v1/resources/experts", json={"name": "x", "speciality": "geological"}).status_code == 403
    r = api("duty").post(
        "/api/v1/resources/experts", json={"name": "覃工", "speciality": "hazchem", "phone": "13800000000"}
    )
    assert r.status_code == 201


def test_services_refuse_what_the_role_lacks(db) -> None:
    class Liaison:
        id, username, role, scope_path, enterprise_id = 99, "l", "liaison", None, None

        def can(self, p: str) -> bool:
            return p == "resources.read"

    with pytest.raises(PermissionDenied):
        service.create_team(db=db, actor=Liaison(), data=TeamCreate(name="xx", kind="community", region_code=LABAO))
    with pytest.raises(NotFound):
        service.get_team(db=db, actor=Liaison(), team_id=10**9)
    with pytest.raises(Conflict):
        team = service.list_teams(db=db, actor=SYSTEM, page=PageParams(), approval="approved")[0][0]
        team.approval = "pending"
        service.set_team_status(db=db, actor=SYSTEM, team_id=team.id, data=TeamStatusUpdate(status="deployed"))


def test_equipment_and_agreements(api) -> None:
    duty = api("duty")
    team = duty.get("/api/v1/resources/teams", params={"kind": "professional"}).json()["items"][0]
    r = duty.post(
        f"/api/v1/resources/teams/{team['id']}/equipment",
        json={"kind": "vehicle", "name": "冲锋舟运输车", "quantity": 1, "plate": "桂B·A1234"},
    )
    assert r.status_code == 201
    assert "冲锋舟运输车" in [
        e["name"] for e in duty.get(f"/api/v1/resources/teams/{team['id']}/equipment").json()["items"]
    ]
    assert (
        duty.post(f"/api/v1/resources/teams/{team['id']}/equipment", json={"name": "x", "quantity": 0}).status_code
        == 422
    )
    body = {
        "kind": "transport",
        "partner": "演示冷链物流公司",
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "response_time_s": 7200,
        "items": [{"what": "冷藏车", "quantity": 5}],
    }
    r = duty.post("/api/v1/resources/agreements", json=body)
    assert r.status_code == 201 and r.json()["response_time_s"] == 7200
    assert duty.post("/api/v1/resources/agreements", json={**body, "valid_to": "2025-01-01"}).status_code == 422
    bad_item = {**body, "kind": "reserve", "items": [{"material_id": 10**9, "quantity": 1}]}
    assert duty.post("/api/v1/resources/agreements", json=bad_item).status_code == 422
    kinds = {a["kind"] for a in api("leader").get("/api/v1/resources/agreements").json()["items"]}
    assert kinds == {"reserve", "transport"}
    assert api("leader").post("/api/v1/resources/agreements", json=body).status_code == 403
