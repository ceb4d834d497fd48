"""Helpers shared by the plans use cases: who may see or change a plan, the legal clock, numbering.

Scope (issue 15 point 7): an enterprise manager sees only its enterprise's records; a township officer the
records placed in its township and its villages (the enterprises there included, 属地管理); the bureau
(district-wide accounts) everything. What an actor cannot see answers 404; what it sees but may not
change (a township looking at an enterprise's plan) 403."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from yingji.core.actor import Actor, ensure_in_scope, region_in_scope, require, scope_condition
from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.core.errors import NotFound, PermissionDenied
from yingji.core.workdays import WorkCalendar, load_calendar
from yingji.geo import service as geo_service
from yingji.plans.models import Plan


def read_condition(actor: Actor, path_column: Any, enterprise_column: Any) -> Any:
    return scope_condition(actor, path_column, enterprise_column)


def ensure_readable(actor: Actor, *, region_path: str, enterprise_id: int | None, what: str) -> None:
    ensure_in_scope(actor, region_path=region_path, enterprise_id=enterprise_id, what=what)


def ensure_writable(actor: Actor, *, region_path: str, enterprise_id: int | None, what: str) -> None:
    """Readable first (else 404); then an enterprise's records are changed by that enterprise or the
    bureau, a place's records by whoever covers the place."""
    ensure_readable(actor, region_path=region_path, enterprise_id=enterprise_id, what=what)
    if enterprise_id is not None and actor.enterprise_id is None and actor.scope_path is not None:
        raise PermissionDenied(f"企业的{what}由企业自行维护")
    if enterprise_id is None and actor.enterprise_id is not None:
        raise PermissionDenied("企业账号只能维护本企业的数据")
    if enterprise_id is None and not region_in_scope(actor, region_path):
        raise PermissionDenied(f"只能维护本辖区的{what}")


def get_plan(db: Session, actor: Actor, plan_id: int) -> Plan:
    require(actor, "plans.read")
    plan = db.get(Plan, plan_id)
    if plan is None:
        raise NotFound("预案不存在")
    ensure_readable(actor, region_path=plan.region_path, enterprise_id=plan.enterprise_id, what="预案")
    return plan


def writable_plan(db: Session, actor: Actor, plan_id: int, permission: str = "plans.write") -> Plan:
    plan = get_plan(db, actor, plan_id)
    require(actor, permission)
    ensure_writable(actor, region_path=plan.region_path, enterprise_id=plan.enterprise_id, what="预案")
    return plan


def calendar(db: Session) -> WorkCalendar:
    return load_calendar(db)


def local_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(LOCAL_TZ).date()


def local_start(d: date) -> datetime:
    """A date as the instant its day begins in Beijing (a plan published "on" a day)."""
    return datetime(d.year, d.month, d.day, 9, 0, tzinfo=LOCAL_TZ)


def working_days_left(cal: WorkCalendar, *, today: date, last_day: date, start_day: date) -> int:
    """The working days of the period still ahead, today included: those after the start day (not counted,
    期间开始的日不计算在期间内), from today up to and including ``last_day``."""
    n, d = 0, max(today, start_day + timedelta(days=1))
    while d <= last_day:
        if cal.is_working_day(d):
            n += 1
        d += timedelta(days=1)
    return n


def district(db: Session) -> geo_service.RegionInfo:
    infos = geo_service.region_infos(db=db, level="district")
    if not infos:
        raise NotFound("尚未建立区划")
    return infos[0]


def township_of(path: str) -> str:
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) >= 2 else path


def region_names(db: Session) -> dict[str, str]:
    return {r.path: r.name for r in geo_service.region_infos(db=db)}
