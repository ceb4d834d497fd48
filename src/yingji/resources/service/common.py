"""Helpers shared by the resources use cases: where a record lies, and who may see or change it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, ensure_region_in_scope, region_in_scope, scope_condition
from yingji.core.errors import NotFound, PermissionDenied, invalid
from yingji.geo import service as geo_service


def ancestors(path: str) -> list[str]:
    """ "a/b/c" → ["a", "a/b"]: the regions above a path."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def read_condition(actor: Actor, path_column: Any, enterprise_column: Any | None = None) -> Any:
    """What an actor may see: records inside its area, and the district-level (or township-level) ones
    above it, which serve its area too (a township sees the district warehouse). An enterprise manager
    sees its own enterprise's records only."""
    if actor.enterprise_id is not None:
        return scope_condition(actor, path_column, enterprise_column) if enterprise_column is not None else false()
    cond = scope_condition(actor, path_column)
    if actor.scope_path is None:
        return cond
    return or_(cond, path_column.in_(ancestors(actor.scope_path)))


def can_read(actor: Actor, path: str, enterprise_id: int | None = None) -> bool:
    if actor.enterprise_id is not None:
        return enterprise_id is not None and enterprise_id == actor.enterprise_id
    return region_in_scope(actor, path) or (actor.scope_path is not None and path in ancestors(actor.scope_path))


def readable(actor: Actor, row: Any) -> bool:
    """A resource row the actor may read (``load_in_scope``'s rule for resources)."""
    return can_read(actor, row.region_path, getattr(row, "enterprise_id", None))


def ensure_readable(actor: Actor, path: str, *, what: str, enterprise_id: int | None = None) -> None:
    if not can_read(actor, path, enterprise_id):
        raise NotFound(f"{what}不存在")


def ensure_writable(actor: Actor, path: str, *, what: str) -> None:
    """Changes stay inside the actor's own area: a township edits only its own points. What it can see but
    not change (the district's resources) answers 403; what it cannot see, 404."""
    if not region_in_scope(actor, path) and can_read(actor, path):
        raise PermissionDenied(f"只能修改本辖区的{what}")
    ensure_region_in_scope(actor, path, what=what)


def resolve_region(
    db: Session,
    *,
    region_code: str | None,
    lon: float | None,
    lat: float | None,
    levels: tuple[str, ...] = ("township", "village"),
) -> geo_service.RegionInfo:
    """The region of a record: given by code, or the innermost region of ``levels`` under its position."""
    return geo_service.region_of(db=db, region_code=region_code, lon=lon, lat=lat, levels=levels)


def region_names(db: Session) -> dict[str, str]:
    return {r.path: r.name for r in geo_service.region_infos(db=db)}


def default_path(db: Session, actor: Actor, region_code: str | None, levels: tuple[str, ...]) -> str:
    """The region of a record without a position: the one given, else the actor's area, else the district."""
    if region_code:
        return resolve_region(db, region_code=region_code, lon=None, lat=None, levels=levels).path
    if actor.scope_path:
        return actor.scope_path
    infos = geo_service.region_infos(db=db, level="district")
    if not infos:
        raise invalid("region_code", "尚未建立区划")
    return infos[0].path
