"""Monitoring pages: the 监测告警 overview (alarms by severity, grouped by event), an alarm's page and its
handling (acknowledge, annotate, close), the dashboard card (service.alarms, events)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yingji.core.errors import invalid
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.monitoring import service
from yingji.monitoring.pages.common import PAGE_SIZE, ctx
from yingji.monitoring.service import live
from yingji.web.deps import DbSession, PageUser, in_scope
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


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
        ctx(
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
        ctx(
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



@router.get("/monitoring/dashboard-card", response_class=HTMLResponse)
def dashboard_card(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    if not user.can("monitoring.read"):
        return HTMLResponse("")
    rows, total = service.list_events(db=db, actor=user, page=PageParams(page_size=5), active_only=True)
    return render(
        request,
        "monitoring/_card.html",
        ctx(db, rows=rows, total=total, counts=live.alarm_counts(db=db, actor=user)),
    )
