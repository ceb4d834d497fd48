"""Permissions from the outside: each role tries to read and change what it must not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.resources.helpers import material, receive, warehouse
from yingji.core.actor import SYSTEM
from yingji.resources import service
from yingji.resources.schemas import ShelterCreate

LINE = {"material_id": 1, "quantity": "1"}


@pytest.fixture
def places(db):
    """A point in 拉堡镇 (labao's) and one in 进德镇 (not), each stocked, plus the district warehouse."""
    mine, theirs, m = warehouse(db, index=0), warehouse(db, index=1), material(db)
    receive(db, mine.id, m.id, 10, "B1")
    receive(db, theirs.id, m.id, 10, "B1")
    lon, lat = 109.35, 24.25
    shelter = service.create_shelter(
        db=db,
        actor=SYSTEM,
        data=ShelterCreate(
            name="进德测试避难场所",
            kind="park",
            level="short_term",
            region_code="450206101000",
            lon=lon,
            lat=lat,
            effective_area_m2=Decimal(4000),
        ),
    )
    district = next(w for w in service.list_warehouses(db=db, actor=SYSTEM) if w.level == "district")
    db.commit()
    return {"mine": mine.id, "theirs": theirs.id, "material": m.id, "shelter": shelter.id, "district": district.id}


def _issue(c, warehouse_id, material_id):
    return c.post(
        "/api/v1/resources/documents",
        json={"kind": "issue", "warehouse_id": warehouse_id, "lines": [{"material_id": material_id, "quantity": "1"}]},
    )


def test_township_books_only_at_its_own_points(api, places) -> None:
    labao = api("labao")
    assert _issue(labao, places["mine"], places["material"]).status_code == 201
    assert _issue(labao, places["theirs"], places["material"]).status_code == 404  # not even visible
    assert labao.get(f"/api/v1/resources/stock?warehouse_id={places['theirs']}").status_code == 404
    # The district reserve serves the township: it sees it, but cannot book there.
    assert labao.get(f"/api/v1/resources/stock?warehouse_id={places['district']}").status_code == 200
    assert _issue(labao, places["district"], places["material"]).status_code == 403
    assert labao.get(f"/api/v1/resources/shelters/{places['shelter']}").status_code == 404
    r = labao.put(f"/api/v1/resources/shelters/{places['shelter']}/occupancy", json={"occupancy": 1, "open": True})
    assert r.status_code == 404


@pytest.mark.parametrize("role", ["leader", "liaison", "officer", "chem"])
def test_roles_without_stock_rights_cannot_post(api, places, role) -> None:
    c = api(role)
    r = _issue(c, places["mine"], places["material"])
    assert r.status_code == 403
    assert (
        c.post(
            "/api/v1/resources/materials", json={"code": "Z1", "name": "x", "category": "engineering", "unit": "个"}
        ).status_code
        == 403
    )
    assert c.post("/api/v1/resources/warehouses", json={"name": "新库", "lon": 109.3, "lat": 24.2}).status_code == 403


def test_township_cannot_change_the_catalogue_or_approve_volunteers(api) -> None:
    labao = api("labao")
    r = labao.post(
        "/api/v1/resources/materials", json={"code": "Z2", "name": "x", "category": "engineering", "unit": "个"}
    )
    assert r.status_code == 403
    # A volunteer team registered in labao's own township: labao sees it, and may still not approve it.
    r = labao.post(
        "/api/v1/resources/teams/volunteer",
        json={"name": "拉堡测试志愿队", "kind": "volunteer", "region_code": "450206100000"},
    )
    assert r.status_code == 201, r.text
    team_id = r.json()["id"]
    assert labao.get(f"/api/v1/resources/teams/{team_id}").status_code == 200
    assert labao.post(f"/api/v1/resources/teams/{team_id}/approval", json={"approve": True}).status_code == 403
    assert api("duty").get(f"/api/v1/resources/teams/{team_id}").json()["approval"] == "pending"


def test_enterprise_manager_sees_no_warehouses_or_shelters(api, places) -> None:
    chem = api("chem")
    assert chem.get("/api/v1/resources/warehouses").json()["items"] == []
    assert chem.get("/api/v1/resources/shelters").json()["total"] == 0
    assert chem.get(f"/api/v1/resources/stock?warehouse_id={places['mine']}").status_code == 404


def test_village_officer_reads_its_area_and_reports_occupancy_only(api, db, places) -> None:
    own = service.create_shelter(
        db=db,
        actor=SYSTEM,
        data=ShelterCreate(
            name="拉堡测试村避难点",
            kind="school",
            level="emergency",
            region_code="450206100001",  # the demo information officer's village
            lon=109.33,
            lat=24.27,
            effective_area_m2=Decimal(1000),
        ),
    )
    db.commit()
    c = api("officer")
    assert c.get("/api/v1/resources/teams").status_code == 200
    assert c.post("/api/v1/resources/teams", json={"name": "xx", "kind": "community"}).status_code == 403
    assert len(c.get("/api/v1/resources/coverage").json()["rows"]) == 1
    r = c.put(f"/api/v1/resources/shelters/{own.id}/occupancy", json={"occupancy": 12, "open": True})
    assert r.status_code == 200, r.text
    assert r.json()["occupancy"] == 12 and r.json()["open"] is True
    assert api("duty").get(f"/api/v1/resources/shelters/{own.id}").json()["occupancy"] == 12
    assert c.patch(f"/api/v1/resources/shelters/{own.id}", json={"name": "改名"}).status_code == 403
    theirs = c.put(f"/api/v1/resources/shelters/{places['shelter']}/occupancy", json={"occupancy": 1, "open": True})
    assert theirs.status_code == 404  # another township's shelter is out of the officer's sight


def test_anonymous_gets_401(client) -> None:
    for url in (
        "/api/v1/resources/teams",
        "/api/v1/resources/nearest?lon=1&lat=1&kind=team",
        "/api/v1/resources/coverage",
    ):
        r = client.get(url)
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
