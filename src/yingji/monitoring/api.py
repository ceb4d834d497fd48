from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, UploadFile
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from yingji.core.clock import utcnow
from yingji.core.errors import invalid
from yingji.core.excel import XLSX_MIME
from yingji.core.jsonparse import loads_items
from yingji.core.pagination import Page
from yingji.monitoring import service
from yingji.monitoring.schemas import (
    AlarmNote,
    AlarmRead,
    EventRead,
    IngestRejected,
    IngestResult,
    RuleCreate,
    RuleRead,
    RuleUpdate,
    SensorCreate,
    SensorRead,
    SensorUpdate,
)
from yingji.monitoring.service import live
from yingji.web.deps import ApiUser, DbSession, Paging, get_database, in_scope

router = APIRouter(prefix="/monitoring", tags=["monitoring"])


def _xlsx(content: bytes, name: str) -> Response:
    return Response(content, media_type=XLSX_MIME, headers={"Content-Disposition": f"attachment; filename={name}"})


# --- sensors ---------------------------------------------------------------------------------------


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


@router.get("/sensors.geojson")
def sensors_geojson(db: DbSession, user: ApiUser, kind: str | None = None) -> dict[str, Any]:
    return live.sensors_geojson(db=db, actor=user, now=utcnow(), kind=kind)


@router.get("/sensors/template.xlsx")
def sensors_template(user: ApiUser) -> Response:
    return _xlsx(service.excel_template(), "sensors-template.xlsx")


@router.get("/sensors/export.xlsx")
def sensors_export(db: DbSession, user: ApiUser) -> Response:
    return _xlsx(service.export_sensors(db=db, actor=user), "sensors.xlsx")


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
def update_sensor(sensor_id: int, body: SensorUpdate, db: DbSession, user: ApiUser) -> SensorRead:
    return SensorRead.model_validate(service.update_sensor(db=db, actor=user, sensor_id=sensor_id, data=body))


@router.delete("/sensors/{sensor_id}", status_code=204)
def delete_sensor(sensor_id: int, db: DbSession, user: ApiUser) -> Response:
    service.delete_sensor(db=db, actor=user, sensor_id=sensor_id)
    return Response(status_code=204)


@router.get("/sensors/{sensor_id}/series")
def sensor_series(
    sensor_id: int, db: DbSession, user: ApiUser, start: datetime | None = None, end: datetime | None = None
) -> dict[str, Any]:
    end = end or utcnow()
    start = start or end - timedelta(hours=24)
    if start.tzinfo is None or end.tzinfo is None:
        raise invalid("start", "时间须带时区")
    if start >= end:
        raise invalid("start", "开始时间须早于结束时间")
    s = service.series(db=db, actor=user, sensor_id=sensor_id, start=start, end=end)
    return {"resolution": s.resolution, "points": s.points}


# --- readings --------------------------------------------------------------------------------------


@router.post("/readings", response_model=IngestResult)
async def post_readings(request: Request, db: DbSession, user: ApiUser) -> IngestResult:
    """A batch of up to 10,000 readings `[{"sensor": code, "ts": ISO-8601 with zone, "value": number}]`.
    Bad readings are rejected one by one with their reason; the rest are stored."""
    items = loads_items(await request.body(), field="body", message="请求体不是合法的 JSON")
    if isinstance(items, dict) and isinstance(items.get("readings"), list):
        items = items["readings"]
    out = await run_in_threadpool(lambda: service.ingest(db=db, actor=user, items=items, source="http"))
    return IngestResult(
        accepted=out.accepted,
        duplicates=out.duplicates,
        rejected=[IngestRejected(index=i, reason=r) for i, r in out.rejected],
    )


@router.get("/rejections")
def rejections(db: DbSession, user: ApiUser) -> dict[str, Any]:
    """Readings refused in the last 24 hours: their number and the latest 20 with their reasons."""
    total, rows = service.recent_rejections(db=db, actor=user)
    return {
        "total_24h": total,
        "items": [
            {"source": r.source, "sensor": r.sensor_code, "reason": r.reason, "payload": r.payload, "at": r.at}
            for r in rows
        ],
    }


# --- rules -----------------------------------------------------------------------------------------


@router.get("/rules", response_model=Page[RuleRead])
def list_rules(
    db: DbSession, user: ApiUser, paging: Paging, kind: str | None = None, sensor_kind: str | None = None
) -> Page[RuleRead]:
    return Page.sliced(service.list_rules(db=db, actor=user, kind=kind, sensor_kind=sensor_kind), paging, RuleRead)


@router.post("/rules", response_model=RuleRead, status_code=201)
def create_rule(body: RuleCreate, db: DbSession, user: ApiUser) -> RuleRead:
    return RuleRead.model_validate(service.create_rule(db=db, actor=user, data=body))


@router.patch("/rules/{rule_id}", response_model=RuleRead)
def update_rule(rule_id: int, body: RuleUpdate, db: DbSession, user: ApiUser) -> RuleRead:
    return RuleRead.model_validate(service.update_rule(db=db, actor=user, rule_id=rule_id, data=body))


@router.get("/rules/{rule_id}/versions")
def rule_versions(rule_id: int, db: DbSession, user: ApiUser, paging: Paging) -> Page[dict[str, Any]]:
    rows = [
        {"version": v.version, "snapshot": v.snapshot, "changed_by": v.changed_by, "changed_at": v.changed_at}
        for v in service.rule_versions(db=db, actor=user, rule_id=rule_id)
    ]
    return Page.sliced(rows, paging)


