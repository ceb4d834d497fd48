"""The demo data set of the plans capability: every filing state, drills with follow-ups, rates on both
sides of their targets."""

from __future__ import annotations

from sqlalchemy import func, select

from yingji.core.actor import SYSTEM
from yingji.core.pagination import PageParams
from yingji.plans.models import DrillAction, Plan
from yingji.plans.service import filings, training


def test_demo_plans_cover_every_filing_state_and_both_sides_of_the_targets(db) -> None:
    kinds = set(db.scalars(select(Plan.kind).where(Plan.is_demo.is_(True))))
    assert {"general", "special", "department", "township", "village", "ent_comprehensive", "ent_on_site"} <= kinds
    views, _ = filings.list_filings(db=db, actor=SYSTEM, page=PageParams(page_size=500))
    assert {"submitted", "accepted", "returned", "deemed_filed"} <= {v.status for v in views}
    assert db.scalar(select(func.count()).select_from(DrillAction)) >= 4
    reached = {r.rate.rule.key: r.rate.reached for r in training.rates(db=db, actor=SYSTEM)}
    assert True in reached.values() and False in reached.values() and None not in reached.values()
