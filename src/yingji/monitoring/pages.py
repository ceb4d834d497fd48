"""Monitoring pages: active alarms and their handling, sensors and a station's chart, rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from yingji.core.clock import utcnow
from yingji.core.errors import invalid
from yingji.core.pagination import PageParams, page_list
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
from yingji.web.deps import DbSession, PageUser, in_scope
from yingji.web.shell import is_built
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
    built = {cap: is_built(cap) for cap in ("warnings", "incidents")}
    return {**LABELS, "region_names": names, "built": built, **extra}


@router.get("/monitoring", response_class=HTMLResponse)
def overview(
    request: Request,
    db: DbSession,
    user: PageUser,
    state: str = "active",
    level: str = "",
    township: str = "",
    page: int = 1,
) -> HTMLResponse:
    """Alarms grouped by event, most severe first, with filters by state, level and township."""
    paging = PageParams.clamped(page, PAGE_SIZE)
    filters = service.checked_filters(
        db=db, state=None if state in ("active", "") else state, level=level, township=township
    )
    rows, total = service.list_events(db=db, actor=user, page=paging, active_only=state == "active", **filters)
    # The station's name, not its code: the code stays on the sensor's own page.
    codes = {
        r.lead.sensor_id: service.get_sensor(db=db, actor=user, sensor_id=r.lead.sensor_id).name
        for r in rows
        if r.lead.sensor_id is not None
    }
    return render(
        request,
        "monitoring/overview.html",
        _ctx(
            db,
            rows=rows,
            total=total,
            paging=paging,
            state=state,
            filters={"state": state, "level": level, "township": township},
            townships=geo_service.region_infos(db=db, level="township"),
            codes=codes,
            counts=live.alarm_counts(db=db, actor=user),
            notices=service.notices(db=db, actor=user),
            rejections=service.recent_rejections(db=db, actor=user) if user.can("monitoring.write") else None,
            pages=paging.page_count(total),
        ),
    )


@router.get("/monitoring/alarms/{alarm_id}", response_class=HTMLResponse)
def alarm_page(
    request: Request,
    alarm: Annotated[Any, in_scope(service.get_alarm, "alarm_id", page=True)],
    db: DbSession,
    user: PageUser,
) -> HTMLResponse:
    sensor = service.get_sensor(db=db, actor=user, sensor_id=alarm.sensor_id) if alarm.sensor_id else None
    events = service.alarm_events(db=db, actor=user, alarm_id=alarm.id)
    members = service.event_members(db=db, actor=user, event_id=alarm.event_id or alarm.id)
    rule = service.get_rule(db=db, actor=user, rule_id=alarm.rule_id)
    return render(
        request,
        "monitoring/alarm.html",
        _ctx(
            db,
            a=alarm,
            sensor=sensor,
            events=events,
            members=members,
            open_members=sum(1 for m in members if m.state == "open"),
            # A silent sensor is a fault to fix, not a hazard to warn the public about.
            can_warn=rule.kind != "no_data",
        ),
    )


@router.post("/monitoring/events/{event_id}/acknowledge")
def event_acknowledge(request: Request, db: DbSession, user: PageUser, event_id: int, note: str = Form("")) -> Response:
    done = service.acknowledge_event(db=db, actor=user, event_id=event_id, note=note)
    return RedirectResponse(f"/monitoring/alarms/{done[0].id}", status_code=303)


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
def rules_page(request: Request, db: DbSession, user: PageUser, page: int = 1) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rules, total = page_list(service.list_rules(db=db, actor=user), paging)
    return render(request, "monitoring/rules.html", _ctx(db, rules=rules, total=total, paging=paging))


# The parameters of each kind of rule as form fields: (field, parameter, type). The accumulation window is
# asked in hours and stored in seconds.
PARAM_FIELDS: dict[str, list[tuple[str, str, str]]] = {
    "threshold": [("p_op", "op", "op"), ("p_value", "value", "number")],
    "rate": [("p_per_hour", "per_hour", "number"), ("p_direction", "direction", "choice")],
    "accumulation": [("p_window_h", "window_s", "hours"), ("p_value", "value", "number")],
    "no_data": [("p_intervals", "intervals", "integer")],
    "combination": [("p_min_sensors", "min_sensors", "integer"), ("p_min_level", "min_level", "choice")],
}


def _params_from_form(kind: str, form: Any) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for field, key, kind_of in PARAM_FIELDS.get(kind, []):
        raw = str(form.get(field, "")).strip()
        if kind_of in ("op", "choice"):
            params[key] = raw
            continue
        try:
            number = float(raw)
        except ValueError:
            raise invalid(f"params.{key}", f"“{raw}”不是数字") from None
        if kind_of == "hours":
            number *= 3600
        params[key] = int(number) if kind_of in ("integer", "hours") and number == int(number) else number
    return params


@router.post("/monitoring/rules/{rule_id}", response_class=HTMLResponse)
async def rule_edit(request: Request, db: DbSession, user: PageUser, rule_id: int) -> Response:
    """The rule form: level, enabled and the parameters of the rule's kind as separate fields."""
    form = await request.form()
    rule = service.get_rule(db=db, actor=user, rule_id=rule_id)
    try:
        data = RuleUpdate(
            params=_params_from_form(rule.kind, form), level=form.get("level", ""), enabled=form.get("enabled") == "on"
        )
    except ValueError:
        raise invalid("level", "级别无效") from None
    service.update_rule(db=db, actor=user, rule_id=rule_id, data=data)
    return RedirectResponse(request.headers.get("referer") or "/monitoring/rules", status_code=303)


@router.get("/monitoring/dashboard-card", response_class=HTMLResponse)
def dashboard_card(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    if not user.can("monitoring.read"):
        return HTMLResponse("")
    rows, total = service.list_events(db=db, actor=user, page=PageParams(page_size=5), active_only=True)
    return render(
        request,
        "monitoring/_card.html",
        _ctx(db, rows=rows, total=total, counts=live.alarm_counts(db=db, actor=user)),
    )
