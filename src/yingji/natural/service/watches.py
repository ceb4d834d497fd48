"""Cameras, lookouts and patrol routes that watch the forest (for the forest-fire monitoring coverage)."""

from __future__ import annotations

from shapely.geometry import shape
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, region_in_scope, require
from yingji.core.errors import PermissionDenied, invalid
from yingji.geo import service as geo_service
from yingji.natural.models import FireWatch
from yingji.natural.schemas import FireWatchCreate

SHAPES = {"camera": "Point", "lookout": "Point", "patrol_route": "LineString"}


def create_fire_watch(*, db: Session, actor: Actor, data: FireWatchCreate, is_demo: bool = False) -> FireWatch:
    require(actor, "natural.write")
    if data.geometry.get("type") != SHAPES[data.kind]:
        raise invalid("geometry", f"{'巡护路线须为 LineString' if data.kind == 'patrol_route' else '须为 Point'}")
    try:
        geom = shape(data.geometry)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        raise invalid("geometry", "几何无效") from None
    if geom.is_empty or not geom.is_valid:
        raise invalid("geometry", "几何无效")
    p = geom.representative_point()
    region = geo_service.region_of(db=db, lon=p.x, lat=p.y, outside_field="geometry",
                                   outside_message="位置不在本区范围内")
    if not region_in_scope(actor, region.path):
        raise PermissionDenied("只能登记本辖区的监测设施")
    row = FireWatch(name=data.name, kind=data.kind, geometry=data.geometry, range_m=data.range_m,
                    region_path=region.path, is_demo=is_demo)
    db.add(row)
    db.flush()
    return row
