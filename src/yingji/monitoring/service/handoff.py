"""What an alarm hands to the capabilities that act on it (a warning draft today, an incident later):
a plain summary, so that they never read monitoring's tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.monitoring.enums import LEVEL_LABELS, SensorKind
from yingji.monitoring.service.alarms import get_alarm
from yingji.monitoring.service.sensors import get_sensor

# Which warning type (codes of warnings/data/event_types.csv) a sensor kind's alarm suggests.
EVENT_TYPE_BY_KIND: dict[str, str] = {
    SensorKind.rain_gauge: "rainstorm",
    SensorKind.water_level: "flood",
    SensorKind.soil_moisture: "geological",
    SensorKind.displacement: "geological",
    SensorKind.crack: "geological",
    SensorKind.tank_level: "chemical_leak",
    SensorKind.tank_temperature: "chemical_leak",
    SensorKind.tank_pressure: "chemical_leak",
    SensorKind.gas: "chemical_leak",
    SensorKind.toxic_gas: "chemical_leak",
    SensorKind.waterlogging: "waterlogging",
    SensorKind.fire_hotspot: "forest_fire",
}


@dataclass(frozen=True)
class AlarmSummary:
    id: int
    level: str
    region_code: str
    event_type: str
    headline: str
    description: str
    first_ts: datetime


def alarm_summary(*, db: Session, actor: Actor, alarm_id: int) -> AlarmSummary:
    """The alarm in words, for a person drafting a warning or opening an incident from it."""
    alarm = get_alarm(db=db, actor=actor, alarm_id=alarm_id)
    sensor = get_sensor(db=db, actor=actor, sensor_id=alarm.sensor_id) if alarm.sensor_id is not None else None
    place = (sensor.station or sensor.name) if sensor else "区域"
    value = f"{alarm.peak_value:g}{sensor.unit if sensor else ''}" if alarm.peak_value is not None else ""
    level = alarm.peak_level or alarm.level
    return AlarmSummary(
        id=alarm.id,
        level=level,
        region_code=alarm.region_path.rsplit("/", 1)[-1],
        event_type=EVENT_TYPE_BY_KIND.get(sensor.kind, "other") if sensor else "other",
        headline=f"{place}{alarm.rule_name}{LEVEL_LABELS.get(level, '')}告警",
        description=(
            f"监测告警 #{alarm.id}：{place}（{sensor.code if sensor else ''}）{alarm.rule_name}，"
            f"峰值 {value}。{alarm.message}"
        ).strip(),
        first_ts=alarm.first_ts,
    )
