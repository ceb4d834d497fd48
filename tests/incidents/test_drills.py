"""Drill runs (issue 13 point 10) from the outside: the rainstorm scenario through the real pipeline in drill
mode — drill readings and alarms, a drill warning signed by another and sent to the test audience only
(asserted on the channel fakes, the public page, the CAP and Atom feeds), a drill incident, a dispatch —
every step timed with a fixed clock and evaluated against the scenario's targets by hand; then the run
finished (team back, alarms closed, the plans' 演练 record held)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from docx import Document
from sqlalchemy import select

from tests.incidents.helpers import T0
from yingji.channels.fake import FakeChannel
from yingji.incidents.models import AlarmProposal
from yingji.warnings.models import WarningMessage
from yingji.warnings.service import delivery

AUDIENCE = {"13800000001", "13800000002"}  # rainstorm_township.toml's test audience


def fakes() -> dict[str, FakeChannel]:
    return {name: FakeChannel(name) for name in ("sms", "email", "webhook", "loudspeaker")}


def step(c, run_id):
    return c.post(f"/api/v1/drills/{run_id}/step")


@pytest.fixture
def run(api, fixed_clock):
    fixed_clock(T0)
    r = api("duty").post("/api/v1/drills", json={"scenario": "rainstorm_township"})
    assert r.status_code == 201, r.text
    return r.json()


def _through_dispatch(api, fixed_clock, run):
    """Readings at +0, warning drafted at +10, signed at +50 (by the leader), incident at +70, dispatch +75."""
    duty, leader = api("duty"), api("leader")
    rid = run["id"]
    for minutes, who in ((0, duty), (10, duty), (50, leader), (70, duty), (75, duty)):
        fixed_clock(T0 + timedelta(minutes=minutes))
        r = step(who, rid)
        assert r.status_code == 200, r.text
    return duty.get(f"/api/v1/drills/{rid}").json()


def test_the_drill_runs_through_the_pipeline_and_never_reaches_the_public(api, db, database, client, fixed_clock,
                                                                          run) -> None:
    duty, leader = api("duty"), api("leader")
    rid = run["id"]
    assert [s["kind"] for s in run["steps"]] == ["readings", "warning", "sign_warning", "incident", "dispatch"]
    before = {w.id for w in db.scalars(select(WarningMessage))}
    r = step(duty, rid)  # readings
    assert r.status_code == 200, r.text
    alarms = duty.get("/api/v1/monitoring/alarms", params={"page_size": 200}).json()["items"]
    drill_alarms = [a for a in alarms if a["drill"]]
    assert drill_alarms, r.json()["outcome"]
    assert all(a["message"].startswith("【演练】") for a in drill_alarms)
    assert {a["level"] for a in drill_alarms} >= {"red"}  # 3 h ≥ 100 mm at the wettest drill gauge
    # A drill alarm proposes no incident to the duty room and drafts no real warning.
    ids = [a["id"] for a in drill_alarms]
    assert db.scalars(select(AlarmProposal).where(AlarmProposal.alarm_id.in_(ids))).all() == []
    assert {w.id for w in db.scalars(select(WarningMessage))} == before

    fixed_clock(T0 + timedelta(minutes=10))
    assert step(duty, rid).status_code == 200  # the warning drafted and submitted
    fixed_clock(T0 + timedelta(minutes=50))
    own = step(duty, rid)  # the author may not sign the warning it drafted
    assert own.status_code == 403
    r = step(leader, rid)
    assert r.status_code == 200, r.text
    detail = duty.get(f"/api/v1/drills/{rid}").json()
    w = duty.get(f"/api/v1/warnings/{detail['warning_id']}").json()
    assert w["drill"] is True and w["headline"].startswith("【演练】") and w["status"] == "published"

    chans = fakes()
    delivery.run(database, channels=chans, warning_id=w["id"])
    sent = {(name, to.address) for name, c in chans.items() for to, _m in c.sent}
    assert sent == {("sms", phone) for phone in AUDIENCE}  # the test audience, nothing else, no loudspeaker

    assert w["headline"] not in client.get("/public/warnings").text
    assert w["identifier"] not in client.get("/public/warnings.atom").text
    assert client.get(f"/public/warnings/{w['identifier']}").status_code == 404
    assert client.get(f"/public/warnings/{w['identifier']}.cap").status_code == 404
    cap = duty.get(f"/api/v1/warnings/{w['id']}/cap").text
    assert "<status>Exercise</status>" in cap
    # A drill warning published as an ordinary one is refused.
    r = duty.post(f"/api/v1/warnings/{w['id']}/publish", json={"confirm_unreached": True})
    assert r.status_code == 409

    fixed_clock(T0 + timedelta(minutes=70))
    assert step(duty, rid).status_code == 200
    fixed_clock(T0 + timedelta(minutes=75))
    assert step(duty, rid).status_code == 200
    detail = duty.get(f"/api/v1/drills/{rid}").json()
    incident = duty.get(f"/api/v1/incidents/{detail['incident_id']}").json()
    assert incident["incident"]["drill"] is True if "incident" in incident else incident["drill"] is True
    assert step(duty, rid).status_code == 409  # every step taken


def test_the_evaluation_times_each_step_against_its_target(api, fixed_clock, run) -> None:
    _through_dispatch(api, fixed_clock, run)
    duty = api("duty")
    ev = duty.get(f"/api/v1/drills/{run['id']}/evaluation").json()
    rows = {r["kind"]: r for r in ev["rows"]}
    assert ev["run"]["drill"] is True
    # readings finished at +0: the reference of the next three steps.
    assert rows["readings"]["took_minutes"] == 0 and rows["readings"]["verdict"] == "无目标"
    # warning: +10 from the readings, target 30 → 达标.
    assert (rows["warning"]["took_minutes"], rows["warning"]["elapsed_minutes"]) == (10, 10)
    assert rows["warning"]["verdict"] == "达标"
    # sign_warning: started +10, done +50 → took 40; 50 from the readings, target 60 → 达标.
    assert (rows["sign_warning"]["took_minutes"], rows["sign_warning"]["elapsed_minutes"]) == (40, 50)
    assert rows["sign_warning"]["verdict"] == "达标"
    # incident: done +70, 70 from the readings, target 60 (令493 第九条: 1 h) → 超时 10 分钟.
    assert rows["incident"]["elapsed_minutes"] == 70 and rows["incident"]["verdict"] == "超时 10 分钟"
    # dispatch: done +75, 5 from the incident, target 15 → 达标.
    assert rows["dispatch"]["elapsed_minutes"] == 5 and rows["dispatch"]["verdict"] == "达标"
    arrival = rows["arrival"]
    assert arrival["target_minutes"] == 45 and arrival["elapsed_minutes"] == pytest.approx(
        5 + arrival["took_minutes"], abs=0.11)

    r = duty.get(f"/api/v1/drills/{run['id']}/evaluation.docx")
    assert r.status_code == 200
    import io

    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "【演练】拉堡镇 3 小时强降雨 推演评估" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "超时 10 分钟" in cells and "【演练】情景构建 / 桌面推演，非真实事件" in cells


def test_finishing_releases_the_team_closes_the_alarms_and_holds_the_plan_drill(api, fixed_clock) -> None:
    duty = api("duty")
    fixed_clock(T0)
    drills = duty.get("/api/v1/plans/drills", params={"page_size": 50}).json()["items"]
    planned = next(d for d in drills if d["status"] == "planned") if any(
        d["status"] == "planned" for d in drills) else drills[0]
    r = duty.post("/api/v1/drills", json={"scenario": "rainstorm_township", "plan_drill_id": planned["id"]})
    assert r.status_code == 201, r.text
    run = r.json()
    again = duty.post("/api/v1/drills", json={"scenario": "rainstorm_township", "plan_drill_id": planned["id"]})
    assert again.status_code == 409
    detail = _through_dispatch(api, fixed_clock, run)
    order = duty.get(f"/api/v1/incidents/{detail['incident_id']}/workspace").json()["orders"][0]
    team_id = order["team_id"]
    assert duty.get(f"/api/v1/resources/teams/{team_id}").json()["status"] == "deployed"
    fixed_clock(T0 + timedelta(minutes=90))
    r = duty.post(f"/api/v1/drills/{run['id']}/finish")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "finished"
    assert duty.get(f"/api/v1/resources/teams/{team_id}").json()["status"] in ("standby", "on_duty")
    alarms = duty.get("/api/v1/monitoring/alarms", params={"page_size": 200, "active": True}).json()["items"]
    assert not [a for a in alarms if a["drill"]]
    held = duty.get(f"/api/v1/plans/drills/{planned['id']}").json()
    assert held["held_on"] == "2026-06-01" and held["status"] in ("held", "evaluated")
    assert [s["name"] for s in held["steps"]][:2] == ["模拟雨量站读数（3 小时）", "起草暴雨预警并提交审核"]
    assert duty.post(f"/api/v1/drills/{run['id']}/finish").status_code == 409


@pytest.mark.parametrize("user,code", [("leader", 403), ("labao", 403), ("officer", 403), ("chem", 403),
                                       ("liaison", 403)])
def test_only_the_duty_room_starts_a_drill(api, fixed_clock, user, code) -> None:
    r = api(user).post("/api/v1/drills", json={"scenario": "rainstorm_township"})
    assert r.status_code == code, r.text


@pytest.mark.parametrize("user,code", [("leader", 200), ("labao", 403), ("officer", 403), ("chem", 403),
                                       ("liaison", 403)])
def test_who_reads_drill_runs(api, run, user, code) -> None:
    assert api(user).get(f"/api/v1/drills/{run['id']}").status_code == code
    assert api(user).get("/api/v1/drills").status_code == code


def test_a_participant_takes_only_the_steps_its_rights_allow(api, fixed_clock, run) -> None:
    assert step(api("leader"), run["id"]).status_code == 403  # the leader feeds no readings
    assert step(api("labao"), run["id"]).status_code == 403
    assert api("leader").post(f"/api/v1/drills/{run['id']}/finish").status_code == 403


def test_bad_input_is_a_422_naming_the_field(api) -> None:
    duty = api("duty")
    r = duty.post("/api/v1/drills", json={"scenario": "no_such"})
    assert r.status_code == 422 and "scenario" in r.text
    r = duty.post("/api/v1/drills", json={"scenario": "rainstorm_township", "plan_drill_id": -1})
    assert r.status_code == 422 and "plan_drill_id" in r.text
    assert duty.get("/api/v1/drills/0").status_code == 422


def test_the_pages_start_take_and_evaluate_a_drill_marked_as_such(page_client, fixed_clock) -> None:
    fixed_clock(T0)
    duty = page_client("duty")
    r = duty.get("/drills?plan_drill_id=1")
    assert r.status_code == 200 and "情景构建 / 桌面推演" in r.text and 'value="1"' in r.text
    r = duty.post("/drills", data={"csrf_token": duty.csrf, "scenario": "rainstorm_township"},
                  follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    assert duty.post(f"{url}/step", data={"csrf_token": duty.csrf}, follow_redirects=False).status_code == 303
    page = duty.get(url).text
    assert "【演练】拉堡镇 3 小时强降雨" in page and "演练传感器" in page and "推演评估" in page
    listing = duty.get("/drills").text
    assert 'class="badge drill">演练' in listing and "【演练】拉堡镇" in listing
    leader = page_client("leader")
    assert leader.get(url).status_code == 200
    r = leader.post("/drills", data={"csrf_token": leader.csrf, "scenario": "rainstorm_township"})
    assert r.status_code == 403
    assert page_client("labao").get(url).status_code == 403


def test_the_chlorine_leak_runs_on_its_own_rules_at_the_major_hazard_source(api, fixed_clock) -> None:
    duty, leader = api("duty"), api("leader")
    fixed_clock(T0)
    run = duty.post("/api/v1/drills", json={"scenario": "chlorine_leak"}).json()
    for minutes, who in ((0, duty), (5, duty), (12, leader), (20, duty), (25, duty)):
        fixed_clock(T0 + timedelta(minutes=minutes))
        r = step(who, run["id"])
        assert r.status_code == 200, r.text
    detail = duty.get(f"/api/v1/drills/{run['id']}").json()
    assert "告警 1 条" in detail["steps"][0]["outcome"] and "二级" in detail["steps"][0]["outcome"]
    incident = duty.get(f"/api/v1/incidents/{detail['incident_id']}").json()
    body = incident.get("incident", incident)
    assert body["drill"] is True and body["kind"] == "hazardous_chemicals" and body["enterprise_id"]
    rows = {r["kind"]: r for r in duty.get(f"/api/v1/drills/{run['id']}/evaluation").json()["rows"]}
    assert rows["warning"]["verdict"] == "达标"  # 5 of 15
    assert rows["sign_warning"]["verdict"] == "达标"  # 12 of 30
    assert rows["incident"]["verdict"] == "达标"  # 20 of 60
    assert rows["dispatch"]["verdict"] == "达标"  # 5 of 10
