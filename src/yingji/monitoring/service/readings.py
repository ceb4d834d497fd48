"""Readings as they arrive, before they are stored: the checks every item of a batch passes (sensor code,
a zoned timestamp not before 2000 nor in the future, a finite number) with the reason for each refusal,
and the refusals recorded for the people who run the network."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.jsonparse import Unreadable
from yingji.monitoring.models import Rejection

FUTURE_TOLERANCE_S = 300
# No sensor of the network reported before 2000; earlier timestamps are clock faults (and year 1 does not
# survive the trip through some time zones and storage formats).
EARLIEST_TS = datetime(2000, 1, 1, tzinfo=UTC)
MAX_REJECTIONS_RECORDED = 1000


def parse_ts(raw: Any) -> datetime | str:
    """An ISO-8601 timestamp with a zone, as UTC; or the reason it is not one."""
    if not isinstance(raw, str) or not raw:
        return "ts 缺失或不是字符串（须为带时区的 ISO-8601 时间）"
    try:
        ts = datetime.fromisoformat(raw)
    except ValueError:
        return f"ts 不是 ISO-8601 时间：{raw[:40]}"
    if ts.tzinfo is None:
        return "ts 须带时区（如 2026-06-01T08:00:00+08:00）"
    try:
        utc = ts.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59-14:00 is after year 9999 in UTC, 0001-01-01+14:00 before year 1
        return f"ts 超出可表示的时间范围：{raw[:40]}"
    if utc < EARLIEST_TS:
        return f"ts 早于 {EARLIEST_TS:%Y-%m-%d}：{raw[:40]}"
    return utc


def parse_reading(item: Any, future_limit: datetime) -> tuple[str, datetime, float] | str:
    """``(sensor code, UTC time, value)``, or the reason the item is refused."""
    if isinstance(item, Unreadable):
        return f"格式错误：{item.reason}"
    if not isinstance(item, dict):
        return "格式错误：每条读数须为对象 {sensor, ts, value}"
    code = item.get("sensor")
    if not isinstance(code, str) or not code:
        return "缺少 sensor（传感器编码）"
    ts = parse_ts(item.get("ts"))
    if isinstance(ts, str):
        return ts
    value = item.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "value 须为数字"
    try:
        value = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return "value 超出数值范围"
    if not math.isfinite(value):
        return "value 须为有限数字"
    if ts > future_limit:
        return f"ts 在未来（晚于服务器时间 {FUTURE_TOLERANCE_S} 秒以上）"
    return code, ts, value



def record_rejections(
    db: Session, source: str, items: list[Any], rejected: list[tuple[int, str]], now: datetime
) -> None:
    rows = []
    for index, reason in rejected[:MAX_REJECTIONS_RECORDED]:
        item = items[index] if 0 <= index < len(items) else None
        code = item.get("sensor") if isinstance(item, dict) and isinstance(item.get("sensor"), str) else None
        rows.append(
            {
                "source": source,
                "sensor_code": code and code[:64],
                "reason": reason[:200],
                "payload": _payload(item),
                "at": now,
            }
        )
    db.execute(insert(Rejection), rows)


def _payload(item: Any) -> str:
    """The refused item as recorded (first 500 characters)."""
    try:
        return repr(item)[:500]
    except (RecursionError, ValueError):  # nested too deep to print; an int beyond the digit limit
        return f"<{type(item).__name__}>"


def record_rejection(*, db: Session, source: str, sensor_code: str | None, reason: str, payload: str) -> None:
    """A message refused before it became a reading (the MQTT subscriber's malformed payloads)."""
    db.execute(
        insert(Rejection),
        [
            {
                "source": source,
                "sensor_code": sensor_code and sensor_code[:64],
                "reason": reason[:200],
                "payload": payload[:500],
                "at": utcnow(),
            }
        ],
    )


def recent_rejections(*, db: Session, actor: Actor, limit: int = 20) -> tuple[int, list[Rejection]]:
    """Readings refused in the last 24 hours: how many, and the latest (for the people who run the network)."""
    require(actor, "monitoring.write")
    since = utcnow() - timedelta(hours=24)
    total = db.scalar(select(func.count()).select_from(Rejection).where(Rejection.at >= since)) or 0
    rows = db.scalars(select(Rejection).where(Rejection.at >= since).order_by(Rejection.id.desc()).limit(limit))
    return total, list(rows)
