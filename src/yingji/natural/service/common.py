"""Who may see or change a hazard point, shared by the natural use cases.

Scope (issue 16 point 7): a township officer manages the points of its township (their monitors and
households too); an information officer sees and patrols its village's points only; the bureau
(district-wide accounts) everything; other roles hold no natural permission. What an actor cannot see
answers 404; what it sees but may not change 403."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.actor import Actor, load_in_scope, region_in_scope, require
from yingji.core.errors import PermissionDenied
from yingji.geo import service as geo_service
from yingji.natural.models import HazardPoint


def get_point(db: Session, actor: Actor, point_id: int) -> HazardPoint:
    return load_in_scope(db, actor, HazardPoint, point_id, what="隐患点", permission="natural.read")


def writable_point(db: Session, actor: Actor, point_id: int, permission: str = "natural.write") -> HazardPoint:
    point = get_point(db, actor, point_id)
    require(actor, permission)
    if not region_in_scope(actor, point.region_path):
        raise PermissionDenied("只能维护本辖区的隐患点")
    return point


def township_of(path: str) -> str:
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) >= 2 else path


def region_names(db: Session) -> dict[str, str]:
    return {r.path: r.name for r in geo_service.region_infos(db=db)}
