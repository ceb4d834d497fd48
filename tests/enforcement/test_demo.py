"""The demo data set of enforcement (issue 14 point 11): generated, labelled demo, with items in both
states, checklists for the five industries, draws in every state and cases at every step."""

from __future__ import annotations

from sqlalchemy import select

from yingji.enforcement.models import (
    AnnualPlan,
    Case,
    ChecklistEntry,
    Draw,
    EnforceableItem,
    Finding,
    Inspection,
    InspectionDocument,
    Inspector,
    Listing,
)


def test_the_demo_covers_every_state(db, client) -> None:
    items = db.scalars(select(EnforceableItem)).all()
    assert {i.status for i in items} == {"draft", "published"} and all(i.is_demo for i in items)
    assert all("演示" in i.name for i in items)
    industries = {e.industry for e in db.scalars(select(ChecklistEntry))}
    assert {"hazardous_chemicals", "fireworks", "non_coal_mining", "industry_trade", "construction"} <= industries
    draws = db.scalars(select(Draw)).all()
    assert {d.status for d in draws} == {"committed", "drawn", "superseded"} and all(d.is_demo for d in draws)
    assert any(d.redraw_of and d.redraw_reason for d in draws)
    cases = db.scalars(select(Case)).all()
    steps = {"filed", "investigating", "notified", "hearing", "legal_review", "collective_discussion", "decided",
             "served", "executing", "closed"}
    assert {c.step for c in cases} == steps and all(c.is_demo for c in cases)
    inspections = db.scalars(select(Inspection)).all()
    assert inspections and all(i.is_demo and i.draw_id for i in inspections)
    assert all(f.hazard_id for f in db.scalars(select(Finding))) and db.scalars(select(Finding)).first()
    assert {d.kind for d in db.scalars(select(InspectionDocument))} == {"site_record", "rectification_order",
                                                                       "review_opinion"}
    public = client.get("/public/enforcement")
    assert public.status_code == 200 and sum(1 for c in cases if c.published_at) >= 4

    plans = db.scalars(select(AnnualPlan)).all()
    assert [p.status for p in plans] == ["published"] and plans[0].is_demo and plans[0].lines and plans[0].targets
    listed = db.scalars(select(Listing)).all()
    assert len(listed) == 1 and listed[0].status == "listed" and listed[0].is_demo
    assert listed[0].party_name in public.text and plans[0].title in public.text
    staff = db.scalars(select(Inspector)).all()
    assert (sum(i.qualified for i in staff), sum(i.equipment_fitted for i in staff), len(staff)) == (8, 9, 10)
    mark = next(t for t in plans[0].targets if t["id"] == listed[0].enterprise_id)
    assert mark["listed"] and mark["key"]


def test_a_listed_enterprise_is_marked_where_it_appears(db, page_client, api) -> None:
    listed = db.scalars(select(Listing)).one()
    duty = page_client("duty")
    for url in (f"/registry/enterprises/{listed.enterprise_id}", f"/risk/enterprises/{listed.enterprise_id}"):
        page = duty.get(url)
        assert page.status_code == 200 and "严重失信主体" in page.text, url
    points = api("duty").get("/api/v1/enforcement/map/listed").json()
    assert [f["properties"]["id"] for f in points["features"]] == [listed.enterprise_id]
    assert "enforcement.listed" in duty.get("/map").text
