"""Monitoring pages: active alarms and their handling, sensors and a station's chart, rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from yingji.core.clock import utcnow
from yingji.core.errors import invalid
from yingji.core.jsonparse import loads
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.monitoring import service
from yingji.monitoring.enums import (
    ALARM_STATE_LABELS,
    EVENT_LABELS,
    KIND_LABELS,
    LEVEL_COLORS,
    LEVEL_LABELS,
    RULE_KIND_LABELS,
    SENSOR_STATUS_LABELS,
)
from yingji.monitoring.schemas import RuleUpdate
from yingji.monitoring.service import live
from yingji.web.deps import DbSession, PageUser
from yingji.web.nav import entry_for
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
LABELS = {
    "levels": LEVEL_LABELS,
    "level_colors": LEVEL_COLORS,
    "states": ALARM_STATE_LABELS,
    "kinds": KIND_LABELS,
    "rule_kinds": RULE_KIND_LABELS,
    "event_labels": EVENT_LABELS,
    "statuses": SENSOR_STATUS_LABELS,
}


def _ctx(db: DbSession, **extra: Any) -> dict[str, Any]:
    names = {r.path: r.name for r in geo_service.region_infos(db=db) if r.level != "grid"}
    built = {cap: bool(entry_for(cap) and entry_for(cap).built) for cap in ("warnings", "incidents")}
    return {**LABELS, "region_names": names, "built": built, **extra}


@router.get("/monitoring", response_class=HTMLResponse)
def overview(request: Request, db: DbSession, user: PageUser, state: str = "active", page: int = 1) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = service.list_alarms(
        db=db, actor=user, page=paging, state=None if state in ("active", "") else state, active_only=state == "active"
    )
    codes = {a.sensor_id: service.sensor_code(db=db, sensor_id=a.sensor_id) for a in rows}
    return render(
        request,
        "monitoring/overview.html",
        _ctx(
            db,
            rows=rows,
            total=total,
            paging=paging,
            state=state,
            codes=codes,
            counts=live.alarm_counts(db=db, actor=user),
            notices=service.notices(db=db, actor=user),
            rejections=service.recent_rejections(db=db, actor=user) if user.can("monitoring.write") else None,
            pages=paging.page_count(total),
        ),
    )


@router.get("/monitoring/alarms/{alarm_id}", response_class=HTMLResponse)
def alarm_page(request: Request, db: DbSession, user: PageUser, alarm_id: int) -> HTMLResponse:
    alarm = service.get_alarm(db=db, actor=user, alarm_id=alarm_id)
    sensor = service.get_sensor(db=db, actor=user, sensor_id=alarm.sensor_id) if alarm.sensor_id else None
    events = service.alarm_events(db=db, actor=user, alarm_id=alarm_id)
    return render(request, "monitoring/alarm.html", _ctx(db, a=alarm, sensor=sensor, events=events))


@router.post("/monitoring/alarms/{alarm_id}/{action}")
def alarm_action(
    request: Request, db: DbSession, user: PageUser, alarm_id: int, action: str, note: str = Form("")
) -> Response:
    handlers = {"acknowledge": service.acknowledge, "annotate": service.annotate, "close": service.close}
    if action not in handlers:
        raise invalid("action", "未知操作")
    handlers[action](db=db, actor=user, alarm_id=alarm_id, note=note)
    return RedirectResponse(f"/monitoring/alarms/{alarm_id}", status_code=303)


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
        _ctx(
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
def sensor_page(request: Request, db: DbSession, user: PageUser, sensor_id: int, hours: int = 24) -> HTMLResponse:
    sensor = service.get_sensor(db=db, actor=user, sensor_id=sensor_id)
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
        _ctx(
            db,
            s=sensor,
            state=state,
            status=live.status(sensor, state, utcnow()),
            alarms=alarms,
            hours=hours,
            chart=chart,
        ),
    )


@router.get("/monitoring/rules", response_class=HTMLResponse)
def rules_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return render(request, "monitoring/rules.html", _ctx(db, rules=service.list_rules(db=db, actor=user)))


@router.post("/monitoring/rules/{rule_id}", response_class=HTMLResponse)
def rule_edit(
    request: Request,
    db: DbSession,
    user: PageUser,
    rule_id: int,
    params: str = Form(...),
    level: str = Form(...),
    enabled: str = Form(""),
) -> Response:
    parsed = loads(params, field="params", message='参数须为 JSON 对象，如 {"op": ">=", "value": 50}')
    if not isinstance(parsed, dict):
        raise invalid("params", '参数须为 JSON 对象，如 {"op": ">=", "value": 50}')
    try:
        data = RuleUpdate(params=parsed, level=level, enabled=enabled == "on")
    except ValueError:
        raise invalid("level", "级别无效") from None
    service.update_rule(db=db, actor=user, rule_id=rule_id, data=data)
    return RedirectResponse("/monitoring/rules", status_code=303)


@router.get("/monitoring/dashboard-card", response_class=HTMLResponse)
def dashboard_card(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    if not user.can("monitoring.read"):
        return HTMLResponse("")
    rows, total = service.list_alarms(db=db, actor=user, page=PageParams(page_size=5), active_only=True)
    return render(
        request,
        "monitoring/_card.html",
        _ctx(db, rows=rows, total=total, counts=live.alarm_counts(db=db, actor=user)),
    )
