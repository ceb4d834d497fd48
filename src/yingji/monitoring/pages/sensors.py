"""Monitoring pages: sensors, their Excel import, and a station's page with its chart (service.sensors)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from yingji.core.clock import utcnow
from yingji.core.errors import invalid
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.monitoring import service
from yingji.monitoring.enums import (
    LEVEL_COLORS,
)
from yingji.monitoring.pages.common import PAGE_SIZE, ctx
from yingji.monitoring.service import live
from yingji.web.deps import DbSession, PageUser, in_scope
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/monitoring/sensors", response_class=HTMLResponse)
def sensors_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    kind: str = "",
    region: str = "",
    q: str = "",
    page: int = 1,
    imported: int | None = None,
) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = service.list_sensors(
        db=db, actor=user, page=paging, kind=kind or None, region_code=region or None, q=q or None
    )
    return render(
        request,
        "monitoring/sensors.html",
        ctx(
            db,
            rows=rows,
            total=total,
            paging=paging,
            filters={"kind": kind, "region": region, "q": q},
            imported=imported,
            townships=geo_service.region_infos(db=db, level="township"),
            pages=paging.page_count(total),
        ),
    )



@router.post("/monitoring/sensors/import", response_class=HTMLResponse)
async def sensors_import(request: Request, db: DbSession, user: PageUser, file: UploadFile) -> Response:
    limit = request.app.state.settings.max_upload_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise invalid("file", f"文件超过 {limit // (1024 * 1024)} MB")
    n = await run_in_threadpool(lambda: service.import_sensors(db=db, actor=user, content=content))
    return RedirectResponse(f"/monitoring/sensors?imported={n}", status_code=303)



@router.get("/monitoring/sensors/{sensor_id}", response_class=HTMLResponse)
def sensor_page(
    request: Request,
    sensor: Annotated[Any, in_scope(service.get_sensor, "sensor_id", page=True)],
    db: DbSession,
    user: PageUser,
    hours: int = 24,
) -> HTMLResponse:
    hours = min(max(hours, 1), 24 * 366)
    state = service.sensor_state(db=db, sensor_id=sensor.id)
    end = max(utcnow(), state.last_ts) if state and state.last_ts else utcnow()
    series = service.series(db=db, actor=user, sensor_id=sensor.id, start=end - timedelta(hours=hours), end=end)
    alarms, _ = service.list_alarms(db=db, actor=user, page=PageParams(page_size=20), sensor_code=sensor.code)
    chart = {
        "unit": sensor.unit,
        "resolution": series.resolution,
        "points": series.points,
        "thresholds": service.thresholds_for(db=db, sensor=sensor),
        "colors": LEVEL_COLORS,
    }
    return render(
        request,
        "monitoring/sensor.html",
        ctx(
            db,
            s=sensor,
            state=state,
            status=live.status(sensor, state, utcnow()),
            alarms=alarms,
            hours=hours,
            chart=chart,
        ),
    )
