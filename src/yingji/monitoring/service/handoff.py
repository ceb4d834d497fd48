"""What an alarm hands to the capabilities that act on it (a warning draft, an incident later): the facts
of the alarm and of the other alarms of its event, in plain values and place names, so that they never
read monitoring's tables. Turning facts into public words is the receiving capability's job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.geo import service as geo_service
from yingji.monitoring.enums import KINDS, RuleKind, SensorKind
from yingji.monitoring.models import Alarm, Rule, Sensor
from yingji.monitoring.service.alarms import get_alarm
from yingji.monitoring.service.events import event_members


@dataclass(frozen=True)
class AlarmFacts:
    """One alarm in values: no codes of sensors, rules or alarms are meant for public text."""

    id: int
    event_id: int
    level: str  # the highest level the alarm reached
    state: str
    sensor_kind: str | None  # e.g. "rain_gauge"; None for a rule over an area of any sensor kind
    sensor_label: str  # e.g. "雨量计"
    rule_kind: str  # threshold, rate, accumulation, no_data, combination
    window_h: float | None  # the accumulation window of the rule, in hours
    peak_value: float | None
    unit: str
    station: str  # the station's public name (a village, a township weather station, an enterprise)
    enterprise_id: int | None
    township_code: str | None
    township_name: str
    village_code: str | None
    village_name: str
    first_ts: datetime
    last_ts: datetime
    sensors: int  # the stations counted by an area rule (combination), else 1


def _names(db: Session, region_path: str) -> tuple[str | None, str, str | None, str]:
    codes = region_path.split("/")
    township = codes[1] if len(codes) > 1 else None
    village = codes[2] if len(codes) > 2 else None

    def name(code: str | None) -> str:
        if code is None:
            return ""
        try:
            return geo_service.region_info(db=db, code=code).name
        except Exception:  # a region removed since: the place is simply not named
            return ""

    return township, name(township), village, name(village)


def _facts(db: Session, alarm: Alarm) -> AlarmFacts:
    sensor = db.get(Sensor, alarm.sensor_id) if alarm.sensor_id is not None else None
    rule = db.get(Rule, alarm.rule_id)
    kind = sensor.kind if sensor is not None else (rule.sensor_kind if rule is not None else None)
    info = KINDS.get(SensorKind(kind)) if kind in SensorKind.__members__ else None
    rule_kind = rule.kind if rule is not None else RuleKind.threshold
    window = rule.params.get("window_s") if rule is not None and rule_kind == RuleKind.accumulation else None
    township, township_name, village, village_name = _names(db, alarm.region_path)
    is_area = rule_kind == RuleKind.combination
    return AlarmFacts(
        id=alarm.id,
        event_id=alarm.event_id or alarm.id,
        level=alarm.peak_level or alarm.level,
        state=alarm.state,
        sensor_kind=kind,
        sensor_label=info.label if info else "",
        rule_kind=rule_kind,
        window_h=window / 3600 if window else None,
        peak_value=None if is_area else alarm.peak_value,
        unit=sensor.unit if sensor is not None else (info.unit if info else ""),
        station=sensor.station if sensor is not None else "",  # the name may carry a code: never used
        enterprise_id=alarm.enterprise_id,
        township_code=township,
        township_name=township_name,
        village_code=village,
        village_name=village_name,
        first_ts=alarm.first_ts,
        last_ts=alarm.last_ts,
        sensors=int(alarm.peak_value or 0) if is_area else 1,
    )


def alarm_facts(*, db: Session, actor: Actor, alarm_ids: list[int], whole_event: bool = True) -> list[AlarmFacts]:
    """The facts of ``alarm_ids`` (each checked against the actor's scope: 404 when unseen) and, with
    ``whole_event``, of every other alarm of their events that the actor may see. Most severe first."""
    seen: dict[int, Alarm] = {}
    for alarm_id in alarm_ids:
        alarm = get_alarm(db=db, actor=actor, alarm_id=alarm_id)
        seen[alarm.id] = alarm
        if whole_event:
            for member in event_members(db=db, actor=actor, event_id=alarm.event_id or alarm.id):
                seen.setdefault(member.id, member)
    return [_facts(db, a) for a in seen.values()]
