"""群测群防 people of a point: its monitors (information officers or villagers, with phones) and the
households it threatens. The township manages them; the point's scope is theirs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.errors import NotFound
from yingji.natural.models import Household, Monitor
from yingji.natural.schemas import HouseholdCreate, MonitorCreate
from yingji.natural.service.common import get_point, writable_point


def add_monitor(*, db: Session, actor: Actor, point_id: int, data: MonitorCreate) -> Monitor:
    point = writable_point(db, actor, point_id)
    row = Monitor(point_id=point.id, region_path=point.region_path, **data.model_dump())
    db.add(row)
    db.flush()
    return row


def remove_monitor(*, db: Session, actor: Actor, point_id: int, monitor_id: int) -> None:
    writable_point(db, actor, point_id)
    row = db.get(Monitor, monitor_id)
    if row is None or row.point_id != point_id:
        raise NotFound("监测员不存在")
    db.delete(row)
    db.flush()


def monitors(*, db: Session, actor: Actor, point_id: int) -> list[Monitor]:
    get_point(db, actor, point_id)
    return list(db.scalars(select(Monitor).where(Monitor.point_id == point_id).order_by(Monitor.id)).all())


def add_household(*, db: Session, actor: Actor, point_id: int, data: HouseholdCreate) -> Household:
    point = writable_point(db, actor, point_id)
    row = Household(point_id=point.id, region_path=point.region_path, **data.model_dump())
    db.add(row)
    db.flush()
    return row


def households(*, db: Session, actor: Actor, point_id: int) -> list[Household]:
    get_point(db, actor, point_id)
    return list(db.scalars(select(Household).where(Household.point_id == point_id).order_by(Household.id)).all())


def get_household(*, db: Session, actor: Actor, point_id: int, household_id: int) -> Household:
    get_point(db, actor, point_id)
    row = db.get(Household, household_id)
    if row is None or row.point_id != point_id:
        raise NotFound("受威胁户不存在")
    return row
