"""Every write of the plans capability done from its pages (issue 15 point 1), through the browser-like
``page_client``: the form posts with its CSRF token, lands on the record, and on bad input answers the page
again with the error next to the field and nothing saved; a role without the right, or outside the record's
scope, is refused and nothing changes."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.plans.helpers import bj, chem_enterprise, docx_bytes, plan, png_bytes, township, user
from yingji.core.actor import SYSTEM
from yingji.plans.models import (
    Certificate,
    Drill,
    DrillAction,
    Evaluation,
    Filing,
    Plan,
    PlanVersion,
    RevisionTrigger,
    Trainee,
)
from yingji.plans.schemas import DrillCreate
from yingji.plans.service import drills

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def world(db, fixed_clock):
    fixed_clock(bj(2026, 11, 30, 10))
    chem = chem_enterprise(db)
    ids = {
        "chem_id": chem.id,
        "chem": plan(db, enterprise_id=chem.id, review_required=False).id,
        "general": plan(db, kind="general", published_on=date(2025, 1, 10)).id,
        "town": plan(db, kind="township", region_code=township(db, 0).code).id,
    }
    db.commit()
    return ids


def post(c, url, data=None, files=None):
    return c.post(url, data={**(data or {}), "csrf_token": c.csrf}, files=files, follow_redirects=False)


def count(db, model, **where) -> int:
    db.expire_all()
    q = select(func.count()).select_from(model)
    for k, v in where.items():
        q = q.where(getattr(model, k) == v)
    return db.scalar(q)


def field_error(html: str, name: str) -> str:
    """The error shown inside the label of the field named ``name``."""
    m = re.search(
        rf'name="{re.escape(name)}"[^<]*(?:>[^<]*</(?:textarea|select)>|>)(?:(?!<label).)*?'
        r'<span class="field-error">([^<]+)</span>',
        html,
        re.S,
    )
    return m.group(1) if m else ""


NEW_PLAN = {
    "title": "某化工企业综合应急预案",
    "kind": "ent_comprehensive",
    "response_levels": "II | 二级响应 | min_deaths=3; incident_kinds=hazardous_chemicals,fire"
    " | 副总指挥到场、启动物资调拨\n"
    "III | 三级响应 | min_injured=1 | 企业先期处置",
    "command": "总指挥 | 总经理 | 李四",
    "incident_kinds": "hazardous_chemicals、fire",
    "published_on": "2026-11-02",
    "responsible_person": "李四",
    "responsible_phone": "13800138000",
}


def test_an_enterprise_manager_registers_its_plan_from_the_form(page_client, api, world, db) -> None:
    c = page_client("chem")
    assert 'action="/plans/new"' in c.get("/plans/new").text
    r = post(c, "/plans/new", {**NEW_PLAN, "enterprise_id": str(world["chem_id"])})
    assert r.status_code == 303, r.text[:500]
    plan_id = int(r.headers["location"].rsplit("/", 1)[1])
    body = api("chem").get(f"/api/v1/plans/{plan_id}").json()
    assert body["response_levels"] == [
        {
            "level": "II",
            "label": "二级响应",
            "trigger": {"min_deaths": 3, "incident_kinds": ["hazardous_chemicals", "fire"]},
            "tasks": ["副总指挥到场", "启动物资调拨"],
        },
        {"level": "III", "label": "三级响应", "trigger": {"min_injured": 1}, "tasks": ["企业先期处置"]},
    ]
    assert body["command"] == [{"role": "总指挥", "post": "总经理", "person": "李四"}]
    assert body["incident_kinds"] == ["hazardous_chemicals", "fire"] and body["responsible_phone"] == "13800138000"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title": ""}, "title", ""),
        ({"response_levels": "II | 二级响应"}, "response_levels", "第 1 行"),
        ({"response_levels": "II | 二级 | min_deaths | 任务"}, "response_levels", "名称=值"),
        ({"published_on": "2026-13-01"}, "published_on", "日期"),
        ({"responsible_phone": "12345"}, "responsible_phone", "电话"),
        ({"enterprise_id": ""}, "enterprise_id", "企业"),
    ],
)
def test_bad_input_shows_next_to_the_field_and_saves_nothing(page_client, world, db, change, field, words) -> None:
    before = count(db, Plan)
    r = post(page_client("chem"), "/plans/new", {**NEW_PLAN, "enterprise_id": str(world["chem_id"]), **change})
    assert r.status_code == 422
    assert words in field_error(r.text, field) and field_error(r.text, field), r.text[-3000:]
    assert 'value="某化工企业综合应急预案"' in r.text or field == "title"  # what was typed is kept
    assert count(db, Plan) == before


def test_refused_without_the_right_or_the_token(page_client, world, db) -> None:
    before = count(db, Plan)
    leader = page_client("leader")
    assert 'action="/plans/new"' not in leader.get("/plans/new").text
    assert post(leader, "/plans/new", {**NEW_PLAN, "kind": "general"}).status_code == 403
    duty = page_client("duty")
    r = duty.post("/plans/new", data={**NEW_PLAN, "kind": "general"}, follow_redirects=False)  # no token
    assert r.status_code == 403
    # an enterprise manager registers no other enterprise's plan, a township none outside its township
    other = db.scalar(
        select(Plan.enterprise_id).where(Plan.enterprise_id.is_not(None), Plan.enterprise_id != world["chem_id"])
    )
    assert post(page_client("chem"), "/plans/new", {**NEW_PLAN, "enterprise_id": str(other)}).status_code in (403, 404)
    far = township(db, 1).code if township(db, 0).path == user(db, "labao").scope_path else township(db, 0).code
    r = post(page_client("labao"), "/plans/new", {**NEW_PLAN, "kind": "township", "region_code": far})
    assert r.status_code == 404  # outside its township: as if it did not exist
    assert count(db, Plan) == before


def test_a_version_is_uploaded_and_a_wrong_file_refused(page_client, api, world, db) -> None:
    c = page_client("chem")
    url = f"/plans/{world['chem']}/versions"
    r = post(c, url, {"note": "初版"}, files={"attachment_ids": ("预案.docx", docx_bytes(), DOCX)})
    assert r.status_code == 303
    r = post(
        c,
        url,
        {"note": "修订指挥机构", "changed_parts": ["command", "wording"]},
        files={"attachment_ids": ("预案v2.docx", docx_bytes("第二版"), DOCX)},
    )
    assert r.status_code == 303
    versions = api("chem").get(f"/api/v1/plans/{world['chem']}/versions").json()["items"]
    assert [(v["number"], v["current"], v["requires_refiling"]) for v in versions] == [
        (2, True, True),
        (1, False, False),
    ]
    assert api("chem").get(f"/api/v1/plans/{world['chem']}").json()["needs_refiling"] is True

    r = post(c, url, {"note": "坏文件"}, files={"attachment_ids": ("预案.docx", b"not a document", DOCX)})
    assert r.status_code == 422 and field_error(r.text, "attachment_ids")
    r = post(c, url, {"note": "没有文件"})
    assert r.status_code == 422 and field_error(r.text, "attachment_ids")
    assert count(db, PlanVersion, plan_id=world["chem"]) == 2
    # the township may read the enterprise's plan but not change it; the leader changes nothing
    for who in ("labao", "leader"):
        r = post(page_client(who), url, {"note": "x"}, files={"attachment_ids": ("a.docx", docx_bytes(), DOCX)})
        assert r.status_code in (403, 404)
    assert count(db, PlanVersion, plan_id=world["chem"]) == 2


def materials(*keys):
    return {f"materials.{k}": (f"{k}.docx", docx_bytes(k), DOCX) for k in keys}


ALL_FOUR = ("application_form", "risk_assessment", "resource_survey", "plan_document")


def test_filing_submitted_with_its_materials_then_checked_by_the_bureau(page_client, api, world, db) -> None:
    chem = page_client("chem")
    page = chem.get(f"/plans/{world['chem']}").text
    assert all(f'name="materials.{k}"' in page for k in ALL_FOUR) and 'name="materials.review_opinion"' not in page
    url = f"/plans/{world['chem']}/filings"
    r = post(chem, url, files=materials("application_form", "plan_document", "resource_survey"))
    assert r.status_code == 422 and "风险评估" in field_error(r.text, "materials.risk_assessment")
    assert count(db, Filing, plan_id=world["chem"]) == 0
    assert post(chem, url, files=materials(*ALL_FOUR)).status_code == 303
    [filing] = api("chem").get(f"/api/v1/plans/filings?plan_id={world['chem']}").json()["items"]
    assert filing["status"] == "submitted" and set(filing["materials"]) == set(ALL_FOUR)

    decision = f"/plans/filings/{filing['id']}/decision"
    assert 'action="' + decision not in chem.get(f"/plans/{world['chem']}").text
    assert post(chem, decision, {"decision": "accepted", "checklist": ["materials_complete"]}).status_code == 403
    duty = page_client("duty")
    assert 'action="' + decision in duty.get(f"/plans/{world['chem']}").text
    r = post(duty, decision, {"decision": "returned", "reasons": "  "})
    assert r.status_code == 422 and "理由" in field_error(r.text, "reasons")
    r = post(duty, decision, {"decision": "accepted", "checklist": ["materials_complete", "form_signed"]})
    assert r.status_code == 422 and field_error(r.text, "checklist")
    assert api("duty").get(f"/api/v1/plans/filings/{filing['id']}").json()["status"] == "submitted"
    r = post(duty, decision, {"decision": "returned", "reasons": "申报表未盖章", "checklist": ["materials_complete"]})
    assert r.status_code == 303
    got = api("duty").get(f"/api/v1/plans/filings/{filing['id']}").json()
    assert got["status"] == "returned" and got["reasons"] == "申报表未盖章"
    assert "退回理由：申报表未盖章" in chem.get(f"/plans/{world['chem']}").text
    # resubmitted and accepted with every item passed: numbered, the 备案登记表 linked
    assert post(chem, url, files=materials(*ALL_FOUR)).status_code == 303
    second = max(f["id"] for f in api("chem").get(f"/api/v1/plans/filings?plan_id={world['chem']}").json()["items"])
    checklist = ["materials_complete", "form_signed", "review_done", "structure_ok", "consistent"]
    assert (
        post(duty, f"/plans/filings/{second}/decision", {"decision": "accepted", "checklist": checklist}).status_code
        == 303
    )
    assert f"/api/v1/plans/filings/{second}/certificate.docx" in chem.get(f"/plans/{world['chem']}").text
    # a township submits nothing for an enterprise
    assert post(page_client("labao"), url, files=materials(*ALL_FOUR)).status_code in (403, 404)


def test_trigger_and_evaluation_move_the_next_evaluation(page_client, api, world, db) -> None:
    duty = page_client("duty")
    plan_url = f"/plans/{world['general']}"
    # published 2025-01-10: due 2028-01-10; a change of the command body on 2026-11-20 calls for one now
    assert api("duty").get(f"/api/v1{plan_url}/evaluation").json()["due_on"] == "2028-01-10"
    r = post(duty, f"{plan_url}/triggers", {"code": "command_changed", "occurred_on": "2026-12-05"})
    assert r.status_code == 422 and "晚于今天" in field_error(r.text, "occurred_on")
    r = post(duty, f"{plan_url}/triggers", {"code": "", "occurred_on": "2026-11-20"})
    assert r.status_code == 422 and field_error(r.text, "code")
    assert count(db, RevisionTrigger, plan_id=world["general"]) == 0
    assert (
        post(
            duty,
            f"{plan_url}/triggers",
            {"code": "command_changed", "occurred_on": "2026-11-20", "note": "区应急委调整"},
        ).status_code
        == 303
    )
    assert api("duty").get(f"/api/v1{plan_url}/evaluation").json()["due_on"] == "2026-11-20"
    r = post(duty, f"{plan_url}/evaluations", {"evaluated_on": "", "conclusion": "keep"})
    assert r.status_code == 422 and field_error(r.text, "evaluated_on")
    assert (
        post(duty, f"{plan_url}/evaluations", {"evaluated_on": "2026-11-25", "conclusion": "revise"}).status_code == 303
    )
    assert api("duty").get(f"/api/v1{plan_url}/evaluation").json()["due_on"] == "2029-11-25"
    for who in ("leader", "chem", "labao"):
        assert post(
            page_client(who), f"{plan_url}/evaluations", {"evaluated_on": "2026-11-26", "conclusion": "keep"}
        ).status_code in (403, 404)
    assert count(db, Evaluation, plan_id=world["general"]) == 1


def test_a_drill_planned_recorded_and_evaluated_into_follow_ups(page_client, api, world, db) -> None:
    chem = page_client("chem")
    r = post(chem, f"/plans/{world['chem']}/drills", {"kind": "tabletop", "scenario": "x", "planned_on": "2026-11-28"})
    assert r.status_code == 422 and field_error(r.text, "scenario")
    r = post(
        chem,
        f"/plans/{world['chem']}/drills",
        {
            "kind": "functional",
            "scenario": "储罐区泄漏",
            "planned_on": "2026-11-28",
            "participants": "生产部 | 现场处置\n安全部",
        },
    )
    assert r.status_code == 303
    drill_id = int(r.headers["location"].rsplit("/", 1)[1])
    record = f"/plans/drills/{drill_id}/record"
    r = post(chem, record, {"held_on": "2026-11-28", "attendance": "36", "steps": "接警 | 9:5x"})
    assert r.status_code == 422 and "第 1 行" in field_error(r.text, "steps")
    r = post(
        chem,
        record,
        {
            "held_on": "2026-11-28",
            "attendance": "36",
            "steps": "疏散 | 09:20\n接警 | 09:05",
            "reported_to_county": "on",
        },
        files={"photo_ids": ("现场.png", png_bytes(), "image/png")},
    )
    assert r.status_code == 303, r.text[-2000:]
    got = api("chem").get(f"/api/v1/plans/drills/{drill_id}").json()
    assert [s["name"] for s in got["steps"]] == ["接警", "疏散"] and got["steps"][0]["at"].startswith(
        "2026-11-28T09:05"
    )
    assert got["attendance"] == 36 and got["reported_to_county"] is True and len(got["photo_ids"]) == 1
    assert got["participants"] == [{"name": "生产部", "role": "现场处置"}, {"name": "安全部", "role": ""}]

    evaluation = f"/plans/drills/{drill_id}/evaluation"
    base = {"preparation": "方案齐全", "execution": "响应及时", "effect": "基本达到目的", "problems": "应急通讯不畅"}
    r = post(chem, evaluation, {**base, "actions": "应急通讯不畅 | 配备对讲机 | 张三"})
    assert r.status_code == 422 and field_error(r.text, "actions")
    assert count(db, DrillAction, drill_id=drill_id) == 0
    r = post(
        chem,
        evaluation,
        {**base, "actions": "应急通讯不畅 | 配备防爆对讲机 | 张三 | 2026-12-31", "requires_revision": "on"},
    )
    assert r.status_code == 303
    actions = api("chem").get(f"/api/v1/plans/drills/{drill_id}/actions").json()["items"]
    assert [(a["action"], a["owner"], a["due_on"]) for a in actions] == [("配备防爆对讲机", "张三", "2026-12-31")]
    assert count(db, RevisionTrigger, plan_id=world["chem"], code="problems_found") == 1
    assert "配备防爆对讲机" in chem.get(f"/plans/drills/{drill_id}").text
    # others: the township sees the enterprise's drill but changes nothing; the leader neither
    for who in ("labao", "leader"):
        assert post(page_client(who), record, {"held_on": "2026-11-29", "attendance": "1"}).status_code in (403, 404)
    assert api("chem").get(f"/api/v1/plans/drills/{drill_id}").json()["attendance"] == 36


def test_a_township_drill_is_not_the_enterprises(page_client, world, db) -> None:
    d = drills.create_drill(
        db=db,
        actor=SYSTEM,
        data=DrillCreate(
            plan_id=world["town"], kind="tabletop", scenario="防汛桌面推演", planned_on=date(2026, 11, 20)
        ),
    )
    db.commit()
    assert page_client("chem").get(f"/plans/drills/{d.id}").status_code == 404
    r = post(page_client("chem"), f"/plans/drills/{d.id}/record", {"held_on": "2026-11-20", "attendance": "5"})
    assert r.status_code == 404
    assert (
        post(
            page_client("labao"), f"/plans/drills/{d.id}/record", {"held_on": "2026-11-20", "attendance": "5"}
        ).status_code
        == 303
    )
    db.expire_all()
    assert db.get(Drill, d.id).attendance == 5


def test_people_courses_and_certificates_from_the_training_page(page_client, api, world, db) -> None:
    chem = page_client("chem")
    r = post(chem, "/plans/training/trainees", {"name": "", "category": "high_risk_worker"})
    assert r.status_code == 422 and field_error(r.text, "name")
    r = post(chem, "/plans/training/trainees", {"name": "王五", "category": "high_risk_worker", "phone": "1380013"})
    assert r.status_code == 422 and field_error(r.text, "phone")
    assert (
        post(
            chem,
            "/plans/training/trainees",
            {"name": "王五", "category": "high_risk_worker", "training_role": "worker", "phone": "13900139000"},
        ).status_code
        == 303
    )
    [mine] = [
        t
        for t in api("chem").get("/api/v1/plans/training/trainees?page_size=500").json()["items"]
        if t["name"] == "王五"
    ]
    assert mine["enterprise_id"] == world["chem_id"]
    r = post(
        chem,
        "/plans/training/courses",
        {
            "title": "新员工三级教育",
            "kind": "initial",
            "hours": "0",
            "held_on": "2026-11-10",
            "attendees": [str(mine["id"])],
        },
    )
    assert r.status_code == 422 and field_error(r.text, "hours")
    assert (
        post(
            chem,
            "/plans/training/courses",
            {
                "title": "新员工三级教育",
                "kind": "initial",
                "hours": "24",
                "held_on": "2026-11-10",
                "attendees": [str(mine["id"])],
            },
        ).status_code
        == 303
    )
    cert = {
        "trainee_id": str(mine["id"]),
        "kind": "special_operations",
        "number": "T4502",
        "issued_on": "2024-03-01",
        "expires_on": "2023-03-01",
    }
    r = post(chem, "/plans/training/certificates", cert)
    assert r.status_code == 422 and "早于" in field_error(r.text, "expires_on")
    assert count(db, Certificate, trainee_id=mine["id"]) == 0
    assert post(chem, "/plans/training/certificates", {**cert, "expires_on": "2030-03-01"}).status_code == 303
    assert count(db, Certificate, trainee_id=mine["id"]) == 1
    before = count(db, Trainee)
    assert post(page_client("leader"), "/plans/training/trainees", {"name": "赵六"}).status_code == 403
    assert 'action="/plans/training/trainees"' not in page_client("leader").get("/plans/training").text
    # another unit's person is not certified by the enterprise (as if it did not exist)
    far = db.scalar(select(Trainee.id).where(Trainee.enterprise_id.is_(None)).order_by(Trainee.id))
    if far is not None:
        r = post(chem, "/plans/training/certificates", {**cert, "trainee_id": str(far), "expires_on": "2030-03-01"})
        assert r.status_code == 422 and field_error(r.text, "trainee_id")
    assert count(db, Trainee) == before


def test_the_overview_of_evaluations_due_by_township_and_owner(page_client, world, db) -> None:
    # the township plan published 2023-12-15 falls due 2026-12-15, within the 60 days; the general plan not
    p = db.get(Plan, world["town"])
    p.published_on = date(2023, 12, 15)
    # The demo's own plans of the township were published on random days: made recent, none falls due, so
    # the township's row counts this test's two plans only.
    mine = {world["town"], world["general"], world["chem"]}
    for other in db.scalars(select(Plan).where(Plan.region_path.startswith(township(db, 0).path))):
        if other.id not in mine:
            other.published_on = date(2026, 6, 1)
    old = plan(db, kind="township", region_code=township(db, 0).code, published_on=date(2023, 6, 1), title="旧防汛预案")
    db.commit()
    for who, sees in (("duty", True), ("labao", township(db, 0).path == user(db, "labao").scope_path), ("chem", False)):
        html = page_client(who).get("/plans/evaluations").text
        assert (f'href="/plans/{world["town"]}"' in html) is sees
        assert (f'href="/plans/{old.id}"' in html) is sees
        assert f'href="/plans/{world["general"]}"' not in html
    html = page_client("duty").get("/plans/evaluations").text
    row = re.search(rf"<tr><td>{township(db, 0).name}</td><td>镇（街道）</td>(.*?)</tr>", html, re.S)
    assert row and re.search(r'<b class="level-red">(\d+)</b></td><td>(\d+)</td>', row.group(1)).groups() == ("1", "1")
