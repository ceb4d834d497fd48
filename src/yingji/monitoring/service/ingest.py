"""Ingestion: a batch of readings from HTTP or MQTT is parsed, checked, deduplicated on (sensor, ts),
stored with each sensor's running total, and handed to the rule engine. Bad readings are rejected one by one
with their reason (and recorded), the rest of the batch is kept."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, false, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require, scope_condition
from yingji.core.clock import utcnow
from yingji.core.errors import invalid
from yingji.monitoring.models import Reading, Sensor, SensorState
from yingji.monitoring.service.engine import Point, SensorBatch, evaluate
from yingji.monitoring.service.readings import (
    FUTURE_TOLERANCE_S,
    parse_reading,
    record_rejections,
)
from yingji.monitoring.service.sql import among
from yingji.monitoring.service.storage import ensure_months

MAX_BATCH = 10_000
# Hour marks kept per sensor: the longest accumulation window (72 h) plus two.
HOURS_KEPT = 74
READINGS, STATES = Reading.__table__, SensorState.__table__


@dataclass
class IngestOutcome:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)



def _insert(db: Session):
    return (pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert)(READINGS)


def ingest(*, db: Session, actor: Actor, items: list[Any], source: str = "http") -> IngestOutcome:
    require(actor, "monitoring.ingest")
    if not isinstance(items, list):
        raise invalid("readings", "须为读数数组 [{sensor, ts, value}, …]")
    if len(items) > MAX_BATCH:
        raise invalid("readings", f"一次最多 {MAX_BATCH} 条读数，本次 {len(items)} 条")
    now = utcnow()
    out = IngestOutcome()
    future_limit = now + timedelta(seconds=FUTURE_TOLERANCE_S)
    parsed: list[tuple[int, str, datetime, float]] = []
    for i, item in enumerate(items):
        result = parse_reading(item, future_limit)
        if isinstance(result, str):
            out.rejected.append((i, result))
        else:
            parsed.append((i, *result))

    sensors, states = _lock_sensors(db, actor, {p[1] for p in parsed})
    fresh: dict[int, list[tuple[datetime, float]]] = defaultdict(list)
    seen: set[tuple[int, datetime]] = set()
    for i, code, ts, value in parsed:
        sensor = sensors.get(code)
        if sensor is None:
            out.rejected.append((i, f"未知传感器：{code[:64]}"))
        elif not sensor.active:
            out.rejected.append((i, f"传感器 {code} 已停用"))
        elif not sensor.min_value <= value <= sensor.max_value:
            out.rejected.append(
                (i, f"value {value:g} 超出有效范围 [{sensor.min_value:g}, {sensor.max_value:g}] {sensor.unit}")
            )
        elif (sensor.id, ts) in seen:
            out.duplicates += 1
        else:
            seen.add((sensor.id, ts))
            fresh[sensor.id].append((ts, value))
    if seen:
        existing = _existing(db, seen)
        out.duplicates += len(existing)
        for sid in list(fresh):
            fresh[sid] = sorted(p for p in fresh[sid] if (sid, p[0]) not in existing)
            if not fresh[sid]:
                del fresh[sid]

    batches, rows = [], []
    by_id = {s.id: s for s in sensors.values()}
    for sid, points in fresh.items():
        state = states[sid]
        batch = SensorBatch(sensor=by_id[sid], prev_ts=state.last_ts, prev_value=state.last_value)
        next_hour = None  # the next hour boundary (epoch s): hour marks are only looked at when crossing one
        for ts, value in points:
            if state.last_ts is not None and ts <= state.last_ts:
                _insert_late(db, sid, state, ts, value)
                out.accepted += 1
                continue
            epoch = ts.timestamp()
            if next_hour is None or epoch >= next_hour:
                _advance_hours(state, ts)
                next_hour = (epoch // 3600 + 1) * 3600
            state.cum += value
            state.last_ts, state.last_value = ts, value
            rows.append({"sensor_id": sid, "ts": ts, "value": value, "cum": state.cum})
            batch.points.append(Point(ts, value, state.cum))
        state.readings += len(points)
        if batch.points:
            batch.hours = state.hours
            batches.append(batch)
    if rows:
        ensure_months(db=db, months={r["ts"] for r in rows})
        _store(db, rows)
        out.accepted += len(rows)
    _save_states(db, [states[sid] for sid in fresh])
    if out.rejected:
        record_rejections(db, source, items, out.rejected, now)
    if batches:
        levels = evaluate(db=db, batches=batches, now=now)
        if levels:
            db.execute(
                update(STATES).where(STATES.c.sensor_id == bindparam("sid")).values(alarm_level=bindparam("lvl")),
                [{"sid": sid, "lvl": lvl} for sid, lvl in levels.items()],
            )
    return out


@dataclass
class _SensorRow:
    id: int
    code: str
    kind: str
    active: bool
    min_value: float
    max_value: float
    unit: str
    region_path: str
    enterprise_id: int | None
    drill: bool  # a drill sensor: its alarms are drill alarms
    interval_s: int


@dataclass
class _State:
    sensor_id: int
    last_ts: datetime | None
    last_value: float | None
    cum: float
    hours: dict[str, float]
    readings: int


def _lock_sensors(db: Session, actor: Actor, codes: set[str]) -> tuple[dict[str, _SensorRow], dict[int, _State]]:
    """The batch's sensors (those the actor may feed) and their engine state, locked for this transaction so
    that concurrent batches of one sensor run one after the other."""
    if not codes:
        return {}, {}
    if db.get_bind().dialect.name == "sqlite":  # take SQLite's write lock now, before reading state
        db.execute(update(SensorState).where(false()).values(readings=SensorState.readings))
    cols = [getattr(Sensor, f) for f in _SensorRow.__dataclass_fields__]
    rows = db.execute(
        select(*cols).where(
            among(db, Sensor.code, list(codes)), scope_condition(actor, Sensor.region_path, Sensor.enterprise_id)
        )
    ).all()
    sensors = {r.code: _SensorRow(*r) for r in rows}
    q = (
        select(
            SensorState.sensor_id,
            SensorState.last_ts,
            SensorState.last_value,
            SensorState.cum,
            SensorState.hours,
            SensorState.readings,
        )
        .where(among(db, SensorState.sensor_id, [s.id for s in sensors.values()]))
        .order_by(SensorState.sensor_id)
    )
    if db.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    states = {r.sensor_id: _State(*r[:4], dict(r.hours or {}), r.readings) for r in db.execute(q)}
    for s in sensors.values():
        if s.id not in states:  # sensors created before their state row existed
            db.add(SensorState(sensor_id=s.id, cum=0.0, hours={}, readings=0))
            db.flush()
            states[s.id] = _State(s.id, None, None, 0.0, {}, 0)
    return sensors, states


def _existing(db: Session, keys: set[tuple[int, datetime]]) -> set[tuple[int, datetime]]:
    sids = {k[0] for k in keys}
    lo, hi = min(k[1] for k in keys), max(k[1] for k in keys)
    rows = db.execute(
        select(Reading.sensor_id, Reading.ts).where(
            among(db, Reading.sensor_id, list(sids)), Reading.ts >= lo, Reading.ts <= hi
        )
    )
    return {(r.sensor_id, r.ts) for r in rows} & keys


def _advance_hours(state: _State, ts: datetime) -> None:
    """Records, at the first reading of each hour, the running total of everything before it."""
    hour = int(ts.timestamp() // 3600)
    key = str(hour)
    if key not in state.hours:
        state.hours[key] = state.cum
        if len(state.hours) > HOURS_KEPT:
            for old in [k for k in state.hours if int(k) < hour - HOURS_KEPT]:
                del state.hours[old]


def _insert_late(db: Session, sid: int, state: _State, ts: datetime, value: float) -> None:
    """A reading older than the sensor's latest: stored, and the running totals after it shifted."""
    ensure_months(db=db, months=[ts])
    before = db.scalar(
        select(Reading.cum).where(Reading.sensor_id == sid, Reading.ts < ts).order_by(Reading.ts.desc()).limit(1)
    )
    db.execute(update(Reading).where(Reading.sensor_id == sid, Reading.ts > ts).values(cum=Reading.cum + value))
    db.execute(insert(Reading).values(sensor_id=sid, ts=ts, value=value, cum=(before or 0.0) + value))
    state.cum += value
    edge = ts.timestamp()
    for key in state.hours:
        if int(key) * 3600 > edge:
            state.hours[key] += value


