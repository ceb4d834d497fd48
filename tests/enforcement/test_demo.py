"""The demo data set of enforcement (issue 14 point 11): generated, labelled demo, with items in both
states, checklists for the five industries, draws in every state and cases at every step."""

from __future__ import annotations

from sqlalchemy import select

from yingji.enforcement.models import (
    Case,
    ChecklistEntry,
    Draw,
    EnforceableItem,
    Finding,
    Inspection,
    InspectionDocument,
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
