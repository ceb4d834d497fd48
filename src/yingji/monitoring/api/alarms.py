"""Alarms and alarm events: lists by severity, acknowledge, annotate, close; the notices (service.alarms)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from yingji.core.pagination import Page
from yingji.core.validation import RecordId, stated_codes
from yingji.monitoring import service
from yingji.monitoring.enums import LEVEL_RANK, AlarmState
from yingji.monitoring.schemas import (
    AlarmNote,
    AlarmRead,
    EventRead,
)
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope

router = APIRouter()
# Filters the service checks (``checked_filters``), stated in the OpenAPI from the same enumerations.
StateFilter = stated_codes(lambda: list(AlarmState.__members__))
LevelFilter = stated_codes(lambda: [level.value for level in sorted(LEVEL_RANK, key=LEVEL_RANK.get, reverse=True)])


def _alarm(db: DbSession, alarm: Any, codes: dict[int, str] | None = None) -> AlarmRead:
    """An alarm as read; a list passes its page's sensor codes, read in one query (``_codes``)."""
    read = AlarmRead.model_validate(alarm)
    if codes is None:
        read.sensor = service.sensor_code(db=db, sensor_id=alarm.sensor_id)
    else:
        read.sensor = codes.get(alarm.sensor_id) if alarm.sensor_id is not None else None
    return read


def _codes(db: DbSession, alarms: list[Any]) -> dict[int, str]:
    return service.sensor_codes(db=db, sensor_ids=[a.sensor_id for a in alarms])


@router.get("/alarms", response_model=Page[AlarmRead])
def list_alarms(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    sensor: str | None = None,
    state: StateFilter | None = None,
    level: LevelFilter | None = None,
    township: str | None = None,
    active: bool = False,
) -> Page[AlarmRead]:
    """Alarms one by one, most severe first, then newest."""
    filters = service.checked_filters(db=db, state=state, level=level, township=township)
    rows, total = service.list_alarms(db=db, actor=user, page=paging, sensor_code=sensor, active_only=active, **filters)
    codes = _codes(db, rows)
    return Page(items=[_alarm(db, a, codes) for a in rows], total=total, page=paging.page, page_size=paging.page_size)


def _event(db: DbSession, row: Any, codes: dict[int, str]) -> EventRead:
    return EventRead(
        event_id=row.event_id,
        level=row.lead.level,
        count=row.count,
        open_count=row.open_count,
        lead=_alarm(db, row.lead, codes),
        alarm_ids=[a.id for a in row.members],
    )


@router.get("/events", response_model=Page[EventRead])
def list_events(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    state: StateFilter | None = None,
    level: LevelFilter | None = None,
    township: str | None = None,
    active: bool = False,
) -> Page[EventRead]:
    """Alarms grouped by event (one storm over several gauges, one site with several detectors), most
    severe first, then by their latest alarm; filters apply to the member alarms."""
    filters = service.checked_filters(db=db, state=state, level=level, township=township)
    rows, total = service.list_events(db=db, actor=user, page=paging, active_only=active, **filters)
    codes = _codes(db, [r.lead for r in rows])
    return Page(items=[_event(db, r, codes) for r in rows], total=total, page=paging.page, page_size=paging.page_size)


@router.post("/events/{event_id}/acknowledge", response_model=list[AlarmRead])
def acknowledge_event(event_id: RecordId, body: AlarmNote, db: DbSession, user: ApiUser) -> list[AlarmRead]:
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
def alarm_events(alarm_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Page[dict[str, Any]]:
    rows = [
        {"kind": e.kind, "note": e.note, "user_id": e.user_id, "at": e.at}
        for e in service.alarm_events(db=db, actor=user, alarm_id=alarm_id)
    ]
    return Page.sliced(rows, paging)


@router.post("/alarms/{alarm_id}/acknowledge", response_model=AlarmRead)
def acknowledge(alarm_id: RecordId, body: AlarmNote, db: DbSession, user: ApiUser) -> AlarmRead:
    return _alarm(db, service.acknowledge(db=db, actor=user, alarm_id=alarm_id, note=body.note))


@router.post("/alarms/{alarm_id}/annotate", response_model=AlarmRead)
def annotate(alarm_id: RecordId, body: AlarmNote, db: DbSession, user: ApiUser) -> AlarmRead:
    return _alarm(db, service.annotate(db=db, actor=user, alarm_id=alarm_id, note=body.note))


@router.post("/alarms/{alarm_id}/close", response_model=AlarmRead)
def close(alarm_id: RecordId, body: AlarmNote, db: DbSession, user: ApiUser) -> AlarmRead:
    return _alarm(db, service.close(db=db, actor=user, alarm_id=alarm_id, note=body.note))


@router.get("/notices")
def notices(db: DbSession, user: ApiUser, paging: Paging) -> Page[dict[str, Any]]:
    rows = [
        {"id": n.id, "alarm_id": n.ref_id, "message": n.body, "created_at": n.created_at}
        for n in service.notices(db=db, actor=user)
    ]
    return Page.sliced(rows, paging)
