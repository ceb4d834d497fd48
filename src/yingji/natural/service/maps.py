"""The natural layer group of the 一张图: hazard points and areas as GeoJSON, with what the popup shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.natural import kinds
from yingji.natural.models import Monitor
from yingji.natural.service import points


def map_points(*, db: Session, actor: Actor, category: str | None = None) -> dict[str, Any]:
    rows = [p for p in points.all_points(db=db, actor=actor, category=category) if p.status != "removed"]
    counts = dict(db.execute(select(Monitor.point_id, func.count()).where(Monitor.point_id.in_([p.id for p in rows]))
                             .group_by(Monitor.point_id)).all()) if rows else {}
    labels = kinds.kind_labels()
    features = []
    for p in rows:
        geometry = p.outline or {"type": "Point", "coordinates": [p.lon, p.lat]}
        features.append({"type": "Feature", "geometry": geometry, "properties": {
            "id": p.id, "code": p.code, "name": p.name, "kind": p.kind, "kind_label": labels.get(p.kind, p.kind),
            "category": p.category, "danger_grade": p.danger_grade, "fire_danger_level": p.fire_danger_level,
            "households": p.households, "people": p.people, "status": p.status,
            "monitors": counts.get(p.id, 0)}})
    return {"type": "FeatureCollection", "features": features}
