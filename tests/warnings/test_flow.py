"""Draft → submitted → approved by someone else → published; updates and cancellations; permissions."""

from __future__ import annotations

import pytest

from tests.warnings.helpers import body, published


def test_full_sign_off_publishes_with_identifier(api, fixed_clock):
    w = published(api)
    assert w["status"] == "published"
    assert w["identifier"].startswith("45020600000000_20260601100000")  # sender code + Beijing time
    assert w["approver_id"] is not None and w["approver_id"] != w["author_id"]
    assert w["village_codes"], "the county-seat square touches villages"
    assert w["region_path"].startswith("450206000000/450206100000")


def test_author_cannot_approve_own_warning(api, fixed_clock):
    duty = api("duty")
    wid = duty.post("/api/v1/warnings", json=body()).json()["id"]
    duty.post(f"/api/v1/warnings/{wid}/submit")
    r = duty.post(f"/api/v1/warnings/{wid}/approve")
    assert r.status_code == 403
    assert "自己" in r.json()["error"]["message"]
    assert duty.get(f"/api/v1/warnings/{wid}").json()["status"] == "submitted"


def test_nothing_is_published_before_approval(api, client, fixed_clock):
    duty = api("duty")
    wid = duty.post("/api/v1/warnings", json=body(headline="未签发的测试预警")).json()["id"]
    assert duty.post(f"/api/v1/warnings/{wid}/publish").status_code == 409
    duty.post(f"/api/v1/warnings/{wid}/submit")
    assert api("leader").post(f"/api/v1/warnings/{wid}/publish").status_code == 409
    assert duty.get(f"/api/v1/warnings/{wid}/cap").status_code == 404
    assert "未签发的测试预警" not in client.get("/public/warnings").text
    assert "未签发的测试预警" not in client.get("/public/warnings.atom").text
    assert duty.get(f"/api/v1/warnings/{wid}/deliveries").json()["total"] == 0


def test_reject_returns_draft_with_note(api, fixed_clock):
    duty = api("duty")
    wid = duty.post("/api/v1/warnings", json=body()).json()["id"]
    duty.post(f"/api/v1/warnings/{wid}/submit")
    r = api("leader").post(f"/api/v1/warnings/{wid}/reject", json={"note": "范围过大"})
    assert r.json()["status"] == "draft" and r.json()["review_note"] == "范围过大"


