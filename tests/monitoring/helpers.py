"""Helpers of the monitoring tests: sensors in known places, readings at known times."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM
from yingji.monitoring import service
from yingji.monitoring.schemas import RuleCreate, SensorCreate

LABAO = "450206100000"  # 拉堡镇, the township of the demo user "labao"
VILLAGE = "450206100001"  # its first village, the demo information officer's
JINDE = "450206101000"  # 进德镇, outside labao's area
T0 = datetime(2026, 5, 31, 0, 0, tzinfo=UTC)


def make_sensor(db: Session, kind: str = "rain_gauge", *, region: str = VILLAGE, **extra) -> object:
    code = extra.pop("code", f"T-{kind[:4]}-{uuid.uuid4().hex[:8]}")
    data = SensorCreate(code=code, name=f"测试{kind}", kind=kind, lon=109.33, lat=24.27, region_code=region, **extra)
    return service.create_sensor(db=db, actor=SYSTEM, data=data)


def make_rule(db: Session, **fields) -> object:
    fields.setdefault("code", f"r-{uuid.uuid4().hex[:10]}")
    return service.create_rule(db=db, actor=SYSTEM, data=RuleCreate(**fields))


def feed(db: Session, sensor, *points: tuple[timedelta | datetime, float]):
    """Ingests each point as its own batch (as MQTT messages arrive), in order."""
    out = []
    for at, value in points:
        ts = T0 + at if isinstance(at, timedelta) else at
        out.append(
            service.ingest(db=db, actor=SYSTEM, items=[{"sensor": sensor.code, "ts": ts.isoformat(), "value": value}])
        )
    db.flush()
    return out


def alarms_of(db: Session, sensor, group: str | None = None) -> list:
    from yingji.core.pagination import PageParams

    rows, _ = service.list_alarms(db=db, actor=SYSTEM, page=PageParams(page_size=100), sensor_code=sensor.code)
    return [a for a in rows if group is None or a.group == group]


H = timedelta(hours=1)
M = timedelta(minutes=1)
