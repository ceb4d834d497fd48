"""Scope from the outside, per role over HTTP (issue 16 point 7): a township officer manages its
township's points and monitors; an information officer sees and patrols its own village's points only;
the bureau all; a leader reads; an enterprise account has no access. Invisible answers 404, visible but not
one's to change 403, a missing right 403 — reads and writes both."""

from __future__ import annotations

import pytest
from tests.natural.helpers import point, user, village

from yingji.geo import service as geo_service

PATROL = {"kind": "in_rain", "findings": "后缘裂缝无变化"}


@pytest.fixture
def world(db):
    town = user(db, "labao").scope_path
    own_village = user(db, "officer").scope_path
    assert own_village.startswith(town + "/")  # the demo officer's village lies in labao's township
    own = village(db, inside=own_village)
    neighbour = village(db, inside=town, outside=own_village)
    far = village(db, outside=town)
    ids = {"own": point(db, own.code, name="本村滑坡").id, "neighbour": point(db, neighbour.code, name="邻村崩塌").id,
           "far": point(db, far.code, name="外镇泥石流").id, "far_village": far.code}
    db.commit()
    return ids


def _listed(c) -> set[int]:
    r = c.get("/api/v1/natural/points?page_size=500")
    assert r.status_code == 200, r.text
    return {p["id"] for p in r.json()["items"]}


def test_the_bureau_sees_and_changes_everything(api, world) -> None:
    c = api("duty")
    assert {world["own"], world["neighbour"], world["far"]} <= _listed(c)
    assert c.patch(f"/api/v1/natural/points/{world['far']}", json={"status": "treating"}).status_code == 200
    assert c.post(f"/api/v1/natural/points/{world['far']}/patrols", json=PATROL).status_code == 201


def test_a_township_officer_manages_its_township_only(api, db, world) -> None:
    c = api("labao")
    seen = _listed(c)
    assert {world["own"], world["neighbour"]} <= seen and world["far"] not in seen
    assert c.get(f"/api/v1/natural/points/{world['far']}").status_code == 404
    assert c.patch(f"/api/v1/natural/points/{world['neighbour']}", json={"people": 30}).status_code == 200
    assert c.patch(f"/api/v1/natural/points/{world['far']}", json={"people": 30}).status_code == 404
    monitor = {"name": "韦监测", "phone": "13900000000"}
    assert c.post(f"/api/v1/natural/points/{world['own']}/monitors", json=monitor).status_code == 201
    assert c.post(f"/api/v1/natural/points/{world['far']}/monitors", json=monitor).status_code == 404
    assert c.get(f"/api/v1/natural/points/{world['far']}/monitors").status_code == 404
    lon, lat = geo_service.region_info(db=db, code=world["far_village"]).centroid
    far = c.post("/api/v1/natural/points", json={"name": "越界登记", "kind": "landslide", "lon": lon, "lat": lat,
                                                  "region_code": world["far_village"]})
    assert far.status_code == 403
    body = c.get("/api/v1/natural/points/export.xlsx")
    assert body.status_code == 200 and "外镇泥石流".encode() not in body.content


def test_an_information_officer_patrols_its_village_points_only(api, world) -> None:
    c = api("officer")
    seen = _listed(c)
    assert world["own"] in seen and world["neighbour"] not in seen and world["far"] not in seen
    assert c.post(f"/api/v1/natural/points/{world['own']}/patrols", json=PATROL).status_code == 201
    assert c.post(f"/api/v1/natural/points/{world['neighbour']}/patrols", json=PATROL).status_code == 404
    assert c.get(f"/api/v1/natural/points/{world['neighbour']}/patrols").status_code == 404
    # reads its points, but the register and its monitors are the township's to keep
    assert c.patch(f"/api/v1/natural/points/{world['own']}", json={"people": 1}).status_code == 403
    assert c.post(f"/api/v1/natural/points/{world['own']}/monitors",
                  json={"name": "某某", "phone": "13900000000"}).status_code == 403
    assert c.post("/api/v1/natural/points/import", files={"file": ("a.xlsx", b"x")}).status_code == 403


def test_a_leader_reads_and_an_enterprise_account_is_refused(api, world) -> None:
    leader = api("leader")
    assert world["far"] in _listed(leader)
    assert leader.patch(f"/api/v1/natural/points/{world['far']}", json={"people": 1}).status_code == 403
    assert leader.post(f"/api/v1/natural/points/{world['far']}/patrols", json=PATROL).status_code == 403
    chem = api("chem")
    assert chem.get("/api/v1/natural/points").status_code == 403
    assert chem.get(f"/api/v1/natural/points/{world['own']}").status_code == 403
    assert chem.post(f"/api/v1/natural/points/{world['own']}/patrols", json=PATROL).status_code == 403
    assert chem.get("/api/v1/natural/map/points").status_code == 403


def test_the_patrol_page_answers_the_same_per_role(page_client, world) -> None:
    officer = page_client("officer")
    assert officer.get(f"/natural/points/{world['own']}/patrol").status_code == 200
    assert officer.get(f"/natural/points/{world['neighbour']}/patrol").status_code == 404
    r = officer.post(f"/natural/points/{world['own']}/patrol",
                     data={"csrf_token": officer.csrf, "kind": "post_rain", "findings": "雨后核查正常"},
                     follow_redirects=False)
    assert r.status_code == 303
    assert "雨后核查正常" in officer.get(f"/natural/points/{world['own']}").text
    r = officer.post(f"/natural/points/{world['neighbour']}/patrol",
                     data={"csrf_token": officer.csrf, "findings": "x"}, follow_redirects=False)
    assert r.status_code == 404


def test_the_officers_village_page_lists_its_points(page_client, world) -> None:
    r = page_client("officer").get("/officer")
    assert r.status_code == 200 and "本村隐患点" in r.text
    assert "本村滑坡" in r.text and f"/natural/points/{world['own']}/patrol" in r.text and "邻村崩塌" not in r.text
