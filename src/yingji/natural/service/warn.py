"""A warning over an area and the hazard points inside it (issue 16 point 3): the points, the people they
threaten and their monitors; and the warning sent to exactly those people through the warnings
capability (``publish_to_audience``: the same sign-off, receipts and coverage)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.errors import invalid
from yingji.natural.service.area import AreaPoints, points_in_area
from yingji.warnings import service as warnings_service

AUDIENCE_KIND = {"household": "threatened", "monitor": "monitor", "responsible": "cadre"}


def threatened_by_warning(*, db: Session, actor: Actor, warning_id: int) -> tuple[object, AreaPoints]:
    """The warning (as the actor may see it) and the hazard points its area meets, with their people."""
    require(actor, "natural.read")
    warning = warnings_service.get_warning(db=db, actor=actor, warning_id=warning_id)
    if not warning.area_geometry:
        raise invalid("warning_id", "该预警没有区域范围")
    return warning, points_in_area(db=db, actor=actor, geometry=warning.area_geometry)


def send_to_threatened(*, db: Session, actor: Actor, warning_id: int, confirm_unreached: bool = False) -> int:
    """Publishes the approved warning to the threatened households, monitors and responsible persons of the
    points inside its area, and to no one else; returns how many phones it goes to."""
    require(actor, "natural.warn")
    _, found = threatened_by_warning(db=db, actor=actor, warning_id=warning_id)
    if not found.points:
        raise invalid("warning_id", "预警区域内没有隐患点")
    audience = [warnings_service.AudienceMember(
        ref=f"natural.{r.role}:{r.point_id}:{i}", name=r.name, phone=r.phone, village_code=r.village_code,
        kind=AUDIENCE_KIND[r.role]) for i, r in enumerate(found.reached)]
    warnings_service.publish_to_audience(db=db, actor=actor, warning_id=warning_id, audience=audience,
                                         confirm_unreached=confirm_unreached)
    return len(found.phones())