def test_update_and_cancel_reference_the_previous_message(api, fixed_clock):
    first = published(api)
    duty, leader = api("duty"), api("leader")
    r = duty.post(f"/api/v1/warnings/{first['id']}/update", json={"level": "red", "headline": "暴雨红色预警"})
    assert r.status_code == 201, r.text
    upd = r.json()
    assert upd["msg_type"] == "Update" and upd["status"] == "draft" and upd["references_id"] == first["id"]
    assert upd["chain_id"] == first["id"] and upd["area"] == first["area"]
    # A second follow-up while one is pending is refused.
    assert duty.post(f"/api/v1/warnings/{first['id']}/cancel").status_code == 409
    duty.post(f"/api/v1/warnings/{upd['id']}/submit")
    leader.post(f"/api/v1/warnings/{upd['id']}/approve")
    upd = leader.post(f"/api/v1/warnings/{upd['id']}/publish", json={"confirm_unreached": True}).json()
    assert upd["status"] == "published" and upd["identifier"] != first["identifier"]
    assert duty.get(f"/api/v1/warnings/{first['id']}").json()["status"] == "superseded"
    cap = duty.get(f"/api/v1/warnings/{upd['id']}/cap").text
    assert f"{first['sender']},{first['identifier']}," in cap
    r = duty.post(f"/api/v1/warnings/{upd['id']}/cancel", json={"note": "降雨已减弱，解除预警。"})
    assert r.status_code == 201
    cancel = r.json()
    assert cancel["msg_type"] == "Cancel" and cancel["references_id"] == upd["id"]
    duty.post(f"/api/v1/warnings/{cancel['id']}/submit")
    leader.post(f"/api/v1/warnings/{cancel['id']}/approve")
    leader.post(f"/api/v1/warnings/{cancel['id']}/publish", json={"confirm_unreached": True})
    cap = duty.get(f"/api/v1/warnings/{cancel['id']}/cap").text
    assert "<msgType>Cancel</msgType>" in cap
    assert first["identifier"] in cap and upd["identifier"] in cap  # every earlier message of the chain


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"level": "purple"}, "level"),
        ({"event_type": "meteor"}, "event_type"),
        ({"expires": "2026-06-01T01:00:00+00:00"}, "expires"),
        ({"effective": "2026-06-01T10:00:00"}, "effective"),
        ({"area": {"polygon": [[109.3, 24.2], [109.4, 24.2]]}}, "area.polygon"),
        ({"area": {"polygon": [[109.3, 24.2], [109.4, 24.3], [109.4, 24.2], [109.3, 24.3]]}}, "area.polygon"),
        ({"area": {"circle": {"lon": 109.3, "lat": 24.2, "radius_m": -5}}}, "area.circle.radius_m"),
        ({"area": {"regions": ["999999999999"]}}, "area.regions"),
        ({"area": {"square": 1}}, "area"),
        ({"headline": ""}, "headline"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(api, fixed_clock, overrides, field):
    duty = api("duty")
    before = duty.get("/api/v1/warnings").json()["total"]
    r = duty.post("/api/v1/warnings", json=body(**overrides))
    assert r.status_code == 422, r.text
    assert any(d["field"].startswith(field) for d in r.json()["error"]["details"]), r.json()
    assert duty.get("/api/v1/warnings").json()["total"] == before


def test_circle_and_regions_areas(api, fixed_clock):
    duty = api("duty")
    r = duty.post("/api/v1/warnings", json=body(area={"circle": {"lon": 109.36, "lat": 24.265, "radius_m": 3000}}))
    assert r.status_code == 201 and r.json()["village_codes"]
    r = duty.post("/api/v1/warnings", json=body(area={"regions": ["450206101000"]}))
    assert r.status_code == 201
    w = r.json()
    assert w["village_codes"] and all(c.startswith("450206101") for c in w["village_codes"])
    assert w["region_path"] == "450206000000/450206101000"


# --- permissions, from the outside ---------------------------------------------------------------


def test_roles_without_write_cannot_draft(api, fixed_clock):
    for user in ("leader", "officer", "chem"):
        assert api(user).post("/api/v1/warnings", json=body()).status_code == 403, user


def test_enterprise_manager_cannot_read(api, fixed_clock):
    w = published(api)
    chem = api("chem")
    assert chem.get("/api/v1/warnings").status_code == 403
    assert chem.get(f"/api/v1/warnings/{w['id']}").status_code == 403


def test_only_approvers_sign_and_publishers_publish(api, fixed_clock):
    duty = api("duty")
    wid = duty.post("/api/v1/warnings", json=body()).json()["id"]
    duty.post(f"/api/v1/warnings/{wid}/submit")
    for user in ("liaison", "labao", "officer"):
        assert api(user).get(f"/api/v1/warnings/{wid}").status_code == 200, user  # in sight: a refusal is 403
        assert api(user).post(f"/api/v1/warnings/{wid}/approve").status_code == 403, user
    api("leader").post(f"/api/v1/warnings/{wid}/approve")
    for user in ("liaison", "labao", "officer"):
        assert api(user).post(f"/api/v1/warnings/{wid}/publish").status_code == 403, user
    assert duty.post(f"/api/v1/warnings/{wid}/publish", json={"confirm_unreached": True}).status_code == 200


def test_township_officer_scope(api, fixed_clock):
    labao = api("labao")  # 拉堡镇
    r = labao.post("/api/v1/warnings", json=body(area={"regions": ["450206101000"]}))  # 进德镇
    assert r.status_code == 403
    mine = labao.post("/api/v1/warnings", json=body()).json()
    other = api("duty").post("/api/v1/warnings", json=body(area={"regions": ["450206101000"]})).json()
    district = api("duty").post("/api/v1/warnings", json=body(area={"regions": ["450206000000"]})).json()
    assert labao.get(f"/api/v1/warnings/{other['id']}").status_code == 404
    assert labao.post(f"/api/v1/warnings/{other['id']}/submit").status_code == 404
    assert labao.get(f"/api/v1/warnings/{mine['id']}").status_code == 200
    assert labao.get(f"/api/v1/warnings/{district['id']}").status_code == 200  # covers 拉堡镇
    ids = {w["id"] for w in labao.get("/api/v1/warnings", params={"page_size": 500}).json()["items"]}
    assert mine["id"] in ids and district["id"] in ids and other["id"] not in ids


def test_anonymous_is_refused(client):
    assert client.post("/api/v1/warnings", json=body()).status_code == 401
    assert client.get("/api/v1/warnings").status_code == 401


def test_unknown_warning_is_404(api):
    assert api("duty").get("/api/v1/warnings/999999").status_code == 404


def test_out_of_scope_reads_answer_404(api, fixed_clock):
    w = published(api, area={"regions": ["450206101000"]})  # 进德镇
    for user in ("labao", "officer"):  # 拉堡镇 officer, a village of 拉堡镇
        c = api(user)
        for suffix in ("", "/cap", "/national", "/coverage", "/deliveries", "/recipients"):
            assert c.get(f"/api/v1/warnings/{w['id']}{suffix}").status_code == 404, (user, suffix)
        for action in ("submit", "approve", "publish", "cancel"):
            # An action the role never takes is 403 wherever; one it takes, on a warning out of its sight, 404.
            may = user == "labao" and action in ("submit", "cancel")
            assert c.post(f"/api/v1/warnings/{w['id']}/{action}").status_code == (404 if may else 403), (user, action)
    assert api("officer").post(f"/api/v1/warnings/{w['id']}/update", json={}).status_code == 403
    features = api("labao").get("/api/v1/warnings/map.geojson").json()["features"]
    assert w["id"] not in {f["id"] for f in features}


def test_pages_refuse_roles_without_permission(page_client):
    chem = page_client("chem")
    assert chem.get("/warnings").status_code == 403
    assert chem.get("/warnings/new").status_code == 403
    form = {
        "csrf_token": "",
        "event_type": "rainstorm",
        "level": "red",
        "headline": "越权起草",
        "effective": "2026-06-01T10:00",
        "expires": "2026-06-01T20:00",
        "area_mode": "regions",
        "regions": ["450206100000"],
    }
    for user in ("chem", "leader", "officer"):
        c = page_client(user)
        r = c.post("/warnings/new", data={**form, "csrf_token": c.csrf})
        assert r.status_code == 403, user
        assert "越权起草" not in r.text or "没有" in r.text
