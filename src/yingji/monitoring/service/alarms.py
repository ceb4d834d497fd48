"""Alarms: opened, updated and resolved by the rule engine; acknowledged, annotated and closed by people;
an unacknowledged red alarm escalates to the bureau leaders through the outbox.

One alarm is active per (rule group, sensor) — or per (group, area) for combination rules — so repeats
update it. When the condition stops, the alarm waits ``hold_s`` (longer for each flap: a condition that
comes back during the hold continues the same alarm) and then resolves itself."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from yingji.core import outbox
from yingji.core.actor import (
    Actor,
    load_in_scope,
    require,
)
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, invalid
from yingji.core.events import publish
from yingji.core.pagination import PageParams, paginate
from yingji.monitoring.enums import (
    ACTIVE_STATES,
    LEVEL_LABELS,
    LEVEL_RANK,
    AlarmLevel,
    AlarmState,
    RuleKind,
    higher,
)
from yingji.monitoring.events import AlarmRaised, AlarmResolved
from yingji.monitoring.models import Alarm, AlarmEvent, Rule, Sensor, SensorState
from yingji.monitoring.service import alarm_notices, events
from yingji.monitoring.service.sql import among

ESCALATION_TOPIC = "monitoring.alarm_escalation"
MAX_FLAP_FACTOR = 4


def _event(db: Session, alarm: Alarm, kind: str, note: str = "", user_id: int | None = None) -> None:
    db.add(AlarmEvent(alarm_id=alarm.id, kind=kind, note=note, user_id=user_id, at=utcnow()))


def active_by_key(*, db: Session, sensor_ids: list[int]) -> dict[tuple[str, int | None], Alarm]:
    if not sensor_ids:
        return {}
    rows = db.scalars(select(Alarm).where(among(db, Alarm.sensor_id, sensor_ids), Alarm.state.in_(ACTIVE_STATES)))
    return {(a.group, a.sensor_id): a for a in rows}


def effective_hold(alarm: Alarm) -> timedelta:
    """The hold before an alarm whose condition stopped resolves itself; each flap lengthens it."""
    return timedelta(seconds=alarm.hold_s * min(1 + alarm.flaps, MAX_FLAP_FACTOR))


def _message(rule: Rule, value: float, unit: str) -> str:
    return f"{rule.name}：{value:g}{unit}"


def _marked(message: str, drill: bool) -> str:
    """A drill alarm's message starts 【演练】 (once, whatever the rule's name says)."""
    return message if not drill or message.startswith("【演练】") else ("【演练】" + message)[:500]


def _raised(db: Session, alarm: Alarm, sensor: Any | None, previous: str | None, now: datetime) -> None:
    publish(db, AlarmRaised(alarm_id=alarm.id, level=alarm.level, previous_level=previous,
                            sensor_kind=sensor.kind if sensor is not None else None,
                            region_path=alarm.region_path, rule_name=alarm.rule_name, at=now,
                            drill=alarm.drill))


def _escalate_later(db: Session, alarm: Alarm, rule: Rule, now: datetime) -> None:
    if alarm.level == AlarmLevel.red and alarm.acknowledged_at is None:
        outbox.enqueue(
            db,
            topic=ESCALATION_TOPIC,
            payload={"alarm_id": alarm.id},
            key=str(alarm.id),
            available_at=now + timedelta(seconds=rule.escalate_after_s),
        )


def apply(
    *,
    db: Session,
    alarm: Alarm | None,
    hit: Any,
    firing: bool,
    sensor: Any | None,
    newest_ts: datetime,
    now: datetime,
    region_path: str | None = None,
    unit: str | None = None,
) -> Alarm | None:
    """One verdict of a rule group on a sensor (or area): ``hit`` the strongest firing in the batch (or None),
    ``firing`` whether the condition holds at the newest reading."""
    unit = unit if unit is not None else (sensor.unit if sensor is not None else "")
    if hit is not None:
        rule = hit.rule
        if alarm is None:
            alarm = Alarm(
                group=rule.group,
                rule_id=rule.id,
                rule_version=rule.version,
                rule_name=rule.name,
                sensor_id=sensor.id if sensor is not None else None,
                region_path=sensor.region_path if sensor is not None else region_path,
                enterprise_id=sensor.enterprise_id if sensor is not None else None,
                level=rule.level,
                peak_level=rule.level,
                state=AlarmState.open,
                value=hit.value,
                peak_value=hit.value,
                message=_marked(_message(rule, hit.value, unit), bool(getattr(sensor, "drill", False))),
                first_ts=hit.ts,
                last_ts=hit.ts,
                hold_s=rule.hold_s,
                flaps=0,
                hits=1,
                opened_at=now,
                updated_at=now,
                drill=bool(getattr(sensor, "drill", False)),
            )
            db.add(alarm)
            db.flush()
            events.assign(db, alarm, sensor.kind if sensor is not None else (rule.sensor_kind or rule.group))
            _event(db, alarm, "opened", alarm.message)
            _raised(db, alarm, sensor, None, now)
            _escalate_later(db, alarm, rule, now)
        else:
            old = alarm.level
            alarm.hits += 1
            alarm.value, alarm.last_ts = hit.value, max(alarm.last_ts, hit.ts)
            alarm.rule_id, alarm.rule_version, alarm.rule_name = rule.id, rule.version, rule.name
            alarm.message = _marked(_message(rule, hit.value, unit), alarm.drill)
            if alarm.peak_value is None or abs(hit.value) > abs(alarm.peak_value):
                alarm.peak_value = hit.value
            if rule.level != old:
                alarm.level = rule.level
                alarm.peak_level = higher(alarm.peak_level, rule.level) or rule.level
                raised = LEVEL_RANK[AlarmLevel(rule.level)] > LEVEL_RANK[AlarmLevel(old)]
                _event(
                    db, alarm, "raised" if raised else "lowered", f"{LEVEL_LABELS[old]} → {LEVEL_LABELS[rule.level]}"
                )
                if raised:
                    _raised(db, alarm, sensor, old, now)
                    _escalate_later(db, alarm, rule, now)
            if alarm.cleared_at is not None and firing:
                alarm.cleared_at = None
                alarm.flaps += 1
                _event(db, alarm, "refired", alarm.message)
            alarm.updated_at = now
    if alarm is None:
        return None
    if not firing:
        if alarm.cleared_at is None:
            alarm.cleared_at = newest_ts
            alarm.updated_at = now
            _event(db, alarm, "cleared")
        elif newest_ts - alarm.cleared_at >= effective_hold(alarm):
            resolve(db=db, alarm=alarm, now=now)
    return alarm


def resolve(*, db: Session, alarm: Alarm, now: datetime) -> None:
    alarm.state, alarm.ended_at, alarm.updated_at = AlarmState.resolved, now, now
    _event(db, alarm, "resolved")
    alarm_notices.settled(db, [alarm])
    publish(db, AlarmResolved(alarm_id=alarm.id, region_path=alarm.region_path, state=alarm.state,
                              closed_by=None, at=now))


def sensor_levels(*, db: Session, sensor_ids: list[int]) -> dict[int, str | None]:
    """The highest active alarm level of each sensor (None: no active alarm)."""
    db.flush()
    levels: dict[int, str | None] = dict.fromkeys(sensor_ids)
    rows = db.execute(
        select(Alarm.sensor_id, Alarm.level).where(
            among(db, Alarm.sensor_id, sensor_ids), Alarm.state.in_(ACTIVE_STATES)
        )
    )
    for sid, level in rows:
        levels[sid] = higher(levels[sid], level)
    return levels


def set_sensor_levels(*, db: Session, sensor_ids: list[int]) -> None:
    for sid, level in sensor_levels(db=db, sensor_ids=sensor_ids).items():
        state = db.get(SensorState, sid)
        if state is not None:
            state.alarm_level = level


# --- combinations and silence ---------------------------------------------------------------------


class _AreaHit:
    def __init__(self, rule: Rule, value: float, ts: datetime) -> None:
        self.rule, self.value, self.ts = rule, value, ts


def evaluate_combinations(*, db: Session, sensors: list[Any], now: datetime) -> int:
    """Combination rules whose area holds one of ``sensors`` (None: every combination rule)."""
    rules = db.scalars(select(Rule).where(Rule.enabled.is_(True), Rule.kind == RuleKind.combination)).all()
    changed = 0
    for rule in rules:
        path = rule.region_path or ""
        if sensors is not None and not any(
            (not rule.sensor_kind or s.kind == rule.sensor_kind)
            and (s.region_path == path or s.region_path.startswith(path + "/"))
            for s in sensors
        ):
            continue
        min_rank = LEVEL_RANK[AlarmLevel(rule.params.get("min_level", "blue"))]
        levels = [lvl for lvl, rank in LEVEL_RANK.items() if rank >= min_rank]
        q = (
            select(func.count(func.distinct(Alarm.sensor_id)))
            .join(Sensor, Sensor.id == Alarm.sensor_id)
            .where(Alarm.state.in_(ACTIVE_STATES), Alarm.level.in_(levels), Alarm.cleared_at.is_(None))
            .where(Alarm.drill.is_(False))  # a drill sensor never makes a real area alarm
            .where((Sensor.region_path == path) | Sensor.region_path.startswith(path + "/", autoescape=True))
        )
        if rule.sensor_kind:
            q = q.where(Sensor.kind == rule.sensor_kind)
        count = db.scalar(q) or 0
        firing = count >= int(rule.params["min_sensors"])
        alarm = db.scalar(
            select(Alarm).where(Alarm.group == rule.group, Alarm.sensor_id.is_(None), Alarm.state.in_(ACTIVE_STATES))
        )
        if not firing and alarm is None:
            continue
        hit = _AreaHit(rule, float(count), now) if firing else None
        apply(
            db=db,
            alarm=alarm,
            hit=hit,
            firing=firing,
            sensor=None,
            newest_ts=now,
            now=now,
            region_path=path,
            unit=" 个站点",
        )
        changed += 1
    return changed


def evaluate_silence(*, db: Session, now: datetime) -> int:
    """No-data rules: a sensor silent for ``intervals`` reporting intervals (or never heard of since it was
    registered) fires; a reading since then clears it."""
    rules = db.scalars(select(Rule).where(Rule.enabled.is_(True), Rule.kind == RuleKind.no_data)).all()
    touched: set[int] = set()
    for rule in rules:
        q = select(Sensor, SensorState).join(SensorState, SensorState.sensor_id == Sensor.id).where(Sensor.active)
        if rule.sensor_id is not None:
            q = q.where(Sensor.id == rule.sensor_id)
        elif rule.sensor_kind:
            q = q.where(Sensor.kind == rule.sensor_kind)
        if rule.region_path:
            p = rule.region_path
            q = q.where((Sensor.region_path == p) | Sensor.region_path.startswith(p + "/", autoescape=True))
        rows = db.execute(q).all()
        active = active_by_key(db=db, sensor_ids=[s.id for s, _ in rows])
        intervals = int(rule.params["intervals"])
        for sensor, state in rows:
            heard = state.last_ts or sensor.created_at
            silent_s = (now - heard).total_seconds()
            firing = silent_s >= intervals * sensor.interval_s
            alarm = active.get((rule.group, sensor.id))
            if not firing and alarm is None:
                continue
            hit = _AreaHit(rule, round(silent_s / 60, 1), now) if firing else None
            apply(db=db, alarm=alarm, hit=hit, firing=firing, sensor=sensor, newest_ts=now, now=now, unit=" 分钟无数据")
            touched.add(sensor.id)
    if touched:
        set_sensor_levels(db=db, sensor_ids=list(touched))
    return len(touched)


def resolve_held(*, db: Session, now: datetime) -> int:
    """Alarms whose condition stopped and whose sensor fell silent since: resolved once the hold has passed."""
    n = 0
    rows = db.scalars(select(Alarm).where(Alarm.state.in_(ACTIVE_STATES), Alarm.cleared_at.is_not(None)))
    touched = []
    for alarm in rows:
        if now - alarm.cleared_at >= effective_hold(alarm):
            resolve(db=db, alarm=alarm, now=now)
            n += 1
            if alarm.sensor_id is not None:
                touched.append(alarm.sensor_id)
    if touched:
        set_sensor_levels(db=db, sensor_ids=touched)
    return n


# --- people ---------------------------------------------------------------------------------------


def list_alarms(
    *,
    db: Session,
    actor: Actor,
    page: PageParams,
    sensor_code: str | None = None,
    state: str | None = None,
    level: str | None = None,
    active_only: bool = False,
    township: str | None = None,
) -> tuple[list[Alarm], int]:
    """Alarms one by one (``events.list_events`` groups them); ``township`` is a region path."""
    require(actor, "monitoring.read")
    conds = events.filters(actor, state=state, active_only=active_only, level=level, township=township)
    q = select(Alarm).where(*conds)
    if sensor_code:
        sid = db.scalar(select(Sensor.id).where(Sensor.code == sensor_code))
        q = q.where(Alarm.sensor_id == sid) if sid is not None else q.where(false())
    # Most severe first, then newest: a red alarm never hides behind a page of older orange ones.
    return paginate(db, q.order_by(events.LEVEL_ORDER.desc(), Alarm.opened_at.desc(), Alarm.id.desc()), page)


def get_alarm(*, db: Session, actor: Actor, alarm_id: int) -> Alarm:
    return load_in_scope(db, actor, Alarm, alarm_id, what="告警", permission="monitoring.read")


def alarm_events(*, db: Session, actor: Actor, alarm_id: int) -> list[AlarmEvent]:
    alarm = get_alarm(db=db, actor=actor, alarm_id=alarm_id)
    return list(db.scalars(select(AlarmEvent).where(AlarmEvent.alarm_id == alarm.id).order_by(AlarmEvent.id)))


def _handle(db: Session, actor: Actor, alarm_id: int) -> Alarm:
    alarm = get_alarm(db=db, actor=actor, alarm_id=alarm_id)
    require(actor, "monitoring.alarm.handle")
    return alarm


def acknowledge(*, db: Session, actor: Actor, alarm_id: int, note: str = "") -> Alarm:
    alarm = _handle(db, actor, alarm_id)
    if alarm.state != AlarmState.open:
        raise Conflict("只能确认未确认的告警")
    now = utcnow()
    alarm.state, alarm.acknowledged_at, alarm.acknowledged_by, alarm.updated_at = (
        AlarmState.acknowledged,
        now,
        actor.id,
        now,
    )
    _event(db, alarm, "acknowledged", note.strip(), actor.id)
    alarm_notices.settled(db, [alarm])
    db.flush()
    return alarm


def annotate(*, db: Session, actor: Actor, alarm_id: int, note: str) -> Alarm:
    alarm = _handle(db, actor, alarm_id)
    if not note.strip():
        raise invalid("note", "批注内容不能为空")
    _event(db, alarm, "annotated", note.strip(), actor.id)
    alarm.updated_at = utcnow()
    db.flush()
    return alarm


def close(*, db: Session, actor: Actor, alarm_id: int, note: str = "") -> Alarm:
    alarm = _handle(db, actor, alarm_id)
    if alarm.state not in ACTIVE_STATES:
        raise Conflict("告警已结束")
    now = utcnow()
    if alarm.acknowledged_at is None:
        alarm.acknowledged_at, alarm.acknowledged_by = now, actor.id
    alarm.state, alarm.ended_at, alarm.closed_by, alarm.updated_at = AlarmState.closed, now, actor.id, now
    _event(db, alarm, "closed", note.strip(), actor.id)
    alarm_notices.settled(db, [alarm])
    publish(db, AlarmResolved(alarm_id=alarm.id, region_path=alarm.region_path, state=alarm.state,
                              closed_by=actor.id, at=now))
    if alarm.sensor_id is not None:
        set_sensor_levels(db=db, sensor_ids=[alarm.sensor_id])
    db.flush()
    return alarm

