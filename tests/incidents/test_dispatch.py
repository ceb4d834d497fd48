"""Dispatch from the outside (issue point 6): a team sent becomes deployed and is no longer offered, and its
release puts its status back; materials requested post an issue document, so stock and ledger agree, and
release returns them; evacuees at a shelter never above capacity without a recorded override; the order
status machine; the receiver's status link; an unacknowledged order escalated to the 待办 inbox."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.incidents.helpers import LABAO, T0

BODY = {
    "kind": "flood",
    "occurred_at": "2026-06-01T10:00:00+08:00",
    "region_code": LABAO,
    "address": "拉堡镇",
    "trapped": 3,
    "description": "内涝，群众被困",
}


@pytest.fixture
def incident(api, fixed_clock):
    fixed_clock(T0 + timedelta(minutes=20))
    r = api("duty").post("/api/v1/incidents", json=BODY)
    assert r.status_code == 201, r.text
    return r.json()


def url(incident, tail=""):
    return f"/api/v1/incidents/{incident['id']}{tail}"


def send_team(duty, incident, team_id=None):
    if team_id is None:
        team_id = duty.get(url(incident, "/team-candidates")).json()["items"][0]["id"]
    r = duty.post(url(incident, "/orders/team"), json={"team_id": team_id, "instructions": "转移被困群众"})
    assert r.status_code == 201, r.text
    return r.json()


def step(c, order_id, to, **kw):
    return c.post(f"/api/v1/incidents/orders/{order_id}/status", json={"to": to, **kw})


def test_a_sent_team_is_deployed_not_offered_again_and_released_back(api, incident) -> None:
    duty = api("duty")
    offered = duty.get(url(incident, "/team-candidates"), params={"k": 5}).json()["items"]
    assert offered and offered == sorted(offered, key=lambda t: t["travel_time_s"])  # nearest first
    team = offered[0]
    before = duty.get(f"/api/v1/resources/teams/{team['id']}").json()["status"]
    assert before in ("standby", "on_duty")
    sent = send_team(duty, incident, team["id"])
    assert sent["order"]["status"] == "sent" and sent["status_link"].startswith("/orders/")
    assert sent["order"]["travel_time_s"] == team["travel_time_s"]
    assert duty.get(f"/api/v1/resources/teams/{team['id']}").json()["status"] == "deployed"
    again = duty.get(url(incident, "/team-candidates"), params={"k": 5}).json()["items"]
    assert team["id"] not in [t["id"] for t in again]
    twice = duty.post(url(incident, "/orders/team"), json={"team_id": team["id"]})
    assert twice.status_code == 409 and "已承担" in twice.json()["error"]["message"]
    order_id = sent["order"]["id"]
    for to in ("acknowledged", "en_route", "on_scene", "released"):
        r = step(duty, order_id, to)
        assert r.status_code == 200, r.text
    assert duty.get(f"/api/v1/resources/teams/{team['id']}").json()["status"] == before
    detail = duty.get(f"/api/v1/incidents/orders/{order_id}").json()
    assert [s["to_status"] for s in detail["steps"]] == ["sent", "acknowledged", "en_route", "on_scene", "released"]
    offered_again = duty.get(url(incident, "/team-candidates"), params={"k": 5}).json()["items"]
    assert team["id"] in [t["id"] for t in offered_again]


def stock_of(duty, warehouse_id, material_id) -> Decimal:
    rows = duty.get(
        "/api/v1/resources/stock", params={"warehouse_id": warehouse_id, "material_id": material_id, "page_size": 500}
    ).json()
    items = rows["items"] if isinstance(rows, dict) else rows
    return sum((Decimal(str(r["quantity"])) for r in items), Decimal(0))


def a_stocked_line(duty):
    rows = duty.get("/api/v1/resources/stock", params={"page_size": 500}).json()
    items = rows["items"] if isinstance(rows, dict) else rows
    row = max(items, key=lambda r: Decimal(str(r["quantity"])))
    return row["warehouse_id"], row["material_id"]


def test_materials_post_an_issue_document_and_return_on_release(api, incident) -> None:
    duty = api("duty")
    warehouse_id, material_id = a_stocked_line(duty)
    before = stock_of(duty, warehouse_id, material_id)
    r = duty.post(
        url(incident, "/orders/material"),
        json={"warehouse_id": warehouse_id, "lines": [{"material_id": material_id, "quantity": "3"}]},
    )
    assert r.status_code == 201, r.text
    order = r.json()["order"]
    assert stock_of(duty, warehouse_id, material_id) == before - 3
    doc = duty.get(f"/api/v1/resources/documents/{order['document_id']}").json()
    assert doc["kind"] == "issue" and doc["status"] == "posted"
    assert f"#{incident['id']}" in doc["counterparty"]
    too_much = duty.post(
        url(incident, "/orders/material"),
        json={"warehouse_id": warehouse_id, "lines": [{"material_id": material_id, "quantity": str(before * 10)}]},
    )
    assert too_much.status_code == 422 and "lines[0]" in str(too_much.json()["error"]["details"])
    assert stock_of(duty, warehouse_id, material_id) == before - 3  # nothing posted
    assert step(duty, order["id"], "released").status_code == 200
    assert stock_of(duty, warehouse_id, material_id) == before
    released = duty.get(f"/api/v1/incidents/orders/{order['id']}").json()
    assert released["return_document_id"] is not None


def a_shelter(duty, incident):
    shelters = duty.get("/api/v1/resources/shelters", params={"page_size": 100}).json()["items"]
    return min((s for s in shelters if s["occupancy"] == 0 and s["capacity"] >= 10), key=lambda s: s["capacity"])


def test_evacuees_never_above_capacity_without_a_recorded_override(api, incident) -> None:
    duty = api("duty")
    shelter = a_shelter(duty, incident)
    r = duty.post(url(incident, "/orders/shelter"), json={"shelter_id": shelter["id"]})
    assert r.status_code == 201, r.text
    order_id = r.json()["order"]["id"]
    opened = duty.get(f"/api/v1/resources/shelters/{shelter['id']}").json()
    assert opened["open"] is True
    evac = f"/api/v1/incidents/orders/{order_id}/evacuees"
    cap = shelter["capacity"]
    assert duty.post(evac, json={"people": cap - 1, "origin": "拉堡村"}).status_code == 201
    over = duty.post(evac, json={"people": 2})
    assert over.status_code == 422
    assert (
        over.json()["error"]["details"][0]["field"] == "people" and "还可安置 1 人" in over.json()["error"]["message"]
    )
    assert duty.get(f"/api/v1/resources/shelters/{shelter['id']}").json()["occupancy"] == cap - 1
    exact = duty.post(evac, json={"people": 1})
    assert exact.status_code == 201 and exact.json()["over_capacity_reason"] == ""
    forced = duty.post(evac, json={"people": 5, "over_capacity_reason": "邻近场所被淹，指挥长同意临时超容"})
    assert forced.status_code == 201
    assert forced.json()["over_capacity_reason"].startswith("邻近场所被淹")
    assert forced.json()["registered_by"]
    assert duty.get(f"/api/v1/resources/shelters/{shelter['id']}").json()["occupancy"] == cap + 5
    assert step(duty, order_id, "released").status_code == 200
    back = duty.get(f"/api/v1/resources/shelters/{shelter['id']}").json()
    assert (back["open"], back["occupancy"]) == (shelter["open"], 0)


# The steps of an order as the dispatch process runs them (调度指令: 下达 → 签收 → 出发 → 到场 → 解除), and
# release (recall) possible at any point before it; written out here, not taken from the code.
LEGAL = {
    ("sent", "acknowledged"),
    ("acknowledged", "en_route"),
    ("en_route", "on_scene"),
    ("on_scene", "released"),
    ("sent", "released"),
    ("acknowledged", "released"),
    ("en_route", "released"),
}
PATH = {
    "sent": [],
    "acknowledged": ["acknowledged"],
    "en_route": ["acknowledged", "en_route"],
    "on_scene": ["acknowledged", "en_route", "on_scene"],
    "released": ["released"],
}


@pytest.mark.parametrize("start", ["sent", "acknowledged", "en_route", "on_scene", "released"])
@pytest.mark.parametrize("to", ["acknowledged", "en_route", "on_scene", "released"])
def test_order_status_machine(api, incident, start, to) -> None:
    duty = api("duty")
    order = send_team(duty, incident)["order"]
    for s in PATH[start]:
        assert step(duty, order["id"], s).status_code == 200
    r = step(duty, order["id"], to)
    if (start, to) in LEGAL:
        assert r.status_code == 200, r.text
        assert r.json()["status"] == to
    else:
        assert r.status_code == 409, r.text
        assert r.json()["error"]["message"]  # the reason
        assert duty.get(f"/api/v1/incidents/orders/{order['id']}").json()["status"] == start


def test_illegal_step_names_the_missing_one(api, incident) -> None:
    duty = api("duty")
    order = send_team(duty, incident)["order"]
    r = step(duty, order["id"], "on_scene")
    assert r.status_code == 409 and r.json()["error"]["message"] == "指令当前为“已下达”，须先签收，才能到场"


def test_two_officers_on_one_order_the_second_gets_the_conflict(api, incident) -> None:
    duty, labao = api("duty"), api("labao")
    order = send_team(duty, incident)["order"]
    assert step(duty, order["id"], "acknowledged", version=order["version"]).status_code == 200
    r = step(labao, order["id"], "acknowledged", version=order["version"])
    assert r.status_code == 409 and "已被他人更新" in r.json()["error"]["message"]


def test_the_receivers_status_link_needs_no_account(api, client, incident) -> None:
    duty = api("duty")
    sent = send_team(duty, incident)
    link = sent["status_link"].replace("/orders/", "/api/v1/orders/")
    shown = client.get(link)
    assert shown.status_code == 200 and shown.json()["status"] == "sent"
    assert client.post(link + "/status", json={"to": "acknowledged", "by": "队长 李强"}).status_code == 200
    assert client.post(link + "/status", json={"to": "released"}).status_code == 422  # not the receiver's step
    order = duty.get(f"/api/v1/incidents/orders/{sent['order']['id']}").json()
    assert (order["status"], order["acknowledged_by"]) == ("acknowledged", "队长 李强")
    assert order["steps"][-1]["via"] == "link"
    assert client.get("/api/v1/orders/not-a-real-token").status_code == 404
    page = client.get(sent["status_link"])  # the phone page
    assert page.status_code == 200 and "出发" in page.text


def test_the_status_link_is_sent_to_the_team_and_shown_to_nobody_else(api, page_client, incident) -> None:
    """The link is the team's secret (whoever holds it moves the order on): the SMS carries it, and the
    channels page, which shows staff the queued messages, does not."""
    duty = api("duty")
    with_phone = next(t for t in duty.get(url(incident, "/team-candidates"), params={"k": 10}).json()["items"]
                      if duty.get(f"/api/v1/resources/teams/{t['id']}").json().get("contact_phone"))
    sent = send_team(duty, incident, with_phone["id"])
    token = sent["status_link"].rsplit("/", 1)[1]
    html = page_client("admin").get("/channels").text
    assert token not in html and "含验证码或签收链接的短信，内容不显示" in html


def test_unacknowledged_order_escalates_to_the_duty_rooms_todo(api, db, incident, fixed_clock) -> None:
    from yingji.incidents.service import dispatch

    duty = api("duty")
    order = send_team(duty, incident)["order"]
    fixed_clock(T0 + timedelta(minutes=29))  # sent at +20: 9 minutes, within the 10
    assert dispatch.check_unacknowledged(db) == 0
    fixed_clock(T0 + timedelta(minutes=30))
    assert dispatch.check_unacknowledged(db) == 1
    assert dispatch.check_unacknowledged(db) == 0  # once
    db.flush()

    def waiting(c):
        items = c.get("/api/v1/notices", params={"page_size": 200}).json()["items"]
        return [n for n in items if n["kind"] == "order_unacknowledged" and n["ref_id"] == order["id"]]

    assert waiting(duty) and waiting(api("labao"))  # the duty room and the incident's township
    assert not waiting(api("leader"))
    timeline = duty.get(url(incident, "/timeline")).json()["items"]
    assert "10 分钟未签收" in timeline[0]["text"]
    assert step(duty, order["id"], "acknowledged").status_code == 200
    assert not waiting(duty)
