"""Sensors: register, change, list, remove; Excel import and export."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from yingji.core import excel, layercache
from yingji.core.actor import (
    Actor,
    ensure_in_scope,
    path_within,
    region_in_scope,
    require,
    scope_condition,
)
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, ErrorDetail, NotFound, PermissionDenied, ValidationFailed, invalid
from yingji.core.pagination import PageParams, paginate
from yingji.core.search import matches
from yingji.geo import service as geo_service
from yingji.monitoring.enums import KIND_LABELS, KINDS, SensorKind
from yingji.monitoring.models import Alarm, HourlyReading, Reading, Sensor, SensorState
from yingji.monitoring.schemas import SensorCreate, SensorUpdate
from yingji.registry import service as registry_service

# The 一张图 sensor layer (service.live): registering, editing or removing a sensor moves it on, as alarms do
# (monitoring.subscribers); readings are bounded by its time to live instead (a bump per reading would
# rebuild it a dozen times a second).
MAP_LAYER = "sensors"


def _region(db: Session, *, region_code: str | None, lon: float, lat: float) -> geo_service.RegionInfo:
    return geo_service.region_of(db=db, region_code=region_code, lon=lon, lat=lat,
                                 outside_message="该坐标不在本区范围内，请填写所属区划代码")


def _check_range(min_value: float, max_value: float) -> None:
    if min_value >= max_value:
        raise invalid("max_value", "有效范围上限须大于下限")


def _check_department(db: Session, code: str | None) -> None:
    if code:
        try:
            registry_service.get_department(db=db, code=code)
        except NotFound:
            raise invalid("department_code", f"部门 {code} 不存在") from None


def create_sensor(*, db: Session, actor: Actor, data: SensorCreate) -> Sensor:
    require(actor, "monitoring.write")
    region = _region(db, region_code=data.region_code, lon=data.lon, lat=data.lat)
    if not region_in_scope(actor, region.path):
        raise PermissionDenied("只能在本辖区内登记传感器")
    if data.enterprise_id is not None:
        try:
            registry_service.enterprise_info(db=db, enterprise_id=data.enterprise_id)
        except NotFound:
            raise invalid("enterprise_id", f"企业 {data.enterprise_id} 不存在") from None
    _check_department(db, data.department_code)
    if db.scalar(select(Sensor.id).where(Sensor.code == data.code)) is not None:
        raise Conflict(f"传感器编码 {data.code} 已存在", details=[ErrorDetail("code", "已存在")])
    info = KINDS[SensorKind(data.kind)]
    min_value = info.min_value if data.min_value is None else data.min_value
    max_value = info.max_value if data.max_value is None else data.max_value
    _check_range(min_value, max_value)
    now = utcnow()
    sensor = Sensor(
        code=data.code,
        name=data.name,
        kind=data.kind,
        station=data.station,
        department_code=data.department_code,
        enterprise_id=data.enterprise_id,
        lon=data.lon,
        lat=data.lat,
        region_id=region.id,
        region_path=region.path,
        unit=data.unit or info.unit,
        min_value=min_value,
        max_value=max_value,
        interval_s=data.interval_s or info.interval_s,
        active=data.active,
        drill=data.drill,
        created_at=now,
        updated_at=now,
    )
    db.add(sensor)
    db.flush()
    db.add(SensorState(sensor_id=sensor.id, cum=0.0, hours={}, readings=0))
    db.flush()
    layercache.bump(db, MAP_LAYER)
    return sensor


def _visible(actor: Actor) -> Any:
    return scope_condition(actor, Sensor.region_path, Sensor.enterprise_id)


def get_sensor(*, db: Session, actor: Actor, sensor_id: int | None = None, code: str | None = None) -> Sensor:
    require(actor, "monitoring.read")
    sensor = db.get(Sensor, sensor_id) if sensor_id is not None else None
    if code is not None:
        sensor = db.scalar(select(Sensor).where(Sensor.code == code))
    if sensor is None:
        raise NotFound("传感器不存在")
    ensure_in_scope(actor, region_path=sensor.region_path, enterprise_id=sensor.enterprise_id, what="传感器")
    return sensor


def list_sensors(
    *,
    db: Session,
    actor: Actor,
    page: PageParams,
    kind: str | None = None,
    region_code: str | None = None,
    q: str | None = None,
) -> tuple[list[Sensor], int]:
    require(actor, "monitoring.read")
    query = select(Sensor).where(_visible(actor))
    if kind:
        query = query.where(Sensor.kind == kind)
    if region_code:
        query = query.where(path_within(Sensor.region_path, geo_service.region_info(db=db, code=region_code).path))
    if q:
        query = query.where(matches(q, within=[Sensor.name], equal=[Sensor.code]))
    return paginate(db, query.order_by(Sensor.id), page)


def update_sensor(*, db: Session, actor: Actor, sensor_id: int, data: SensorUpdate) -> Sensor:
    sensor = get_sensor(db=db, actor=actor, sensor_id=sensor_id)
    require(actor, "monitoring.write")
    changes = data.model_dump(exclude_unset=True)
    region_code = changes.pop("region_code", None)
    if "department_code" in changes:
        _check_department(db, changes["department_code"])
    if region_code or "lon" in changes or "lat" in changes:
        lon, lat = changes.get("lon", sensor.lon), changes.get("lat", sensor.lat)
        region = _region(db, region_code=region_code, lon=lon, lat=lat)
        if not region_in_scope(actor, region.path):
            raise PermissionDenied("不能把传感器迁到本辖区以外")
        sensor.region_id, sensor.region_path = region.id, region.path
    _check_range(changes.get("min_value", sensor.min_value), changes.get("max_value", sensor.max_value))
    for key, value in changes.items():
        if value is not None or key == "department_code":
            setattr(sensor, key, value)
    sensor.updated_at = utcnow()
    layercache.bump(db, MAP_LAYER)
    db.flush()
    return sensor


def delete_sensor(*, db: Session, actor: Actor, sensor_id: int) -> None:
    sensor = get_sensor(db=db, actor=actor, sensor_id=sensor_id)
    require(actor, "monitoring.write")
    if db.scalar(select(func.count()).select_from(Alarm).where(Alarm.sensor_id == sensor.id)):
        raise Conflict("该传感器已有告警记录，不能删除；可改为停用", details=[ErrorDetail("active", "请停用")])
    db.execute(delete(Reading).where(Reading.sensor_id == sensor.id))
    db.execute(delete(HourlyReading).where(HourlyReading.sensor_id == sensor.id))
    db.execute(delete(SensorState).where(SensorState.sensor_id == sensor.id))
    layercache.bump(db, MAP_LAYER)
    db.delete(sensor)
    db.flush()


# --- Excel ---------------------------------------------------------------------------------------

COLUMNS = [
    excel.Column("code", "传感器编码", required=True),
    excel.Column("name", "名称", required=True),
    excel.Column("kind", "类型", required=True, choices={v: k.value for k, v in KIND_LABELS.items()}),
    excel.Column("station", "监测站点"),
    excel.Column("department_code", "责任部门代码", help="如 qx（气象局）、sl（水利局）"),
    excel.Column("enterprise_id", "企业编号", kind="int"),
    excel.Column("lon", "经度", kind="float", required=True),
    excel.Column("lat", "纬度", kind="float", required=True),
    excel.Column("region_code", "区划代码", help="不填则按经纬度确定"),
    excel.Column("unit", "单位", help="不填则按类型默认"),
    excel.Column("min_value", "有效下限", kind="float"),
    excel.Column("max_value", "有效上限", kind="float"),
    excel.Column("interval_s", "上报间隔（秒）", kind="int"),
]


def excel_template() -> bytes:
    example = {"code": "RG-001", "name": "拉堡镇雨量站", "kind": "雨量计", "lon": 109.33, "lat": 24.27}
    return excel.template(COLUMNS, title="传感器", example=example)


def import_sensors(*, db: Session, actor: Actor, content: bytes) -> int:
    require(actor, "monitoring.write")
    rows = excel.read(content, COLUMNS)

    def one(row: excel.Row) -> Sensor:
        values = {k: v for k, v in row.values.items() if v is not None}
        try:
            data = SensorCreate.model_validate(values)
        except ValidationError as exc:
            details = [ErrorDetail(".".join(map(str, e["loc"])) or "row", e["msg"]) for e in exc.errors()]
            raise ValidationFailed("数据有误", details=details) from None
        return create_sensor(db=db, actor=actor, data=data)

    return len(excel.import_all(rows, one))


def export_sensors(*, db: Session, actor: Actor) -> bytes:
    require(actor, "monitoring.read")
    names = {r.path: r.code for r in geo_service.region_infos(db=db)}
    sensors = db.scalars(select(Sensor).where(_visible(actor)).order_by(Sensor.id))
    rows = [
        {c.key: getattr(s, c.key, None) for c in COLUMNS} | {"region_code": names.get(s.region_path)} for s in sensors
    ]
    return excel.export(COLUMNS, rows, title="传感器")


def sensor_code(*, db: Session, sensor_id: int | None) -> str | None:
    return db.scalar(select(Sensor.code).where(Sensor.id == sensor_id)) if sensor_id is not None else None


def sensor_codes(*, db: Session, sensor_ids: list[int | None]) -> dict[int, str]:
    """The codes of a page's sensors in one query (a list must not ask once per row)."""
    ids = {i for i in sensor_ids if i is not None}
    return dict(db.execute(select(Sensor.id, Sensor.code).where(Sensor.id.in_(ids))).all()) if ids else {}


def sensor_state(*, db: Session, sensor_id: int) -> SensorState | None:
    return db.get(SensorState, sensor_id)
