"""Sensors: the register, its Excel template, import and export, the map layer, a sensor's series
(service.sensors)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from yingji.core.actor import require
from yingji.core.clock import utcnow
from yingji.core.errors import invalid
from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.monitoring import service
from yingji.monitoring.schemas import (
    SensorCreate,
    SensorRead,
    SensorUpdate,
)
from yingji.monitoring.service import live, sensors
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope
from yingji.web.layers import layer_response

# How stale the sensor layer's latest readings may be: they change every minute per sensor and no event
# says so (the map's live stream shows fresher values as they come).
SENSOR_LAYER_TTL_S = 10.0

router = APIRouter()


@router.get("/sensors", response_model=Page[SensorRead])
def list_sensors(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    kind: str | None = None,
    region: str | None = None,
    q: str | None = None,
) -> Page[SensorRead]:
    rows, total = service.list_sensors(db=db, actor=user, page=paging, kind=kind, region_code=region, q=q)
    return Page(
        items=[SensorRead.model_validate(r) for r in rows], total=total, page=paging.page, page_size=paging.page_size
    )


@router.post("/sensors", response_model=SensorRead, status_code=201)
def create_sensor(body: SensorCreate, db: DbSession, user: ApiUser) -> SensorRead:
    return SensorRead.model_validate(service.create_sensor(db=db, actor=user, data=body))


@router.get("/sensors.geojson", response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
def sensors_geojson(request: Request, db: DbSession, user: ApiUser, kind: str | None = None) -> Response:
    """Sensors with their status and latest reading, with an ETag (``If-None-Match`` → 304)."""
    require(user, "monitoring.read")
    return layer_response(request, db, user, layer=sensors.MAP_LAYER, params=(kind,),
                          build=lambda: live.sensors_geojson(db=db, actor=user, now=utcnow(), kind=kind),
                          ttl_s=SENSOR_LAYER_TTL_S)


@router.get("/sensors/template.xlsx")
def sensors_template(user: ApiUser) -> Response:
    return downloads.xlsx(service.excel_template(), "sensors-template.xlsx")


@router.get("/sensors/export.xlsx")
def sensors_export(db: DbSession, user: ApiUser) -> Response:
    return downloads.xlsx(service.export_sensors(db=db, actor=user), "sensors.xlsx")


@router.post("/sensors/import")
async def sensors_import(request: Request, file: UploadFile, db: DbSession, user: ApiUser) -> dict[str, int]:
    limit = request.app.state.settings.max_upload_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise invalid("file", f"文件超过 {limit // (1024 * 1024)} MB")
    return {"imported": await run_in_threadpool(lambda: service.import_sensors(db=db, actor=user, content=content))}


@router.get("/sensors/{sensor_id}", response_model=SensorRead)
def get_sensor(
    sensor: Annotated[Any, in_scope(service.get_sensor, "sensor_id")],
    db: DbSession,
    user: ApiUser,
) -> SensorRead:
    return SensorRead.model_validate(sensor)


@router.patch("/sensors/{sensor_id}", response_model=SensorRead)
def update_sensor(sensor_id: RecordId, body: SensorUpdate, db: DbSession, user: ApiUser) -> SensorRead:
    return SensorRead.model_validate(service.update_sensor(db=db, actor=user, sensor_id=sensor_id, data=body))


@router.delete("/sensors/{sensor_id}", status_code=204)
def delete_sensor(sensor_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    service.delete_sensor(db=db, actor=user, sensor_id=sensor_id)
    return Response(status_code=204)


@router.get("/sensors/{sensor_id}/series")
def sensor_series(
    sensor_id: RecordId, db: DbSession, user: ApiUser, start: datetime | None = None, end: datetime | None = None
) -> dict[str, Any]:
    end = end or utcnow()
    start = start or end - timedelta(hours=24)
    if start.tzinfo is None or end.tzinfo is None:
        raise invalid("start", "时间须带时区")
    if start >= end:
        raise invalid("start", "开始时间须早于结束时间")
    s = service.series(db=db, actor=user, sensor_id=sensor_id, start=start, end=end)
    return {"resolution": s.resolution, "points": s.points}
