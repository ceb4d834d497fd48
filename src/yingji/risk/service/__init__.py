"""Risk use cases, split by use case. Other capabilities use these functions, never the tables:

- ``inspection_frequencies(db=, enterprise_ids=)`` → per enterprise the level, open/overdue hazards and
  the inspection frequency (差异化监管) — for the enforcement capability;
- ``levels_by_enterprise(db, ids)`` → each enterprise's overall risk level;
- ``open_counts(db=, actor=)`` → open / major / overdue / supervised hidden hazards;
- ``risks_in_bbox(db=, bbox=)`` → risk points and major hazard sources placed inside a box;
- ``create_hazard(db=, actor=, data=HazardCreate)`` → records a hidden hazard (an inspection's finding);
- ``hazard_statuses(db, ids)`` → each hidden hazard's status (the enforcement figures' rectification rate).
"""

from yingji.risk.service.area import PlacedRisk, risks_in_bbox
from yingji.risk.service.hazards import create_hazard, hazard_statuses
from yingji.risk.service.points import levels_by_enterprise
from yingji.risk.service.supervision import inspection_frequencies, open_counts

__all__ = ["PlacedRisk", "create_hazard", "hazard_statuses", "inspection_frequencies", "levels_by_enterprise",
           "open_counts", "risks_in_bbox"]
