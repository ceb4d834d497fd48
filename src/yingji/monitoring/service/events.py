"""Alarms of one event: one storm over several gauges of a township, one site with several detectors.

An alarm joins the event of an active alarm with the same key (same sensor kind in the same township, or
the same enterprise site) whose readings are at most ``EVENT_WINDOW`` apart from its own; otherwise it
starts its own event. People then see the event once (with its count), acknowledge it once, and draft one
public warning covering every place of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require, scope_condition
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, NotFound, invalid
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.monitoring.enums import ACTIVE_STATES, LEVEL_RANK, AlarmState
from yingji.monitoring.models import Alarm, AlarmEvent
from yingji.monitoring.service import alarm_notices

# The longest window of the 暴雨 signal is 12 h; rain cells of one storm reach the gauges of a township well
# within half of that, while a storm the next day is a new event.
EVENT_WINDOW = timedelta(hours=6)

LEVEL_ORDER = case({lvl.value: rank for lvl, rank in LEVEL_RANK.items()}, value=Alarm.level, else_=0)


def township_path(region_path: str) -> str:
    """The township part of a region path ("district/township/village" → "district/township")."""
    return "/".join(region_path.split("/")[:2])


def event_key(*, region_path: str, enterprise_id: int | None, family: str) -> str:
    if enterprise_id is not None:
        return f"site:{enterprise_id}"
    return f"{family}:{township_path(region_path)}"[:120]


def assign(db: Session, alarm: Alarm, family: str) -> None:
    """Puts a new alarm (flushed, with its id) into the event it belongs to."""
    alarm.event_key = event_key(region_path=alarm.region_path, enterprise_id=alarm.enterprise_id, family=family)
    if alarm.drill:  # a drill alarm never joins a real event
        alarm.event_key = ("drill:" + alarm.event_key)[:120]
    joined = db.scalar(
        select(func.min(Alarm.event_id)).where(
            Alarm.event_key == alarm.event_key,
            Alarm.id != alarm.id,
            Alarm.state.in_(ACTIVE_STATES),
            Alarm.last_ts >= alarm.first_ts - EVENT_WINDOW,
            Alarm.first_ts <= alarm.last_ts + EVENT_WINDOW,
        )
    )
    alarm.event_id = joined if joined is not None else alarm.id


def checked_filters(
    *, db: Session, state: str | None, level: str | None, township: str | None
) -> dict[str, str | None]:
    """List filters from a request, checked: ``township`` is a region code, turned into its path."""
    if state and state not in AlarmState.__members__:
        raise invalid("state", "状态无效，可选 " + "、".join(AlarmState.__members__))
    if level and level not in LEVEL_RANK:
        raise invalid("level", "级别无效，可选 red、orange、yellow、blue")
    path = None
    if township:
        try:
            path = geo_service.region_info(db=db, code=township).path
        except NotFound:
            raise invalid("township", f"区域 {township} 不存在") from None
    return {"state": state or None, "level": level or None, "township": path}


@dataclass
class EventRow:
    """One line of the alarm list: the event's most severe alarm (then the highest value, then the latest),
    and how many it has."""

    event_id: int
    lead: Alarm
    count: int
    open_count: int
    members: list[Alarm]


def filters(
    actor: Actor, *, state: str | None, active_only: bool, level: str | None, township: str | None
) -> list[Any]:
    conds: list[Any] = [scope_condition(actor, Alarm.region_path, Alarm.enterprise_id)]
    if state:
        conds.append(Alarm.state == state)
    if active_only:
        conds.append(Alarm.state.in_(ACTIVE_STATES))
    if level:
        conds.append(Alarm.level == level)
    if township:
        conds.append((Alarm.region_path == township) | Alarm.region_path.startswith(township + "/", autoescape=True))
    return conds


def list_events(
    *,
    db: Session,
    actor: Actor,
    page: PageParams,
    state: str | None = None,
    active_only: bool = False,
    level: str | None = None,
    township: str | None = None,
) -> tuple[list[EventRow], int]:
    """Events by severity (red first), then by their latest alarm; ``township`` is a region path."""
    require(actor, "monitoring.read")
    conds = filters(actor, state=state, active_only=active_only, level=level, township=township)
    grouped = (
        select(
            Alarm.event_id,
            func.max(LEVEL_ORDER).label("rank"),
            func.max(Alarm.opened_at).label("latest"),
        )
        .where(*conds)
        .group_by(Alarm.event_id)
    )
    total = db.scalar(select(func.count()).select_from(grouped.subquery())) or 0
    ordered = grouped.order_by(func.max(LEVEL_ORDER).desc(), func.max(Alarm.opened_at).desc(), Alarm.event_id.desc())
    ids = [row.event_id for row in db.execute(ordered.offset(page.offset).limit(page.page_size))]
    if not ids:
        return [], total
    members: dict[int, list[Alarm]] = {i: [] for i in ids}
    for a in db.scalars(
        select(Alarm)
        .where(Alarm.event_id.in_(ids), *conds)
        .order_by(LEVEL_ORDER.desc(), Alarm.peak_value.desc().nulls_last(), Alarm.opened_at.desc(), Alarm.id)
    ):
        members[a.event_id].append(a)
    rows = [
        EventRow(i, ms[0], len(ms), sum(1 for m in ms if m.state == AlarmState.open), ms)
        for i, ms in members.items()
        if ms
    ]
    return rows, total


def event_members(*, db: Session, actor: Actor, event_id: int, active_only: bool = False) -> list[Alarm]:
    """The alarms of one event the actor may see, most severe first."""
    require(actor, "monitoring.read")
    conds = filters(actor, state=None, active_only=active_only, level=None, township=None)
    rows = list(
        db.scalars(
            select(Alarm).where(Alarm.event_id == event_id, *conds).order_by(LEVEL_ORDER.desc(), Alarm.opened_at)
        )
    )
    if not rows:
        raise NotFound("告警事件不存在")
    return rows


def acknowledge_event(*, db: Session, actor: Actor, event_id: int, note: str = "") -> list[Alarm]:
    """Acknowledges every open alarm of the event with the one note; returns those acknowledged."""
    members = event_members(db=db, actor=actor, event_id=event_id)
    require(actor, "monitoring.alarm.handle")
    now: datetime = utcnow()
    done = []
    for alarm in members:
        if alarm.state != AlarmState.open:
            continue
        alarm.state, alarm.acknowledged_at, alarm.acknowledged_by, alarm.updated_at = (
            AlarmState.acknowledged,
            now,
            actor.id,
            now,
        )
        db.add(AlarmEvent(alarm_id=alarm.id, kind="acknowledged", note=note.strip(), user_id=actor.id, at=now))
        done.append(alarm)
    if not done:
        raise Conflict("该事件没有未确认的告警")
    alarm_notices.settled(db, done)
    db.flush()
    return done
