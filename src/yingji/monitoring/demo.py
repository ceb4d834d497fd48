"""The demo monitoring network of the reference district (~300 sensors), the built-in rule packs, and
twelve hours of generated readings fed through the real ingestion path (so alarms are real too)."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM
from yingji.core.clock import utcnow
from yingji.geo import service as geo_service
from yingji.monitoring import service
from yingji.monitoring.enums import KINDS, SensorKind
from yingji.monitoring.schemas import RuleCreate, RuleUpdate, SensorCreate
from yingji.registry import service as registry_service

HISTORY_H = 12
STEP = timedelta(minutes=30)
# (kind, count, department, code prefix, name)
FIELD_NETWORK = [
    (SensorKind.water_level, 14, "sl", "WL", "水位站"),
    (SensorKind.soil_moisture, 20, "zrzy", "SM", "土壤墒情站"),
    (SensorKind.displacement, 24, "zrzy", "GD", "地灾隐患点GNSS位移"),
    (SensorKind.crack, 10, "zrzy", "CK", "地灾隐患点裂缝计"),
    (SensorKind.bridge_strain, 8, "jt", "BR", "桥梁应变监测"),
    (SensorKind.fire_hotspot, 10, "ly", "FH", "森林火情监测"),
]


def _baseline(kind: str, rng) -> float:
    return {
        SensorKind.rain_gauge: 0.0,
        SensorKind.water_level: round(rng.uniform(75, 85), 2),
        SensorKind.soil_moisture: round(rng.uniform(18, 35), 1),
        SensorKind.displacement: round(rng.uniform(-20, 20), 1),
        SensorKind.crack: round(rng.uniform(0, 30), 1),
        SensorKind.tank_level: round(rng.uniform(30, 80), 1),
        SensorKind.tank_temperature: round(rng.uniform(18, 30), 1),
        SensorKind.tank_pressure: round(rng.uniform(0.2, 1.2), 2),
        SensorKind.gas: 0.0,
        SensorKind.toxic_gas: 0.0,
        SensorKind.waterlogging: 0.0,
        SensorKind.bridge_strain: round(rng.uniform(-200, 200), 0),
        SensorKind.fire_hotspot: 0.0,
    }[SensorKind(kind)]


def _sensor(db: Session, **fields) -> object:
    return service.create_sensor(db=db, actor=SYSTEM, data=SensorCreate(**fields))


def seed(db: Session, ctx) -> str:
    rng = ctx.rng
    townships = geo_service.region_infos(db=db, level="township")
    villages = geo_service.region_infos(db=db, level="village")
    sensors = []
    for v in villages:  # one automatic rain gauge per village
        lon, lat = geo_service.random_point_in(db=db, code=v.code, rng=rng)
        sensors.append(
            _sensor(
                db,
                code=f"RG-{v.code}",
                name=f"{v.name}雨量站",
                kind="rain_gauge",
                station=v.name,
                department_code="qx",
                lon=lon,
                lat=lat,
                region_code=v.code,
            )
        )
    for t in townships:  # and a national-grade station at each township seat
        lon, lat = geo_service.random_point_in(db=db, code=t.code, rng=rng)
        sensors.append(
            _sensor(
                db,
                code=f"RG-{t.code}",
                name=f"{t.name}气象站雨量",
                kind="rain_gauge",
                station=f"{t.name}气象站",
                department_code="qx",
                lon=lon,
                lat=lat,
                region_code=t.code,
            )
        )
    for kind, count, dept, prefix, label in FIELD_NETWORK:
        for i in range(count):
            v = rng.choice(villages)
            lon, lat = geo_service.random_point_in(db=db, code=v.code, rng=rng)
            sensors.append(
                _sensor(
                    db,
                    code=f"{prefix}-{i + 1:03d}",
                    name=f"{v.name}{label}",
                    kind=kind,
                    station=f"{v.name}{label}",
                    department_code=dept,
                    lon=lon,
                    lat=lat,
                    region_code=v.code,
                )
            )
    urban = townships[0]  # waterlogging gauges at the low points of the district seat's streets
    for i in range(16):
        lon, lat = geo_service.random_point_in(db=db, code=urban.code, rng=rng)
        sensors.append(
            _sensor(
                db,
                code=f"WG-{i + 1:03d}",
                name=f"{urban.name}易涝点{i + 1}",
                kind="waterlogging",
                station=f"易涝点{i + 1}",
                department_code="zj",
                lon=lon,
                lat=lat,
                region_code=urban.code,
            )
        )
    chem = ctx.created.get("enterprises", {}).get("hazardous_chemicals", [])
    for n, eid in enumerate(chem):
        e = registry_service.enterprise_info(db=db, enterprise_id=eid)
        code = geo_service.region_info(db=db, region_id=e.region_id).code
        kinds = ["tank_level", "gas"] + (["tank_temperature", "tank_pressure", "toxic_gas"] if n < 6 else [])
        for kind in kinds:
            lon = (e.lon or 109.33) + rng.uniform(-0.0005, 0.0005)
            lat = (e.lat or 24.27) + rng.uniform(-0.0005, 0.0005)
            sensors.append(
                _sensor(
                    db,
                    code=f"MH-{eid}-{kind}",
                    name=f"{e.name} {KINDS[SensorKind(kind)].label}",
                    kind=kind,
                    station=e.name,
                    department_code="yjj",
                    enterprise_id=eid,
                    lon=round(lon, 6),
                    lat=round(lat, 6),
                    region_code=code,
                )
            )

    for pack in ("rainstorm", "landslide", "major_hazard", "waterlogging", "no_data"):
        rules = service.install_pack(db=db, actor=SYSTEM, pack=pack)
        if pack == "no_data":  # the demo has no live feed: silence rules would flag every station
            for r in rules:
                service.update_rule(db=db, actor=SYSTEM, rule_id=r.id, data=RuleUpdate(enabled=False))
    for s in [s for s in sensors if s.kind == "water_level"][:8]:  # 警戒水位 of the main gauging stations
        base = 86.0 + rng.uniform(0, 2)
        for level, rise, label in (("yellow", 0.0, "警戒"), ("orange", 1.5, "保证")):
            service.create_rule(
                db=db,
                actor=SYSTEM,
                data=RuleCreate(
                    code=f"{s.code}-{level}",
                    name=f"{s.name} 超{label}水位 {base + rise:.2f} m",
                    kind="threshold",
                    level=level,
                    group=f"{s.code}-stage",
                    sensor_code=s.code,
                    params={"op": ">=", "value": round(base + rise, 2)},
                ),
            )
    for t in townships:  # three or more rain gauges of one township at yellow or above: an area alarm
        service.create_rule(
            db=db,
            actor=SYSTEM,
            data=RuleCreate(
                code=f"area-rain-{t.code}",
                name=f"{t.name}多站暴雨（≥3 站黄色以上）",
                kind="combination",
                level="orange",
                sensor_kind="rain_gauge",
                region_code=t.code,
                params={"min_sensors": 3, "min_level": "yellow"},
            ),
        )

    readings = _history(sensors, rng)
    for start in range(0, len(readings), 10_000):
        service.ingest(db=db, actor=SYSTEM, items=readings[start : start + 10_000], source="demo")
    service.rollup(db=db, now=utcnow())
    return f"{len(sensors)} 个传感器，{len(readings)} 条读数（近 {HISTORY_H} 小时，截至 24 小时前）"


def _history(sensors: list, rng) -> list[dict]:
    """Half-hourly readings of yesterday: a shower over the first village gauges, a gas leak at the first
    enterprise, quiet elsewhere. They end a day ago so that ``yingji simulate rainstorm`` (which stamps its
    readings in the hours before it starts) always writes after them."""
    now = utcnow().replace(second=0, microsecond=0) - timedelta(hours=24)
    steps = int(timedelta(hours=HISTORY_H) / STEP)
    out = []
    for idx, s in enumerate(sensors):
        base = _baseline(s.kind, rng)
        for k in range(steps, 0, -1):
            ts = now - k * STEP
            value = base
            if s.kind == "rain_gauge":
                storm = idx < 4 and k <= 5  # a heavy shower over four gauges in the last two and a half hours
                value = (
                    round(rng.uniform(9, 14), 1)
                    if storm
                    else (round(rng.uniform(0, 1.5), 1) if rng.random() < 0.2 else 0.0)
                )
            elif s.kind in ("water_level", "soil_moisture", "tank_level", "tank_temperature", "bridge_strain"):
                value = round(base + math.sin(k / 4) * 0.3 + rng.uniform(-0.1, 0.1), 2)
            elif s.kind == "gas" and s.code.endswith("gas") and idx == _first_gas(sensors) and k <= 2:
                value = 31.0
            out.append({"sensor": s.code, "ts": ts.isoformat(), "value": value})
    return out


def _first_gas(sensors: list) -> int:
    return next(i for i, s in enumerate(sensors) if s.kind == "gas")
