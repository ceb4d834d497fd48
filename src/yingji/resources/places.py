"""Shelters as places for the place search (name or address). Public: the public pages point people to
them."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.search import contains
from yingji.geo.service import Place, place_provider
from yingji.resources.models import Shelter


@place_provider("shelter", "避难场所", public=True)
def shelters(db: Session, actor: Actor | None, q: str, limit: int) -> list[Place]:
    rows = db.scalars(
        select(Shelter)
        .where(or_(contains(Shelter.name, q), contains(Shelter.address, q)))
        .order_by(Shelter.name)
        .limit(limit)
    ).all()
    return [
        Place("shelter", "避难场所", s.name, s.address, s.lon, s.lat, s.region_path.rsplit("/", 1)[-1], str(s.id))
        for s in rows
    ]
