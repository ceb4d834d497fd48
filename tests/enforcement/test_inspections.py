"""On-site inspections (issue 14 point 5, in part): only under a published item; a sync retried on a bad line
neither loses nor doubles the inspection or a finding; a finding becomes a hidden hazard of the dual
prevention capability; documents numbered and issued in their order (复查 only after an order), opening
as .docx with the district's header; scope per role (point 10)."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document
from sqlalchemy import func, select

from tests.enforcement.helpers import item, user
from yingji.enforcement.models import Finding, Inspection, Inspector
from yingji.registry.models import Enterprise

INSPECTIONS = "/api/v1/enforcement/inspections"


def key() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def setting(db):
    labao = user(db, "labao").scope_path
    chem = db.get(Enterprise, user(db, "chem").enterprise_id)
    mine = db.scalar(select(Inspector).where(Inspector.user_id == user(db, "inspector").id))
    third = db.scalar(select(Inspector).where(Inspector.user_id.is_(None)).order_by(Inspector.id))
    published = item(db, code="T-INS-1", industry=chem.industry)
    draft = item(db, code="T-INS-2", industry=chem.industry, publish=False)
    db.commit()
    return {"chem": chem, "labao": labao, "team": [mine.id, third.id], "item": published.id, "draft": draft.id}


def start(api, s, who="inspector", **extra):
    body = {"client_key": extra.pop("client_key", key()), "item_id": s["item"], "enterprise_id": s["chem"].id,
            "inspector_ids": s["team"], **extra}
    return api(who).post(INSPECTIONS, json=body)


def test_only_a_published_item_and_retried_syncs_are_one(api, db, setting) -> None:
    assert start(api, setting, item_id=setting["draft"]).status_code == 409
    k = key()
    first = start(api, setting, client_key=k)
    assert first.status_code == 201
    again = start(api, setting, client_key=k)
    assert again.json()["id"] == first.json()["id"]
    assert db.scalar(select(func.count()).select_from(Inspection).where(Inspection.client_key == k)) == 1


def test_a_finding_becomes_a_hidden_hazard_once(api, db, setting) -> None:
    ins = start(api, setting).json()
    k = key()
    body = {"client_key": k, "description": "储罐区可燃气体报警器失效", "major": False, "lon": 109.33, "lat": 24.26}
    r = api("inspector").post(f"{INSPECTIONS}/{ins['id']}/findings", json=body)
    assert r.status_code == 201
    hazard_id = r.json()["hazard_id"]
    hazard = api("duty").get(f"/api/v1/risk/hazards/{hazard_id}").json()
    assert hazard["enterprise_id"] == setting["chem"].id and hazard["source"] == "inspection"
    assert "报警器失效" in hazard["title"]
    # the same finding synced again: the same record, no second hazard
    again = api("inspector").post(f"{INSPECTIONS}/{ins['id']}/findings", json=body)
    assert again.json()["id"] == r.json()["id"] and again.json()["hazard_id"] == hazard_id
    assert db.scalar(select(func.count()).select_from(Finding).where(Finding.inspection_id == ins["id"])) == 1


def test_documents_follow_the_one_they_depend_on(api, db, setting) -> None:
    ins = start(api, setting).json()
    docs = f"{INSPECTIONS}/{ins['id']}/documents"
    due = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    review = api("inspector").post(docs, json={"kind": "review_opinion"})
    assert review.status_code == 409 and "须先出具责令限期整改指令书" in review.json()["error"]["message"]
    order = api("inspector").post(docs, json={"kind": "rectification_order", "rectify_by": due})
    assert order.status_code == 409 and "须先出具现场检查记录" in order.json()["error"]["message"]
    record = api("inspector").post(docs, json={"kind": "site_record"})
    assert record.status_code == 201
    assert api("inspector").post(docs, json={"kind": "rectification_order", "rectify_by": due}).status_code == 409
    api("inspector").post(f"{INSPECTIONS}/{ins['id']}/findings",
                          json={"client_key": key(), "description": "安全出口堵塞"})
    assert api("inspector").post(docs, json={"kind": "rectification_order"}).status_code == 422
    order = api("inspector").post(docs, json={"kind": "rectification_order", "rectify_by": due})
    assert order.status_code == 201 and order.json()["depends_on"] == record.json()["id"]
    assert "责改〔" in order.json()["number"] and order.json()["number"].endswith("号")
    review = api("inspector").post(docs, json={"kind": "review_opinion"})
    assert review.status_code == 201 and review.json()["depends_on"] == order.json()["id"]
    assert len({d["number"] for d in api("duty").get(docs).json()["items"]}) == 3
    # the order opens as a .docx with the district's header, its number, the unit and the hazard
    r = api("chem").get(f"/api/v1/enforcement/documents/{order.json()['id']}.docx")
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    assert doc.sections[0].header.paragraphs[0].text.endswith("应急管理局")
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(c.text for t in doc.tables for row in t.rows
                                                                  for c in row.cells)
    assert order.json()["number"] in text and setting["chem"].name in text and "安全出口堵塞" in text
    assert "申请行政复议" in text


def test_inspection_scope_per_role(api, db, setting) -> None:
    ins = start(api, setting).json()
    assert ins["id"] in {i["id"] for i in api("inspector").get(INSPECTIONS).json()["items"]}
    assert api("inspector2").get(f"{INSPECTIONS}/{ins['id']}").status_code == 404  # not assigned
    assert ins["id"] not in {i["id"] for i in api("inspector2").get(INSPECTIONS).json()["items"]}
    assert api("chem").get(f"{INSPECTIONS}/{ins['id']}").status_code == 200  # its own
    inside = setting["chem"].region_path.startswith(setting["labao"] + "/")
    assert (api("labao").get(f"{INSPECTIONS}/{ins['id']}").status_code == 200) is inside
    assert api("chem").post(f"{INSPECTIONS}/{ins['id']}/findings",
                            json={"client_key": key(), "description": "企业自己记录"}).status_code == 403
    assert api("labao").post(f"{INSPECTIONS}/{ins['id']}/documents", json={"kind": "site_record"}).status_code in (
        403, 404)
    other = db.scalar(select(Enterprise).where(Enterprise.id != setting["chem"].id).order_by(Enterprise.id))
    foreign = start(api, setting, who="duty", enterprise_id=other.id).json()
    assert api("chem").get(f"{INSPECTIONS}/{foreign['id']}").status_code == 404
    # an inspector may not record an inspection it is not part of
    not_mine = [i for i in db.scalars(select(Inspector.id).where(Inspector.user_id.is_(None)).limit(2))]
    assert start(api, setting, inspector_ids=not_mine).status_code == 403
