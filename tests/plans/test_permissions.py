"""Scope from the outside (issue 15 point 7), per role over HTTP: an enterprise manager its enterprise's
plans, filings, documents and certificates only; a township officer its township's and villages'; the
bureau all. Invisible answers 404, visible but not one's own to change 403, a missing right 403."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.plans.helpers import bj, chem_enterprise, materials, plan, township, upload, user, village_of
from yingji.core.actor import SYSTEM
from yingji.plans.schemas import FilingCreate, FilingDecision, VersionCreate
from yingji.plans.service import filings, registry
from yingji.registry.models import Enterprise

ALL = {k: True for k in ("materials_complete", "form_signed", "review_done", "structure_ok", "consistent")}


@pytest.fixture
def world(db, fixed_clock):
    fixed_clock(bj(2026, 11, 30, 10))
    labao = user(db, "labao").scope_path
    chem = chem_enterprise(db)
    inside = db.scalar(select(Enterprise).where(Enterprise.id != chem.id,
                                                Enterprise.region_path.startswith(labao + "/")).order_by(Enterprise.id))
    outside = db.scalar(select(Enterprise).where(Enterprise.id != chem.id, ~Enterprise.region_path.startswith(labao))
                        .order_by(Enterprise.id))
    other_town = next(t for t in [township(db, 1), township(db, 2)] if t.path != labao)
    made = {
        "chem": plan(db, enterprise_id=chem.id),
        "inside": plan(db, enterprise_id=inside.id),
        "outside": plan(db, enterprise_id=outside.id),
        "town": plan(db, kind="township", region_code=township(db, 0).code),
        "village": plan(db, kind="village", region_code=village_of(db, labao).code),
        "far_village": plan(db, kind="village", region_code=village_of(db, other_town.path).code),
        "general": plan(db, kind="general"),
    }
    assert made["town"].region_path == labao
    ids = {k: p.id for k, p in made.items()}
    for k in ("chem", "outside"):
        registry.add_version(db=db, actor=SYSTEM, plan_id=ids[k], data=VersionCreate(attachment_ids=[upload(db)]))
        f = filings.submit(db=db, actor=SYSTEM, data=FilingCreate(plan_id=ids[k], materials=materials(db)))
        ids[f"{k}_filing"] = f.id
        ids[f"{k}_file"] = registry.versions(db=db, actor=SYSTEM, plan_id=ids[k])[0].attachment_ids[0]
    f = filings.submit(db=db, actor=SYSTEM, data=FilingCreate(plan_id=ids["inside"], materials=materials(db)))
    filings.decide(db=db, actor=SYSTEM, filing_id=f.id, data=FilingDecision(decision="accepted", checklist=ALL))
    ids["inside_filing"] = f.id
    db.commit()
    return ids


def _listed(c, path="/api/v1/plans?page_size=500"):
    r = c.get(path)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"items", "total", "page", "page_size"}
    return {p["id"] for p in body["items"]}


def test_enterprise_manager_sees_and_files_only_its_own(api, world) -> None:
    c = api("chem")
    seen = _listed(c)
    assert world["chem"] in seen and not seen & {world[k] for k in ("inside", "outside", "town", "general")}
    assert c.get(f"/api/v1/plans/{world['chem']}").status_code == 200
    for k in ("outside", "town", "general"):
        assert c.get(f"/api/v1/plans/{world[k]}").status_code == 404
        assert c.post(f"/api/v1/plans/{world[k]}/versions", json={"attachment_ids": [1]}).status_code == 404
    assert c.get(f"/api/v1/plans/filings/{world['outside_filing']}").status_code == 404
    assert c.get(f"/api/v1/plans/filings/{world['inside_filing']}/certificate.docx").status_code == 404
    assert c.get(f"/api/v1/plans/{world['outside']}/files/{world['outside_file']}").status_code == 404
    # Another plan's document through its own plan: not linked there, so missing.
    assert c.get(f"/api/v1/plans/{world['chem']}/files/{world['outside_file']}").status_code == 404
    assert c.get(f"/api/v1/plans/{world['chem']}/files/{world['chem_file']}").status_code == 200
    filed = {f["id"] for f in c.get("/api/v1/plans/filings").json()["items"]}
    assert world["chem_filing"] in filed and not filed & {world["outside_filing"], world["inside_filing"]}
    # Its own filing, but the check is the bureau's.
    r = c.post(f"/api/v1/plans/filings/{world['chem_filing']}/decision", json={"decision": "accepted",
                                                                              "checklist": ALL})
    assert r.status_code == 403
    r = c.post("/api/v1/plans", json={"title": "他人企业预案", "kind": "ent_special", "enterprise_id":
                                      c.get(f"/api/v1/plans/{world['chem']}").json()["enterprise_id"] + 100000})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "enterprise_id"
    r = c.post("/api/v1/plans", json={"title": "区总体预案", "kind": "general"})
    assert r.status_code == 403


def test_enterprise_manager_submits_with_its_own_uploads_only(api, world, db) -> None:
    c = api("chem")
    mine = {}
    for k in ("application_form", "risk_assessment", "resource_survey", "plan_document", "review_opinion"):
        r = c.post("/api/v1/plans/files", files={"file": (f"{k}.docx", _docx(), "application/octet-stream")})
        assert r.status_code == 201, r.text
        mine[k] = r.json()["id"]
    other = upload(db)  # the system's upload: not chem's to link
    db.commit()
    body = {"plan_id": world["chem"], "materials": {**mine, "risk_assessment": other}}
    r = c.post("/api/v1/plans/filings", json=body)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "materials"
    r = c.post("/api/v1/plans/filings", json={"plan_id": world["chem"], "materials": mine})
    assert r.status_code == 409  # one open filing at a time (the fixture's)
    r = c.post("/api/v1/plans/filings", json={"plan_id": world["outside"], "materials": mine})
    assert r.status_code == 404


def _docx() -> bytes:
    from tests.plans.helpers import docx_bytes

    return docx_bytes()


def test_township_officer_sees_its_township_and_villages(api, world) -> None:
    c = api("labao")
    seen = _listed(c)
    assert {world["town"], world["village"], world["inside"]} <= seen
    assert world["far_village"] not in seen and world["general"] not in seen and world["outside"] not in seen
    assert c.get(f"/api/v1/plans/{world['far_village']}").status_code == 404
    # An enterprise's plan in its township: visible, but the enterprise's to change.
    assert c.post(f"/api/v1/plans/{world['inside']}/versions", json={"attachment_ids": [1]}).status_code == 403
    assert c.post(f"/api/v1/plans/filings/{world['outside_filing']}/decision",
                  json={"decision": "returned", "reasons": "x"}).status_code == 404
    assert c.get(f"/api/v1/plans/filings/{world['outside_filing']}/certificate.docx").status_code == 404
    assert c.post(f"/api/v1/plans/{world['town']}/triggers",
                  json={"code": "risk_changed", "occurred_on": "2026-11-01"}).status_code == 201


@pytest.mark.parametrize("role", ["leader", "liaison"])
def test_bureau_readers_see_all_and_change_nothing(api, world, role) -> None:
    c = api(role)
    assert {world[k] for k in ("chem", "outside", "town", "far_village", "general")} <= _listed(c)
    assert c.get(f"/api/v1/plans/filings/{world['inside_filing']}/certificate.docx").status_code == 200
    assert c.post(f"/api/v1/plans/filings/{world['chem_filing']}/decision",
                  json={"decision": "accepted", "checklist": ALL}).status_code == 403
    assert c.post("/api/v1/plans", json={"title": "区总体预案", "kind": "general"}).status_code == 403


def test_info_officer_has_no_plans(api, world) -> None:
    c = api("officer")
    assert c.get("/api/v1/plans").status_code == 403
    assert c.get(f"/api/v1/plans/{world['village']}").status_code == 403


def test_duty_officer_checks_and_prints(api, world) -> None:
    c = api("duty")
    r = c.post(f"/api/v1/plans/filings/{world['chem_filing']}/decision", json={"decision": "returned"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "reasons"
    assert c.get(f"/api/v1/plans/filings/{world['chem_filing']}").json()["status"] == "submitted"
    decision = {"decision": "accepted", "checklist": ALL}
    r = c.post(f"/api/v1/plans/filings/{world['chem_filing']}/decision", json=decision)
    assert r.status_code == 200 and r.json()["status"] == "accepted" and r.json()["certificate_no"]
    r = c.get(f"/api/v1/plans/filings/{world['chem_filing']}/certificate.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = c.post("/api/v1/plans", json={"title": "测试总体预案", "kind": "nonsense"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"].endswith("kind")


@pytest.mark.parametrize("role", ["duty", "labao", "chem", "leader"])
def test_pages_answer_each_role_without_inline_script(page_client, world, role) -> None:
    c = page_client(role)
    for path in ("/plans", "/plans/filings", "/plans/drills", "/plans/training"):
        r = c.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        for tag in re.findall(r"<script\b[^>]*>", r.text):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        menu = re.search(r'<a href="/plans"[^>]*>\s*预案演练(.*?)</a>', r.text, re.S)
        assert menu and "未建设" not in menu.group(1)
    own = world["chem"] if role == "chem" else world["town"] if role == "labao" else world["general"]
    assert c.get(f"/plans/{own}").status_code == 200
    assert c.get(f"/plans/{world['far_village']}").status_code == (200 if role in ("duty", "leader") else 404)


def test_deemed_filed_shows_on_the_plan_page(page_client, world, fixed_clock) -> None:
    fixed_clock(bj(2026, 12, 20, 10))  # well past 5 working days after 30 Nov
    r = page_client("duty").get(f"/plans/{world['chem']}")
    assert "视为已经备案" in r.text
