"""Small factories for the natural tests (records made inside the test's rolled-back transaction)."""

from __future__ import annotations

from sqlalchemy import select

from yingji.accounts.models import User
from yingji.core.actor import SYSTEM
from yingji.geo import service as geo_service
from yingji.natural.schemas import MonitorCreate, PointCreate
from yingji.natural.service import people, points


def user(db, username: str) -> User:
    return db.scalar(select(User).where(User.username == username))


def village(db, *, inside: str | None = None, outside: str | None = None):
    """A village (of the given path prefix, or outside it)."""
    for v in geo_service.region_infos(db=db, level="village"):
        if inside and not v.path.startswith(inside + "/") and v.path != inside:
            continue
        if outside and (v.path.startswith(outside + "/") or v.path == outside):
            continue
        return v
    raise AssertionError("no such village")


def point(db, village_code: str, *, kind: str = "landslide", people_n: int = 10, actor=SYSTEM, **extra):
    lon, lat = extra.pop("lon", None), extra.pop("lat", None)
    if lon is None:
        info = geo_service.region_info(db=db, code=village_code)
        lon, lat = info.centroid
    data = PointCreate(name=extra.pop("name", "测试隐患点"), kind=kind, region_code=village_code, lon=lon, lat=lat,
                       people=people_n, **extra)
    return points.create_point(db=db, actor=actor, data=data)


def monitor(db, point_id: int, name: str = "监测员甲", phone: str = "13800000001"):
    return people.add_monitor(db=db, actor=SYSTEM, point_id=point_id, data=MonitorCreate(name=name, phone=phone))
