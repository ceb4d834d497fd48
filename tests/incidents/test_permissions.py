"""Scope from the outside (issue point 11): a township officer sees and acts on its township's incidents;
an information officer reports for its village and sees its own reports; an enterprise manager reports its
enterprise's accidents; leaders and the duty room see all. Each refusal has its one right status: 403 for
what the role may not do, 404 for what lies outside its scope (existence does not leak)."""

from __future__ import annotations

import pytest

from tests.incidents.helpers import JINDE, LABAO, LABAO_VILLAGE
from tests.incidents.test_api import BODY

OTHER_LABAO_VILLAGE = "450206100002"


@pytest.fixture
def seen(api):
    """An incident in 进德镇 and one in 拉堡镇's village, both taken by the duty room's phone."""
    duty = api("duty")
    jinde = duty.post("/api/v1/incidents", json={**BODY, "region_code": JINDE}).json()
    labao = duty.post("/api/v1/incidents", json={**BODY, "region_code": LABAO_VILLAGE}).json()
    return {"jinde": jinde["id"], "labao": labao["id"]}


def change(c, incident_id, version=1):
    return c.post(f"/api/v1/incidents/{incident_id}/casualties", json={"version": version, "trapped": 1, "source": "x"})


@pytest.mark.parametrize("role", ["duty", "leader"])
def test_leaders_and_duty_room_see_all(api, seen, role) -> None:
    ids = {i["id"] for i in api(role).get("/api/v1/incidents", params={"page_size": 500}).json()["items"]}
    assert {seen["jinde"], seen["labao"]} <= ids
    assert api(role).get(f"/api/v1/incidents/{seen['jinde']}").status_code == 200


def test_leader_reads_but_does_not_act(api, seen) -> None:
    leader = api("leader")
    assert leader.post("/api/v1/incidents", json=BODY).status_code == 403
    assert change(leader, seen["jinde"]).status_code == 403
    assert api("duty").get(f"/api/v1/incidents/{seen['jinde']}").json()["trapped"] == 0


def test_township_officer_sees_and_acts_on_its_township_only(api, seen) -> None:
    labao = api("labao")
    ids = {i["id"] for i in labao.get("/api/v1/incidents", params={"page_size": 500}).json()["items"]}
    assert seen["labao"] in ids and seen["jinde"] not in ids
    assert labao.get(f"/api/v1/incidents/{seen['jinde']}").status_code == 404
    assert change(labao, seen["jinde"]).status_code == 404
    assert change(labao, seen["labao"]).status_code == 200
    assert labao.post("/api/v1/incidents", json={**BODY, "region_code": LABAO}).status_code == 201
    assert labao.post("/api/v1/incidents", json={**BODY, "region_code": JINDE}).status_code == 403
    assert api("duty").get(f"/api/v1/incidents/{seen['jinde']}").json()["trapped"] == 0


def test_information_officer_reports_for_its_village_and_sees_its_own(api, seen) -> None:
    officer = api("officer")
    mine = officer.post("/api/v1/incidents", json={**BODY, "kind": "landslide", "region_code": LABAO_VILLAGE})
    assert mine.status_code == 201, mine.text
    assert mine.json()["source"] == "officer"
    other = officer.post("/api/v1/incidents", json={**BODY, "region_code": OTHER_LABAO_VILLAGE})
    assert other.status_code == 403
    ids = {i["id"] for i in officer.get("/api/v1/incidents").json()["items"]}
    assert ids == {mine.json()["id"]}  # not the duty room's report from the same village
    assert officer.get(f"/api/v1/incidents/{seen['labao']}").status_code == 404
    assert change(officer, mine.json()["id"]).status_code == 403


def test_enterprise_manager_reports_its_enterprise_accidents(api, seen) -> None:
    chem = api("chem")
    body = {k: v for k, v in BODY.items() if k != "region_code"}  # at the enterprise's own place
    r = chem.post("/api/v1/incidents", json={**body, "kind": "hazardous_chemicals"})
    assert r.status_code == 201, r.text
    own = r.json()
    assert own["source"] == "enterprise" and own["enterprise_id"] is not None
    assert chem.post("/api/v1/incidents", json={**body, "kind": "flood"}).status_code == 422
    assert {i["id"] for i in chem.get("/api/v1/incidents").json()["items"]} == {own["id"]}
    assert chem.get(f"/api/v1/incidents/{seen['labao']}").status_code == 404
    assert change(chem, own["id"]).status_code == 403


def test_liaison_has_no_incident_access(api, seen) -> None:
    assert api("liaison").get("/api/v1/incidents").status_code == 403
    assert api("liaison").get(f"/api/v1/incidents/{seen['jinde']}").status_code == 403


@pytest.mark.parametrize("role", ["labao", "leader", "officer", "chem"])
def test_only_the_duty_room_imports_the_roster_and_hands_over(api, role) -> None:
    from tests.incidents.test_duty import ROWS, xlsx

    c = api(role)
    files = {"file": ("r.xlsx", xlsx(ROWS), "application/octet-stream")}
    assert c.post("/api/v1/duty/roster/import", files=files).status_code == 403
    assert c.post("/api/v1/duty/handovers", json={"to_name": "x"}).status_code == 403
    expected = 200 if role in ("labao", "leader") else 403
    assert c.get("/api/v1/duty/now").status_code == expected