def _pg(db: Session) -> Any | None:
    """The psycopg connection under the session's transaction, on PostgreSQL."""
    if db.get_bind().dialect.name != "postgresql":
        return None
    return db.connection().connection.dbapi_connection


def _store(db: Session, rows: list[dict[str, Any]]) -> None:
    """Writes the batch's new readings. They were checked against the table under the sensors' locks, so on
    PostgreSQL they go in by COPY; elsewhere an insert that ignores (impossible) conflicts."""
    raw = _pg(db)
    if raw is None:
        if db.get_bind().dialect.name == "sqlite":
            _store_sqlite(db, rows)
        else:
            db.execute(_insert(db).on_conflict_do_nothing(), rows)
        return
    # COPY's text format, written in blocks: timestamps in ISO-8601 with their zone, floats in repr (exact).
    with raw.cursor() as cur, cur.copy("COPY monitoring_readings (sensor_id, ts, value, cum) FROM STDIN") as copy:
        for start in range(0, len(rows), 2000):
            copy.write(
                "".join(
                    f"{r['sensor_id']}\t{r['ts'].isoformat()}\t{r['value']!r}\t{r['cum']!r}\n"
                    for r in rows[start : start + 2000]
                )
            )


def _store_sqlite(db: Session, rows: list[dict[str, Any]]) -> None:
    """SQLite's executemany straight from the driver: the per-value type processing of SQLAlchemy costs more
    than the insert itself. Timestamps in the text form SQLAlchemy stores and reads (naive UTC)."""
    cursor = db.connection().connection.dbapi_connection.cursor()
    try:
        cursor.executemany(
            "INSERT OR IGNORE INTO monitoring_readings (sensor_id, ts, value, cum) VALUES (?, ?, ?, ?)",
            [
                (r["sensor_id"], r["ts"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"), r["value"], r["cum"])
                for r in rows
            ],
        )
    finally:
        cursor.close()


def _save_states(db: Session, states: list[_State]) -> None:
    if not states:
        return
    raw = _pg(db)
    if raw is not None:  # one statement for the whole batch, its columns passed as arrays
        with raw.cursor() as cur:
            cur.execute(
                "UPDATE monitoring_sensor_states AS s SET last_ts = v.lts, last_value = v.lv, cum = v.c, hours = v.h,"
                " readings = v.n FROM unnest(%s::int[], %s::timestamptz[], %s::float8[], %s::float8[], %s::json[],"
                " %s::bigint[]) AS v(sid, lts, lv, c, h, n) WHERE s.sensor_id = v.sid",
                [
                    [s.sensor_id for s in states],
                    [s.last_ts for s in states],
                    [s.last_value for s in states],
                    [s.cum for s in states],
                    [json.dumps(s.hours) for s in states],
                    [s.readings for s in states],
                ],
            )
        return
    db.execute(
        update(STATES)
        .where(STATES.c.sensor_id == bindparam("sid"))
        .values(
            last_ts=bindparam("lts"),
            last_value=bindparam("lv"),
            cum=bindparam("c"),
            hours=bindparam("h"),
            readings=bindparam("n"),
        ),
        [
            {"sid": s.sensor_id, "lts": s.last_ts, "lv": s.last_value, "c": s.cum, "h": s.hours, "n": s.readings}
            for s in states
        ],
    )
