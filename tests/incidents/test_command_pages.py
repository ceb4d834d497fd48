"""The command workspace page (/incidents/{id}) through its forms: the map with the 一张图 layers, the
response level, a team sent from the nearest list with its status link shown once, the receiver's phone
page, a sitrep; a form sent on a stale version answers 409 with the conflict message and keeps the text."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.incidents.helpers import T0
from tests.incidents.test_dispatch import BODY


@pytest.fixture
def incident(api, fixed_clock):
    fixed_clock(T0 + timedelta(minutes=20))
    return api("duty").post("/api/v1/incidents", json=BODY).json()


def post(c, incident, form_name, **form):
    return c.post(
        f"/incidents/{incident['id']}/command/{form_name}", data={"csrf_token": c.csrf, **form}, follow_redirects=False
    )


def test_workspace_shows_map_layers_dispatch_and_timeline(page_client, incident) -> None:
    c = page_client("duty")
    page = c.get(f"/incidents/{incident['id']}")
    assert page.status_code == 200
    for marker in (
        'id="map"',
        'id="map-config"',
        'class="map-layers"',
        'id="workspace-data"',
        'id="response"',
        'id="dispatch"',
        'id="orders"',
        'id="tasks"',
        'id="sitreps"',
        'id="timeline"',
        "incident-workspace.js",
        'id="obligations"',
    ):
        assert marker in page.text, marker
    assert "<script>" not in page.text  # CSP: data as JSON, code in static files
    panel = c.get(f"/incidents/{incident['id']}/dispatch-panel")  # loaded by the page once it is open
    assert panel.status_code == 200
    for marker in ('id="team-candidates"', 'id="material-form"', 'id="shelter-form"'):
        assert marker in panel.text, marker
    assert re.search(r'data-team-id="\d+"', panel.text)


def test_response_sitrep_and_a_team_sent_from_the_page(page_client, client, incident) -> None:
    c = page_client("duty")
    r = post(c, incident, "response", action="start", level="IV", decided_by="指挥长", reason="", version="1")
    assert r.status_code == 303
    team_id = re.search(r'data-team-id="(\d+)"', c.get(f"/incidents/{incident['id']}/dispatch-panel").text).group(1)
    sent = post(c, incident, "order-team", team_id=team_id, instructions="转移群众")
    assert sent.status_code == 201 and "指令已下达" in sent.text
    link = re.search(r'id="status-link">.*?<a href="(http[^"]+/orders/[^"]+)"', sent.text, re.S).group(1)
    phone = client.get(link.split("testserver")[-1])
    assert phone.status_code == 200 and "签收" in phone.text
    anon = re.search(r'name="csrf_token" value="([^"]+)"', phone.text).group(1)
    done = client.post(link.split("testserver")[-1], data={"csrf_token": anon, "to": "acknowledged", "by": "队长"})
    assert done.status_code == 200 and "已上报" in done.text and 'data-status="acknowledged"' in done.text
    assert post(c, incident, "sitrep", title="", body="第一期态势").status_code == 303
    page = c.get(f"/incidents/{incident['id']}").text
    assert "第 1 期" in page and "签发：值班员 韦明" in page and "四级响应" in page
    assert 'data-status="acknowledged"' in page


def test_stale_version_answers_409_and_keeps_what_was_typed(page_client, incident) -> None:
    duty, labao = page_client("duty"), page_client("labao")
    assert post(duty, incident, "response", action="start", level="IV", version="1").status_code == 303
    r = post(
        labao,
        incident,
        "response",
        action="start",
        level="III",
        decided_by="镇长 黄河",
        reason="我刚写好的理由：堤防告急",
        version="1",
    )
    assert r.status_code == 409
    assert "已被他人修改" in r.text and "值班员 韦明" in r.text
    assert 'value="我刚写好的理由：堤防告急"' in r.text and 'value="镇长 黄河"' in r.text


def test_bad_evacuee_figure_is_named_and_typed_text_kept(page_client, api, incident) -> None:
    c = page_client("duty")
    shelters = api("duty").get("/api/v1/resources/shelters", params={"page_size": 100}).json()["items"]
    shelter = min((s for s in shelters if s["occupancy"] == 0 and s["capacity"] >= 10), key=lambda s: s["capacity"])
    sent = post(c, incident, "order-shelter", shelter_id=str(shelter["id"]))
    assert sent.status_code == 201, sent.text
    order_id = api("duty").get(f"/api/v1/incidents/{incident['id']}/workspace").json()["orders"][0]["id"]
    r = post(c, incident, "evacuees", order_id=str(order_id), people=str(shelter["capacity"] + 1), origin="拉堡村三组")
    assert r.status_code == 422 and "超过容量" in r.text and 'value="拉堡村三组"' in r.text
