"""The command workspace from the outside (issue point 5): the response level started, raised, lowered and
ended with who decided and when; the drawn affected area; tasks with deadlines and status; numbered signed
sitreps; everything on one timeline; two officers at once get the conflict; scope per role (issue point 11)
for the workspace and its orders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.incidents.helpers import JINDE, LABAO_VILLAGE, T0
from tests.incidents.test_dispatch import BODY, send_team, step, url

AREA = {"type": "Polygon", "coordinates": [[[109.30, 24.20], [109.34, 24.20], [109.34, 24.23], [109.30, 24.20]]]}


@pytest.fixture
def incident(api, fixed_clock):
    fixed_clock(T0 + timedelta(minutes=20))
    r = api("duty").post("/api/v1/incidents", json=BODY)
    assert r.status_code == 201, r.text
    return r.json()


def respond(c, incident, version, **body):
    return c.post(url(incident, "/response"), json={"version": version, **body})


def test_response_level_started_raised_lowered_ended_with_who_and_when(api, incident, fixed_clock) -> None:
    duty = api("duty")
    r = respond(duty, incident, 1, action="start", level="IV", decided_by="副区长 蓝天", reason="内涝")
    assert r.status_code == 201, r.text
    assert (r.json()["decided_by"], r.json()["recorded_by"], r.json()["new_level"]) == (
        "副区长 蓝天",
        "值班员 韦明",
        "IV",
    )
    fixed_clock(T0 + timedelta(minutes=50))
    assert respond(duty, incident, 2, action="raise", level="III").status_code == 201
    wrong = respond(duty, incident, 3, action="raise", level="IV")  # IV is lower than III
    assert wrong.status_code == 422 and wrong.json()["error"]["details"][0]["field"] == "level"
    assert respond(duty, incident, 3, action="start", level="II").status_code == 422  # one is in force
    assert respond(duty, incident, 3, action="lower", level="IV").status_code == 201
    assert respond(duty, incident, 4, action="end").status_code == 201
    assert respond(duty, incident, 5, action="end").status_code == 422  # nothing in force
    w = duty.get(url(incident, "/workspace")).json()
    assert [(x["action"], x["old_level"], x["new_level"]) for x in w["responses"]] == [
        ("start", "", "IV"),
        ("raise", "IV", "III"),
        ("lower", "III", "IV"),
        ("end", "IV", ""),
    ]
    assert w["responses"][1]["at"].startswith("2026-06-01T02:50")
    assert w["command"]["response_level"] == "" and w["command"]["response_ended_at"]
    assert [e["kind"] for e in w["timeline"][:4]] == ["response"] * 4
    assert "启动四级响应（副区长 蓝天 决定）" in w["timeline"][3]["text"]


def test_two_officers_at_once_the_second_gets_the_conflict_naming_the_first(api, incident) -> None:
    duty, labao = api("duty"), api("labao")
    assert respond(duty, incident, 1, action="start", level="IV").status_code == 201
    late = respond(labao, incident, 1, action="start", level="III", reason="我填写的理由")
    assert late.status_code == 409
    message = late.json()["error"]["message"]
    assert "值班员 韦明" in message and "第 1 版" in message and "第 2 版" in message
    assert duty.get(url(incident, "/workspace")).json()["command"]["response_level"] == "IV"  # unchanged


def test_affected_area_stored_and_bad_polygons_named(api, incident) -> None:
    duty = api("duty")
    r = duty.put(url(incident, "/area"), json={"area": AREA, "note": "城区低洼片", "version": 1})
    assert r.status_code == 200, r.text
    assert r.json()["area"]["coordinates"][0][1] == [109.34, 24.20] and r.json()["version"] == 2
    for bad in (
        {"type": "Point", "coordinates": [109.3, 24.2]},
        {"type": "Polygon", "coordinates": [[[109.3, 24.2], [109.34, 24.2], [109.3, 24.2]]]},
        {"type": "Polygon", "coordinates": [[[109.3, 24.2], [109.34, 24.2], [109.34, 24.23], [109.31, 24.2]]]},
        {"type": "Polygon", "coordinates": [[[200, 24.2], [109.34, 24.2], [109.34, 24.23], [200, 24.2]]]},
    ):
        r = duty.put(url(incident, "/area"), json={"area": bad, "version": 2})
        assert r.status_code == 422, bad
        assert r.json()["error"]["details"][0]["field"] == "area"
    assert duty.get(url(incident, "/workspace")).json()["command"]["area"]["coordinates"] == AREA["coordinates"]


def test_tasks_with_deadlines_and_status(api, incident) -> None:
    duty = api("duty")
    r = duty.post(
        url(incident, "/tasks"),
        json={
            "title": "排查低洼地带",
            "assignee_kind": "department",
            "assignee": "区水利局",
            "due_at": "2026-06-01T14:00:00+08:00",
        },
    )
    assert r.status_code == 201, r.text
    task = r.json()
    assert task["due_at"].startswith("2026-06-01T06:00") and task["status"] == "open"
    s = duty.post(f"/api/v1/incidents/tasks/{task['id']}/status", json={"status": "in_progress", "version": 1})
    assert s.status_code == 200 and s.json()["version"] == 2
    stale = api("labao").post(f"/api/v1/incidents/tasks/{task['id']}/status", json={"status": "done", "version": 1})
    assert stale.status_code == 409
    assert (
        duty.post(f"/api/v1/incidents/tasks/{task['id']}/status", json={"status": "done", "version": 2}).status_code
        == 200
    )
    done = duty.post(f"/api/v1/incidents/tasks/{task['id']}/status", json={"status": "open", "version": 3})
    assert done.status_code == 409
    bad = duty.post(url(incident, "/tasks"), json={"title": "x", "assignee_kind": "nobody", "assignee": "y"})
    assert bad.status_code == 422 and "assignee_kind" in str(bad.json()["error"]["details"])


def test_sitreps_numbered_and_signed(api, incident) -> None:
    duty, labao = api("duty"), api("labao")
    first = duty.post(url(incident, "/sitreps"), json={"body": "拉堡镇内涝，被困 3 人"}).json()
    second = labao.post(url(incident, "/sitreps"), json={"title": "续报", "body": "被困群众已转移"}).json()
    assert (first["number"], first["signed_by"]) == (1, "值班员 韦明")
    assert second["number"] == 2 and second["signed_by"] != first["signed_by"]
    sitreps = duty.get(url(incident, "/workspace")).json()["sitreps"]
    assert [s["number"] for s in sitreps] == [2, 1]
    assert duty.post(url(incident, "/sitreps"), json={"body": ""}).status_code == 422


def test_timeline_is_one_ordered_list_of_everything(api, incident) -> None:
    duty = api("duty")
    respond(duty, incident, 1, action="start", level="IV")
    duty.post(url(incident, "/messages"), json={"text": "区长要求全力搜救"})
    order = send_team(duty, incident)["order"]
    step(duty, order["id"], "acknowledged")
    duty.post(url(incident, "/sitreps"), json={"body": "态势"})
    kinds = [e["kind"] for e in duty.get(url(incident, "/timeline")).json()["items"]]
    assert kinds[:5] == ["sitrep", "ack", "order", "message", "response"] and kinds[-1] == "report"
    first = duty.get(url(incident, "/timeline"), params={"page_size": 2}).json()
    assert len(first["items"]) == 2 and first["total"] == len(kinds) and first["page_size"] == 2
    newest = first["items"][0]["id"]
    since = duty.get(url(incident, "/timeline"), params={"after_id": newest}).json()
    assert since["items"] == [] and since["total"] == 0


# --- scope per role -----------------------------------------------------------------------------------


@pytest.fixture
def two(api, fixed_clock):
    fixed_clock(T0 + timedelta(minutes=20))
    duty = api("duty")
    jinde = duty.post("/api/v1/incidents", json={**BODY, "region_code": JINDE}).json()
    labao = duty.post("/api/v1/incidents", json={**BODY, "region_code": LABAO_VILLAGE}).json()
    return {"jinde": jinde, "labao": labao, "jinde_order": send_team(duty, jinde)["order"]}


def test_township_officer_commands_its_township_only(api, two) -> None:
    labao = api("labao")
    assert labao.get(url(two["labao"], "/workspace")).status_code == 200
    assert respond(labao, two["labao"], 1, action="start", level="IV").status_code == 201
    assert labao.get(url(two["jinde"], "/workspace")).status_code == 404
    assert labao.get(url(two["jinde"], "/timeline")).status_code == 404
    assert respond(labao, two["jinde"], 1, action="start", level="IV").status_code == 404
    assert labao.get(f"/api/v1/incidents/orders/{two['jinde_order']['id']}").status_code == 404
    assert step(labao, two["jinde_order"]["id"], "acknowledged").status_code == 404
    assert labao.post(url(two["jinde"], "/sitreps"), json={"body": "x"}).status_code == 404
    assert api("duty").get(f"/api/v1/incidents/orders/{two['jinde_order']['id']}").json()["status"] == "sent"


def test_leader_reads_the_workspace_but_does_not_command(api, two) -> None:
    leader = api("leader")
    assert leader.get(url(two["jinde"], "/workspace")).status_code == 200
    assert respond(leader, two["jinde"], 1, action="start", level="IV").status_code == 403
    assert step(leader, two["jinde_order"]["id"], "acknowledged").status_code == 403


@pytest.mark.parametrize("role", ["officer", "chem", "liaison"])
def test_information_officer_enterprise_manager_and_liaison_are_refused(api, two, role) -> None:
    c = api(role)
    incident, order = two["labao"], two["jinde_order"]
    for r in (
        c.get(url(incident, "/workspace")),
        c.get(url(incident, "/timeline")),
        c.get(url(incident, "/stream"), params={"max_s": 1}),
        c.get(url(incident, "/team-candidates")),
        respond(c, incident, 1, action="start", level="IV"),
        c.post(url(incident, "/sitreps"), json={"body": "x"}),
        c.post(url(incident, "/orders/team"), json={"team_id": 1}),
        c.get(f"/api/v1/incidents/orders/{order['id']}"),
        step(c, order["id"], "acknowledged"),
    ):
        assert r.status_code == 403, (r.request.url, r.text)
    assert api("duty").get(f"/api/v1/incidents/orders/{order['id']}").json()["status"] == "sent"
    assert api("duty").get(url(incident, "/workspace")).json()["command"] is None  # nothing changed


def test_info_officer_and_enterprise_see_their_own_report_page_without_the_command(page_client, api, fixed_clock):
    fixed_clock(T0 + timedelta(minutes=20))
    officer = api("officer")
    mine = officer.post("/api/v1/incidents", json={**BODY, "kind": "landslide", "region_code": LABAO_VILLAGE}).json()
    c = page_client("officer")
    page = c.get(f"/incidents/{mine['id']}")
    assert page.status_code == 200 and mine["title"] in page.text
    assert 'id="dispatch"' not in page.text and 'id="orders"' not in page.text and "workspace-data" not in page.text
