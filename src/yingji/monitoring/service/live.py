"""What the 一张图 map and the dashboard show: sensors coloured by state, active alarms, a change token."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require, scope_condition
from yingji.monitoring.enums import ACTIVE_STATES, KIND_LABELS, SensorKind, SensorStatus
from yingji.monitoring.models import Alarm, Sensor, SensorState

SILENT_INTERVALS = 3


def status(sensor: Sensor, state: SensorState | None, now: datetime) -> str:
    if not sensor.active:
        return SensorStatus.inactive
    if state is not None and state.alarm_level:
        return SensorStatus.alarm
    heard = state.last_ts if state is not None and state.last_ts else sensor.created_at
    if now - heard > timedelta(seconds=SILENT_INTERVALS * sensor.interval_s):
        return SensorStatus.silent
    return SensorStatus.normal


def sensors_geojson(*, db: Session, actor: Actor, now: datetime, kind: str | None = None) -> dict[str, Any]:
    require(actor, "monitoring.read")
    q = (
        select(Sensor, SensorState)
        .outerjoin(SensorState, SensorState.sensor_id == Sensor.id)
        .where(scope_condition(actor, Sensor.region_path, Sensor.enterprise_id))
        .order_by(Sensor.id)
    )
    if kind:
        q = q.where(Sensor.kind == kind)
    features = []
    for sensor, state in db.execute(q):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [sensor.lon, sensor.lat]},
                "properties": {
                    "id": sensor.id,
                    "code": sensor.code,
                    "name": sensor.name,
                    "kind": sensor.kind,
                    "kind_label": KIND_LABELS.get(SensorKind(sensor.kind), sensor.kind),
                    "unit": sensor.unit,
                    "status": status(sensor, state, now),
                    "alarm_level": state.alarm_level if state else None,
                    "last_value": state.last_value if state else None,
                    "last_ts": state.last_ts.isoformat() if state and state.last_ts else None,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def alarm_counts(*, db: Session, actor: Actor) -> dict[str, int]:
    """Active alarms by level, in the actor's area (drill alarms are not counted)."""
    require(actor, "monitoring.read")
    rows = db.execute(
        select(Alarm.level, func.count())
        .where(Alarm.state.in_(ACTIVE_STATES), scope_condition(actor, Alarm.region_path, Alarm.enterprise_id))
        .where(Alarm.drill.is_(False))
        .group_by(Alarm.level)
    )
    return dict(rows.all())


def change_token(*, db: Session) -> str:
    """Changes whenever an alarm or a sensor's latest reading changes: the live stream polls it."""
    a = db.execute(select(func.max(Alarm.updated_at), func.count(Alarm.id))).one()
    s = db.execute(select(func.max(SensorState.last_ts), func.sum(SensorState.readings))).one()
    return f"{a[0]}|{a[1]}|{s[0]}|{s[1]}"
