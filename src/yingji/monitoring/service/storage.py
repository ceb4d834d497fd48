"""Years of readings: raw rows for ``raw_retention_days`` (default 90), hourly roll-ups (min/max/mean/sum)
for ever; charts read the roll-ups for long ranges. On PostgreSQL the raw table is partitioned by month:
ingestion creates the partition of any month it meets, the ``monitoring.storage`` job creates them ahead,
and whole months past retention are dropped rather than deleted row by row."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.meta import get_meta, set_meta
from yingji.monitoring.models import HourlyReading, Reading, Rejection, Sensor
from yingji.monitoring.service.sensors import get_sensor

# Raw readings are kept this many days (at least 3: the longest accumulation window must stay answerable).
MIN_RETENTION_DAYS = 3
RAW_RANGE_LIMIT = timedelta(days=3)
ROLLUP_MARK = "monitoring.rollup_until"
REJECTIONS_KEPT_DAYS = 30


def raw_retention_days() -> int:
    return max(MIN_RETENTION_DAYS, int(os.environ.get("YINGJI_MONITORING_RAW_RETENTION_DAYS", "90")))


def _hour(t: datetime) -> datetime:
    return t.replace(minute=0, second=0, microsecond=0)


def _hour_expr(db: Session) -> Any:
    if db.get_bind().dialect.name == "postgresql":
        return func.date_trunc("hour", Reading.ts)
    return func.strftime("%Y-%m-%d %H:00:00", Reading.ts)


def _as_hour(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def rollup(*, db: Session, now: datetime, since: datetime | None = None) -> int:
    """(Re)computes hourly roll-ups of complete hours from the last mark (less two hours, for late readings)
    up to the current hour, a day at a time, aggregating in SQL. Returns the number of hourly rows written."""
    mark = get_meta(db, ROLLUP_MARK)
    start = since or (datetime.fromisoformat(mark) - timedelta(hours=2) if mark else None)
    if start is None:
        start = db.scalar(select(func.min(Reading.ts)))
        if start is None:
            return 0
    start, end = _hour(start), _hour(now)
    written = 0
    hour = _hour_expr(db).label("hour")
    while start < end:
        stop = min(start + timedelta(days=1), end)
        rows = db.execute(
            select(
                Reading.sensor_id,
                hour,
                func.count(),
                func.min(Reading.value),
                func.max(Reading.value),
                func.avg(Reading.value),
                func.sum(Reading.value),
            )
            .where(Reading.ts >= start, Reading.ts < stop)
            .group_by(Reading.sensor_id, hour)
        ).all()
        db.execute(delete(HourlyReading).where(HourlyReading.hour >= start, HourlyReading.hour < stop))
        out = [
            {
                "sensor_id": sid,
                "hour": _as_hour(h),
                "count": n,
                "min": lo,
                "max": hi,
                "mean": float(mean),
                "sum": float(total),
            }
            for sid, h, n, lo, hi, mean, total in rows
        ]
        if out:
            db.execute(insert(HourlyReading), out)
        written += len(out)
        start = stop
    set_meta(db, ROLLUP_MARK, end.isoformat())
    return written


def purge_raw(*, db: Session, now: datetime) -> int:
    """Deletes raw readings past retention that the roll-ups already cover."""
    mark = get_meta(db, ROLLUP_MARK)
    if mark is None:
        return 0
    cutoff = min(now - timedelta(days=raw_retention_days()), datetime.fromisoformat(mark))
    dropped = drop_old_partitions(db=db, cutoff=cutoff) if db.get_bind().dialect.name == "postgresql" else 0
    result = db.execute(delete(Reading).where(Reading.ts < cutoff))
    db.execute(delete(Rejection).where(Rejection.at < now - timedelta(days=REJECTIONS_KEPT_DAYS)))
    return dropped + (result.rowcount or 0)


# --- PostgreSQL partitions ------------------------------------------------------------------------


def _month(t: datetime) -> datetime:
    return t.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(t: datetime) -> datetime:
    return (_month(t) + timedelta(days=32)).replace(day=1)


def partition_name(month: datetime) -> str:
    return f"monitoring_readings_{month:%Y%m}"


def ensure_partitions(*, db: Session, now: datetime, months_ahead: int = 2) -> list[str]:
    """Creates the monthly partitions from this month to ``months_ahead`` ahead (PostgreSQL only)."""
    months, month = [], _month(now.astimezone(UTC))
    for _ in range(months_ahead + 1):
        months.append(month)
        month = _next_month(month)
    return ensure_months(db=db, months=months)


def ensure_months(*, db: Session, months: Any) -> list[str]:
    """Makes sure the partitions of these months exist (PostgreSQL; a no-op elsewhere). Ingestion calls it
    for the months of each batch, so readings of any period find their partition."""
    if db.get_bind().dialect.name != "postgresql":
        return []
    made = []
    for month in sorted({_month(m.astimezone(UTC)) for m in months}):
        name, upper = partition_name(month), _next_month(month)
        if db.scalar(text("SELECT to_regclass(:n)"), {"n": name}) is None:
            db.execute(
                text(
                    f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF monitoring_readings '
                    f"FOR VALUES FROM ('{month.isoformat()}') TO ('{upper.isoformat()}')"
                )
            )
            made.append(name)
    return made


def drop_old_partitions(*, db: Session, cutoff: datetime) -> int:
    rows = db.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'monitoring_readings' "
            "AND c.relname ~ '^monitoring_readings_[0-9]{6}$'"
        )
    ).scalars()
    n = 0
    for name in rows:
        month = datetime.strptime(name[-6:], "%Y%m").replace(tzinfo=UTC)
        if _next_month(month) <= cutoff:
            db.execute(text(f'DROP TABLE "{name}"'))
            n += 1
    return n


# --- charts ---------------------------------------------------------------------------------------


@dataclass
class Series:
    resolution: str  # "raw" | "hourly"
    points: list[dict[str, Any]]


def series(*, db: Session, actor: Actor, sensor_id: int, start: datetime, end: datetime) -> Series:
    """Readings for a chart: raw for ranges up to three days, hourly roll-ups beyond."""
    sensor: Sensor = get_sensor(db=db, actor=actor, sensor_id=sensor_id)
    if end - start <= RAW_RANGE_LIMIT:
        rows = db.execute(
            select(Reading.ts, Reading.value)
            .where(Reading.sensor_id == sensor.id, Reading.ts >= start, Reading.ts <= end)
            .order_by(Reading.ts)
        )
        return Series("raw", [{"ts": ts.isoformat(), "value": v} for ts, v in rows])
    rows = db.execute(
        select(HourlyReading)
        .where(HourlyReading.sensor_id == sensor.id, HourlyReading.hour >= _hour(start), HourlyReading.hour <= end)
        .order_by(HourlyReading.hour)
    ).scalars()
    return Series(
        "hourly",
        [
            {"ts": h.hour.isoformat(), "min": h.min, "max": h.max, "mean": h.mean, "sum": h.sum, "count": h.count}
            for h in rows
        ],
    )
