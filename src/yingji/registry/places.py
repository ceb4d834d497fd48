"""Enterprises as places for the place search (name or address), within the searcher's scope."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, scope_condition
from yingji.core.search import contains
from yingji.geo.service import Place, place_provider
from yingji.registry.models import Enterprise


@place_provider("enterprise", "企业")
def enterprises(db: Session, actor: Actor | None, q: str, limit: int) -> list[Place]:
    if actor is None or not actor.can("registry.read"):
        return []
    rows = db.scalars(
        select(Enterprise)
        .where(
            Enterprise.lon.is_not(None),
            or_(contains(Enterprise.name, q), contains(Enterprise.address, q)),
            scope_condition(actor, Enterprise.region_path, Enterprise.id),
        )
        .order_by(Enterprise.name)
        .limit(limit)
    ).all()
    return [
        Place("enterprise", "企业", e.name, e.address, e.lon, e.lat, e.region_path.rsplit("/", 1)[-1], str(e.id))
        for e in rows
    ]
