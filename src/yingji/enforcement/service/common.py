"""Helpers shared by the enforcement use cases: who may see what, the legal clock, numbering.

Scope (issue 14 point 10): the bureau (district-wide accounts) sees everything; a township officer the
cases of enterprises in its township; an inspector only the cases it is assigned to; an enterprise manager
only its own enterprise's cases and never a draw before it is drawn. What an actor cannot see answers 404."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from yingji.core.actor import Actor, in_scope
from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.core.workdays import WorkCalendar, load_calendar
from yingji.geo import service as geo_service

INSPECTOR_ROLE = "inspector"


def is_inspector(actor: Actor) -> bool:
    return actor.role == INSPECTOR_ROLE


def calendar(db: Session) -> WorkCalendar:
    return load_calendar(db)


def local_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(LOCAL_TZ).date()


def township_of(path: str) -> str:
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) >= 2 else path


def region_names(db: Session) -> dict[str, str]:
    return {r.path: r.name for r in geo_service.region_infos(db=db)}


def sees_record(actor: Actor, *, region_path: str, enterprise_id: int | None, assigned: list[int],
                inspector_id: int | None) -> bool:
    """An inspector sees what it is assigned to; everyone else by place or enterprise (``core.actor``)."""
    if is_inspector(actor):
        return inspector_id is not None and inspector_id in assigned
    return in_scope(actor, region_path=region_path, enterprise_id=enterprise_id)
