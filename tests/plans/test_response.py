"""The response from a plan during an incident (issue 15 point 6), from the outside: an incident read
through the incidents service is matched to the plans by kind, place and enterprise; each applicable plan
shows the response level its trigger data gives for the incident's figures, and that level's tasks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.plans.helpers import bj, chem_enterprise, plan, township, user
from yingji.core.actor import SYSTEM
from yingji.geo import service as geo_service
from yingji.incidents import service as incidents_service
from yingji.incidents.schemas import IncidentCreate
from yingji.plans.schemas import ResponseLevel
from yingji.registry.models import Enterprise


def levels(*rows):
    return [ResponseLevel(level=lv, label=f"{lv}级响应", trigger=t, tasks=tasks) for lv, t, tasks in rows]


@pytest.fixture
def world(db, fixed_clock):
    fixed_clock(bj(2026, 11, 30, 10))
    chem = chem_enterprise(db)
    region = geo_service.region_info(db=db, code=chem.region_path.rsplit("/", 1)[1])
    home = township(db, 0) if chem.region_path.startswith(township(db, 0).path + "/") else township(db, 1)
    assert chem.region_path.startswith(home.path)
    far = next(t for t in geo_service.region_infos(db=db, level="township") if t.path != home.path)
    other = db.scalar(select(Enterprise).where(Enterprise.id != chem.id).order_by(Enterprise.id))
    made = {
        # the enterprise's own plan: 1 death and 2 serious injuries reach II (≥ 1 injured), not I (≥ 3 deaths)
        "own": plan(db, enterprise_id=chem.id, incident_kinds=["hazardous_chemicals"], response_levels=levels(
            ("I", {"min_deaths": 3}, ["总指挥到场", "请求区级支援"]),
            ("II", {"min_injured": 1}, ["启动企业二级响应", "疏散厂区人员"]),
            ("III", {}, ["班组处置"]))),
        # the district's special plan: III needs ≥ 1 death in a grade IV incident; I and II far more
        "special": plan(db, kind="special", incident_kinds=["hazardous_chemicals", "fire"], response_levels=levels(
            ("I", {"min_deaths": 30}, ["x"]), ("II", {"min_deaths": 10}, ["x"]),
            ("III", {"min_deaths": 1, "grades": ["IV"]}, ["区危化专项指挥部到场", "启动物资调拨"]),
            ("IV", {"min_injured": 1}, ["属地先期处置"]))),
        # the accident class as a whole covers the kind
        "class": plan(db, kind="special", incident_kinds=["accident"], response_levels=levels(
            ("IV", {"incident_kinds": ["hazardous_chemicals"], "min_loss_yuan": 1}, ["核定损失"]))),
        "home_town": plan(db, kind="township", region_code=home.code, response_levels=levels(
            ("II", {"wind_force": 8}, ["转移群众"]))),
        "flood": plan(db, kind="special", incident_kinds=["flood"],
                      response_levels=levels(("IV", {"min_deaths": 0}, ["x"]))),
        "far_town": plan(db, kind="township", region_code=far.code),
        "other_enterprise": plan(db, enterprise_id=other.id, incident_kinds=["hazardous_chemicals"]),
    }
    incident = incidents_service.report_incident(db=db, actor=SYSTEM, data=IncidentCreate(
        kind="hazardous_chemicals", title="测试储罐泄漏", occurred_at=bj(2026, 11, 30, 9), region_code=region.code,
        enterprise_id=chem.id, deaths=1, serious_injuries=2))
    db.commit()
    return {**{k: p.id for k, p in made.items()}, "incident": incident.id, "grade": incident.grade}


def ours(body, world) -> list[dict]:
    mine = {v for k, v in world.items() if k not in ("incident", "grade")}
    return [s for s in body["items"] if s["plan_id"] in mine]


def test_plans_matched_with_their_triggered_level_and_tasks(api, world) -> None:
    assert world["grade"] == "IV"  # 1 death: 一般事故 (国务院令第493号 第三条)
    r = api("duty").get(f"/api/v1/plans/suggestions?incident_id={world['incident']}&page_size=100")
    assert r.status_code == 200, r.text
    got = ours(r.json(), world)
    # triggered first, highest level first; then the untriggered, the plan nearest the scene first
    assert [s["plan_id"] for s in got] == [world["own"], world["special"], world["home_town"], world["class"]]
    own, special, town, whole_class = got
    assert (own["level"], own["tasks"]) == ("II", ["启动企业二级响应", "疏散厂区人员"])
    assert "事发企业的预案" in own["why"]
    assert (special["level"], special["tasks"]) == ("III", ["区危化专项指挥部到场", "启动物资调拨"])
    # a condition the matcher does not know is shown, not guessed; the plan still applies by place
    assert town["level"] is None and town["tasks"] == [] and town["unknown_conditions"] == ["wind_force"]


    # the accident class covers the kind; no loss recorded leaves its loss condition unmet
    assert whole_class["level"] is None
    assert whole_class["why"] == ["事件类型在预案适用范围内", "事发地在预案编制单位辖区内"]


def test_scope_per_role(api, world) -> None:
    url = f"/api/v1/plans/suggestions?incident_id={world['incident']}&page_size=100"
    leader = api("leader").get(url)
    assert leader.status_code == 200 and ours(leader.json(), world)
    chem = api("chem").get(url)  # its own accident: only its own plans among those the test made
    assert chem.status_code == 200
    assert [s["plan_id"] for s in ours(chem.json(), world)] == [world["own"]]
    assert api("officer").get(url).status_code == 403  # no plans at all
    assert api("duty").get("/api/v1/plans/suggestions?incident_id=999999").status_code == 404
    assert api("duty").get("/api/v1/plans/suggestions?incident_id=x").status_code == 422


def test_the_labao_officer_sees_it_only_inside_its_township(api, db, world) -> None:
    inside = geo_service.region_info(db=db, code=user(db, "labao").scope_path.rsplit("/", 1)[1])
    chem_in = chem_enterprise(db).region_path.startswith(inside.path + "/")
    r = api("labao").get(f"/api/v1/plans/suggestions?incident_id={world['incident']}")
    assert r.status_code == (200 if chem_in else 404)


def test_the_response_page(page_client, world) -> None:
    c = page_client("duty")
    listing = c.get("/plans/response").text
    assert f'href="/plans/response?incident_id={world["incident"]}"' in listing
    html = c.get(f"/plans/response?incident_id={world['incident']}").text
    assert "测试储罐泄漏" in html and "建议启动：<b>II级响应</b>" in html and "<li>疏散厂区人员</li>" in html
    assert "无法判断的启动条件：wind_force" in html
    assert page_client("officer").get(f"/plans/response?incident_id={world['incident']}").status_code == 403




def test_the_commander_turns_a_plans_triggered_tasks_into_incident_tasks_in_one_step(api, world) -> None:
    duty = api("duty")
    body = {"incident_id": world["incident"], "plan_id": world["own"]}
    r = duty.post("/api/v1/plans/suggestions/adopt", json=body)
    assert r.status_code == 200, r.text
    created = r.json()["created"]
    # level II of the enterprise's own plan (1 injured or more), its two tasks, naming where they came from
    assert [t["title"] for t in created] == ["启动企业二级响应", "疏散厂区人员"]
    assert all(t["detail"].startswith("依据《") and "II级响应" in t["detail"] for t in created)
    tasks = duty.get(f"/api/v1/incidents/{world['incident']}/workspace").json()["tasks"]
    assert {t["title"] for t in tasks} >= {"启动企业二级响应", "疏散厂区人员"}
    # once is enough: the same step again adds nothing
    again = duty.post("/api/v1/plans/suggestions/adopt", json=body).json()
    assert again == {"created": [], "skipped": 2}
    # a plan whose triggers the incident does not reach has nothing to adopt; one that does not apply is unknown
    untriggered = duty.post("/api/v1/plans/suggestions/adopt", json={**body, "plan_id": world["home_town"]})
    assert untriggered.status_code == 409
    assert duty.post("/api/v1/plans/suggestions/adopt", json={**body, "plan_id": world["flood"]}).status_code == 404


def test_only_a_commander_may_adopt_a_plans_tasks(api, world) -> None:
    body = {"incident_id": world["incident"], "plan_id": world["own"]}
    assert api("leader").post("/api/v1/plans/suggestions/adopt", json=body).status_code == 403  # reads only
    assert api("chem").post("/api/v1/plans/suggestions/adopt", json=body).status_code == 403
    assert api("officer").post("/api/v1/plans/suggestions/adopt", json=body).status_code == 403
    tasks = api("duty").get(f"/api/v1/incidents/{world['incident']}/workspace").json()["tasks"]
    assert not [t for t in tasks if t["title"] == "疏散厂区人员"]


def test_the_response_page_adopts_the_tasks_and_goes_to_the_workspace(page_client, world) -> None:
    c = page_client("duty")
    html = c.get(f"/plans/response?incident_id={world['incident']}").text
    assert "转为事件任务" in html
    r = c.post(f"/plans/response/adopt?incident_id={world['incident']}&plan_id={world['own']}",
               data={"csrf_token": c.csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/incidents/{world['incident']}"
    workspace = c.get(f"/incidents/{world['incident']}").text
    assert "疏散厂区人员" in workspace and f'href="/plans/response?incident_id={world["incident"]}"' in workspace
    assert "转为事件任务" not in page_client("leader").get(f"/plans/response?incident_id={world['incident']}").text
