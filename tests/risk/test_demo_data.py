"""The demo district's risk data: points at every enterprise, major hazard sources at chemical
enterprises, hazards in every state with some overdue, public reports."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from yingji.registry.models import Enterprise
from yingji.risk.enums import HazardStatus
from yingji.risk.models import Hazard, HazardEvent, MajorHazardSource, PublicReport, RiskPoint
from yingji.risk.service import hazards


def test_points_cover_every_enterprise_and_every_level(db) -> None:
    enterprises = db.scalar(select(func.count(Enterprise.id)))
    graded = db.scalar(select(func.count(func.distinct(RiskPoint.enterprise_id))))
    assert graded == enterprises
    assert set(db.scalars(select(RiskPoint.level).distinct())) == {"red", "orange", "yellow", "blue"}
    assert db.scalar(select(func.count()).where(RiskPoint.enterprise_id.is_(None))) > 0  # public places


def test_major_hazard_sources_at_chemical_enterprises(db) -> None:
    rows = list(db.scalars(select(MajorHazardSource)))
    assert len(rows) >= 5
    industries = {db.get(Enterprise, r.enterprise_id).industry for r in rows}
    assert industries == {"hazardous_chemicals"}
    assert {r.grade for r in rows if r.is_major} >= {1, 2, 4} and any(not r.is_major for r in rows)


def test_hazards_in_every_state_some_overdue_some_supervised(db) -> None:
    states = Counter(db.scalars(select(Hazard.status)))
    assert set(states) == set(HazardStatus)
    all_hazards = list(db.scalars(select(Hazard)))
    assert sum(hazards.is_overdue(h) for h in all_hazards) >= 3
    assert any(h.supervised for h in all_hazards) and any(h.grade == "major" for h in all_hazards)
    for h in all_hazards:  # every hazard's history is a path through the state machine
        steps = list(db.scalars(select(HazardEvent).where(HazardEvent.hazard_id == h.id).order_by(HazardEvent.id)))
        moves = [e for e in steps if e.from_status and e.from_status != e.to_status]
        for a, b in zip(moves, moves[1:], strict=False):
            assert a.to_status == b.from_status
        assert (moves[-1].to_status if moves else "reported") == h.status


def test_public_reports_in_each_state(db) -> None:
    assert set(db.scalars(select(PublicReport.status))) >= {"pending", "accepted", "rejected"}
