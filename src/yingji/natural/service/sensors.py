"""Monitoring sensors linked to a point (rain gauges, GNSS, crack meters): their latest readings and open
alarms, read through the monitoring service."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM, Actor
from yingji.core.errors import DomainError, NotFound, invalid
from yingji.core.pagination import PageParams
from yingji.monitoring import service as monitoring_service
from yingji.natural.service.common import get_point, writable_point


def link_sensors(*, db: Session, actor: Actor, point_id: int, sensor_ids: list[int]) -> list[int]:
    point = writable_point(db, actor, point_id)
    for i, sid in enumerate(sensor_ids):
        try:
            monitoring_service.get_sensor(db=db, actor=SYSTEM, sensor_id=sid)
        except NotFound:
            raise invalid(f"sensor_ids[{i}]", f"传感器 {sid} 不存在") from None
    point.sensor_ids = list(dict.fromkeys(sensor_ids))
    db.flush()
    return point.sensor_ids


def point_sensors(*, db: Session, actor: Actor, point_id: int) -> list[dict[str, Any]]:
    """Each linked sensor with its latest reading and its open alarms (what the actor may see of them)."""
    point = get_point(db, actor, point_id)
    out = []
    for sid in point.sensor_ids or []:
        try:
            s = monitoring_service.get_sensor(db=db, actor=SYSTEM, sensor_id=sid)
        except NotFound:
            continue  # removed in monitoring since: the link is stale, not an error
        state = monitoring_service.sensor_state(db=db, sensor_id=sid)
        try:
            alarms, _ = monitoring_service.list_alarms(db=db, actor=SYSTEM, page=PageParams(page_size=10),
                                                       sensor_code=s.code, active_only=True)
        except DomainError:
            alarms = []
        out.append({"id": s.id, "code": s.code, "name": s.name, "kind": s.kind, "unit": s.unit,
                    "last_ts": state.last_ts if state else None, "last_value": state.last_value if state else None,
                    "alarm_level": state.alarm_level if state else None,
                    "alarms": [{"id": a.id, "level": a.level, "state": a.state, "message": a.message}
                               for a in alarms]})
    return out
