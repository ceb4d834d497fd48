"""What the natural capability does when a warning is published: a 暴雨 or 地质灾害 warning over hazard
points calls for a patrol of each (data/patrol_rules.toml); the scheduled job tells the township of those
not patrolled in time."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM
from yingji.core.errors import DomainError
from yingji.core.events import subscribe
from yingji.natural.service import area, patrols
from yingji.warnings import service as warnings_service
from yingji.warnings.events import WarningPublished

# The warnings capability's event types → the patrol rules' warning kinds.
RULE_KIND = {"rainstorm": "rainstorm", "geological": "geological_hazard"}


@subscribe(WarningPublished)
def patrols_for_warning(db: Session, event: WarningPublished) -> None:
    if event.drill:  # a drill warning sends no monitor out on patrol
        return
    kind = RULE_KIND.get(event.event_type)
    if kind is None:
        return
    warning = warnings_service.get_warning(db=db, actor=SYSTEM, warning_id=event.warning_id)
    if not warning.area_geometry:
        return
    try:
        inside = area.points_in_area(db=db, actor=SYSTEM, geometry=warning.area_geometry)
    except DomainError:
        return  # an area natural cannot read has no points of its own to patrol
    patrols.demand_patrols(db=db, points=inside.points, warning_id=event.warning_id, warning_kind=kind,
                           level=event.level, issued_at=event.at)
