"""The rule engine. It sees each batch of new readings once, with the little state the ingester keeps per
sensor (previous reading, running total, running total at recent hour marks): no history is rescanned.

- threshold: every new reading against ``value`` (``op`` ``>=`` or ``<=``);
- rate: change between consecutive readings, per hour (``per_hour``, ``direction`` rise/fall/any);
- accumulation: sum of the readings in the window ``(t - window_s, t]`` at the sensor's newest reading, as
  running total now minus running total at the window's edge; the hour marks bound the sum from above, so
  the one indexed look-up of the edge is made only when the bound reaches the threshold;
- combination: after the batch, ``min_sensors`` sensors of a kind in an area with an active alarm of at
  least ``min_level``;
- no_data is evaluated by the scheduled job (``scheduled.py``), since silence brings no reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from yingji.core.db import UTCDateTime
from yingji.monitoring.enums import LEVEL_RANK, AlarmLevel, RuleKind
from yingji.monitoring.models import Reading, Rule
from yingji.monitoring.service import alarms as alarm_service

READING_KINDS = (RuleKind.threshold, RuleKind.rate, RuleKind.accumulation)


@dataclass(frozen=True)
class Point:
    ts: datetime
    value: float
    cum: float


@dataclass
class SensorBatch:
    sensor: Any  # id, code, kind, region_path, enterprise_id, unit
    prev_ts: datetime | None
    prev_value: float | None
    points: list[Point] = field(default_factory=list)
    hours: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    rule: Rule
    value: float
    ts: datetime

    @property
    def rank(self) -> tuple[int, float]:
        return LEVEL_RANK[AlarmLevel(self.rule.level)], abs(self.value)


def applies(rule: Rule, sensor: Any) -> bool:
    if rule.sensor_id is not None:
        return rule.sensor_id == sensor.id
    if rule.sensor_kind and rule.sensor_kind != sensor.kind:
        return False
    return (
        rule.region_path is None
        or sensor.region_path == rule.region_path
        or sensor.region_path.startswith(rule.region_path + "/")
    )


def _threshold(rule: Rule, b: SensorBatch) -> tuple[Hit | None, bool]:
    limit, below = float(rule.params["value"]), rule.params.get("op", ">=") == "<="
    best, latest = None, False
    for p in b.points:
        fires = p.value <= limit if below else p.value >= limit
        if fires and (best is None or (p.value < best.value if below else p.value > best.value)):
            best = Hit(rule, p.value, p.ts)
        latest = fires
    return best, latest


def _rate(rule: Rule, b: SensorBatch) -> tuple[Hit | None, bool]:
    limit, direction = float(rule.params["per_hour"]), rule.params.get("direction", "rise")
    prev_ts, prev_value = b.prev_ts, b.prev_value
    best, latest = None, False
    for p in b.points:
        fires = False
        if prev_ts is not None and prev_value is not None and p.ts > prev_ts:
            rate = (p.value - prev_value) / ((p.ts - prev_ts).total_seconds() / 3600)
            measured = {"rise": rate, "fall": -rate}.get(direction, abs(rate))
            fires = measured >= limit
            if fires and (best is None or abs(rate) > abs(best.value)):
                best = Hit(rule, round(rate, 6), p.ts)
        latest = fires
        prev_ts, prev_value = p.ts, p.value
    return best, latest


_READINGS = Reading.__table__
_CUM_AT = (
    select(_READINGS.c.cum)
    .where(_READINGS.c.sensor_id == bindparam("sid"), _READINGS.c.ts <= bindparam("edge", type_=UTCDateTime()))
    .order_by(_READINGS.c.ts.desc())
    .limit(1)
)


class _Edges:
    """Running totals at window edges: one indexed look-up per (sensor, edge), on the session's connection
    (no autoflush: the batch's readings are already written)."""

    def __init__(self, db: Session) -> None:
        self.conn, self.cache = db.connection(), {}

    def cum_at(self, sensor_id: int, edge: datetime) -> float:
        key = (sensor_id, edge)
        if key not in self.cache:
            self.cache[key] = self.conn.execute(_CUM_AT, {"sid": sensor_id, "edge": edge}).scalar() or 0.0
        return self.cache[key]


def upper_bound(hours: dict[str, float], cum_now: float, edge: datetime) -> float:
    """An upper bound of the window sum from the hour marks alone (values are non-negative)."""
    edge_hour = edge.timestamp() // 3600
    marks = [int(k) for k in hours if int(k) <= edge_hour]
    return cum_now - (hours[str(max(marks))] if marks else 0.0)


def _accumulation(rule: Rule, b: SensorBatch, edges: _Edges) -> tuple[Hit | None, bool]:
    limit, window = float(rule.params["value"]), timedelta(seconds=int(rule.params["window_s"]))
    p = b.points[-1]
    edge = p.ts - window
    if upper_bound(b.hours, p.cum, edge) < limit:
        return None, False
    total = round(p.cum - edges.cum_at(b.sensor.id, edge), 6)
    return (Hit(rule, total, p.ts), True) if total >= limit else (None, False)


def _check(rule: Rule, b: SensorBatch, edges: _Edges) -> tuple[Hit | None, bool]:
    if rule.kind == RuleKind.threshold:
        return _threshold(rule, b)
    if rule.kind == RuleKind.rate:
        return _rate(rule, b)
    return _accumulation(rule, b, edges)


def evaluate(*, db: Session, batches: list[SensorBatch], now: datetime) -> dict[int, str | None]:
    """Applies the rules to the batch; returns the new alarm level of each sensor whose alarms changed."""
    rules = list(db.scalars(select(Rule).where(Rule.enabled.is_(True), Rule.kind.in_(READING_KINDS))))
    if not rules:
        return {}
    edges = _Edges(db)
    active = alarm_service.active_by_key(db=db, sensor_ids=[b.sensor.id for b in batches])
    changed: dict[int, Any] = {}
    with db.no_autoflush:
        _apply_rules(db, rules, batches, edges, active, changed, now)
    if not changed:
        return {}
    levels = alarm_service.sensor_levels(db=db, sensor_ids=list(changed))
    alarm_service.evaluate_combinations(db=db, sensors=list(changed.values()), now=now)
    return levels


def _apply_rules(
    db: Session,
    rules: list[Rule],
    batches: list[SensorBatch],
    edges: _Edges,
    active: dict,
    changed: dict[int, Any],
    now: datetime,
) -> None:
    by_sensor: dict[int, list[Rule]] = {}
    by_kind: dict[str | None, list[Rule]] = {}
    for rule in rules:
        if rule.sensor_id is not None:
            by_sensor.setdefault(rule.sensor_id, []).append(rule)
        else:
            by_kind.setdefault(rule.sensor_kind, []).append(rule)
    for b in batches:
        candidates = by_sensor.get(b.sensor.id, []) + by_kind.get(b.sensor.kind, []) + by_kind.get(None, [])
        applicable = [r for r in candidates if applies(r, b.sensor)]
        verdicts: dict[str, tuple[Hit | None, bool]] = {}
        for rule in applicable:
            hit, latest = _check(rule, b, edges)
            best, firing = verdicts.get(rule.group, (None, False))
            if hit is not None and (best is None or hit.rank > best.rank):
                best = hit
            verdicts[rule.group] = (best, firing or latest)
        for group, (best, firing) in verdicts.items():
            alarm = active.get((group, b.sensor.id))
            if best is None and alarm is None:
                continue
            alarm_service.apply(
                db=db, alarm=alarm, hit=best, firing=firing, sensor=b.sensor, newest_ts=b.points[-1].ts, now=now
            )
            changed[b.sensor.id] = b.sensor