@router.post("/rule-packs/{pack}", response_model=list[RuleRead])
def install_pack(pack: str, db: DbSession, user: ApiUser) -> list[RuleRead]:
    return [RuleRead.model_validate(r) for r in service.install_pack(db=db, actor=user, pack=pack)]


# --- alarms ----------------------------------------------------------------------------------------


def _alarm(db: DbSession, alarm: Any) -> AlarmRead:
    read = AlarmRead.model_validate(alarm)
    read.sensor = service.sensor_code(db=db, sensor_id=alarm.sensor_id)
    return read


@router.get("/alarms", response_model=Page[AlarmRead])
def list_alarms(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    sensor: str | None = None,
    state: str | None = None,
    level: str | None = None,
    township: str | None = None,
    active: bool = False,
) -> Page[AlarmRead]:
    """Alarms one by one, most severe first, then newest."""
    filters = service.checked_filters(db=db, state=state, level=level, township=township)
    rows, total = service.list_alarms(db=db, actor=user, page=paging, sensor_code=sensor, active_only=active, **filters)
    return Page(items=[_alarm(db, a) for a in rows], total=total, page=paging.page, page_size=paging.page_size)


def _event(db: DbSession, row: Any) -> EventRead:
    return EventRead(
        event_id=row.event_id,
        level=row.lead.level,
        count=row.count,
        open_count=row.open_count,
        lead=_alarm(db, row.lead),
        alarm_ids=[a.id for a in row.members],
    )


@router.get("/events", response_model=Page[EventRead])
def list_events(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    state: str | None = None,
    level: str | None = None,
    township: str | None = None,
    active: bool = False,
) -> Page[EventRead]:
    """Alarms grouped by event (one storm over several gauges, one site with several detectors), most
    severe first, then by their latest alarm; filters apply to the member alarms."""
    filters = service.checked_filters(db=db, state=state, level=level, township=township)
    rows, total = service.list_events(db=db, actor=user, page=paging, active_only=active, **filters)
    return Page(items=[_event(db, r) for r in rows], total=total, page=paging.page, page_size=paging.page_size)


@router.post("/events/{event_id}/acknowledge", response_model=list[AlarmRead])
def acknowledge_event(event_id: int, body: AlarmNote, db: DbSession, user: ApiUser) -> list[AlarmRead]:
    """Acknowledges every open alarm of the event with one note; returns the alarms acknowledged."""
    return [_alarm(db, a) for a in service.acknowledge_event(db=db, actor=user, event_id=event_id, note=body.note)]


@router.get("/alarms/{alarm_id}", response_model=AlarmRead)
def get_alarm(
    alarm: Annotated[Any, in_scope(service.get_alarm, "alarm_id")],
    db: DbSession,
    user: ApiUser,
) -> AlarmRead:
    return _alarm(db, alarm)


@router.get("/alarms/{alarm_id}/events")
def alarm_events(alarm_id: int, db: DbSession, user: ApiUser, paging: Paging) -> Page[dict[str, Any]]:
    rows = [
        {"kind": e.kind, "note": e.note, "user_id": e.user_id, "at": e.at}
        for e in service.alarm_events(db=db, actor=user, alarm_id=alarm_id)
    ]
    return Page.sliced(rows, paging)


@router.post("/alarms/{alarm_id}/acknowledge", response_model=AlarmRead)
def acknowledge(alarm_id: int, body: AlarmNote, db: DbSession, user: ApiUser) -> AlarmRead:
    return _alarm(db, service.acknowledge(db=db, actor=user, alarm_id=alarm_id, note=body.note))


@router.post("/alarms/{alarm_id}/annotate", response_model=AlarmRead)
def annotate(alarm_id: int, body: AlarmNote, db: DbSession, user: ApiUser) -> AlarmRead:
    return _alarm(db, service.annotate(db=db, actor=user, alarm_id=alarm_id, note=body.note))


@router.post("/alarms/{alarm_id}/close", response_model=AlarmRead)
def close(alarm_id: int, body: AlarmNote, db: DbSession, user: ApiUser) -> AlarmRead:
    return _alarm(db, service.close(db=db, actor=user, alarm_id=alarm_id, note=body.note))


@router.get("/notices")
def notices(db: DbSession, user: ApiUser, paging: Paging) -> Page[dict[str, Any]]:
    rows = [
        {"id": n.id, "alarm_id": n.alarm_id, "message": n.message, "created_at": n.created_at}
        for n in service.notices(db=db, actor=user)
    ]
    return Page.sliced(rows, paging)


# --- live ------------------------------------------------------------------------------------------


@router.get("/stream")
async def stream(
    request: Request,
    user: ApiUser,
    poll_s: Annotated[float, Query(ge=0.2, le=30)] = 2.0,
    max_s: Annotated[float, Query(ge=1, le=3600)] = 600,
) -> StreamingResponse:
    """Server-sent events: a `change` event whenever alarms or readings change (the map then reloads its
    layer). The browser reconnects by itself after `max_s`."""
    database = get_database(request)

    def token() -> str:
        with database.transaction() as db:
            return live.change_token(db=db)

    async def events():
        last, waited = None, 0.0
        yield "retry: 3000\n\n"
        while waited < max_s and not await request.is_disconnected():
            current = await run_in_threadpool(token)
            if current != last:
                yield f"event: change\ndata: {json.dumps({'token': current})}\n\n"
                last = current
            await asyncio.sleep(poll_s)
            waited += poll_s

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
