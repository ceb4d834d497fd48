"""The demo district matches the plan's figures and is labelled as demo data."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from yingji.core.meta import get_meta
from yingji.registry.models import Department, Enterprise, Person


def test_demo_is_labelled(db) -> None:
    assert get_meta(db, "demo_dataset") == "柳江区（演示）"


def test_plan_figures(db) -> None:
    titles = Counter(db.scalars(select(Person.title)))
    assert titles["灾害信息员"] == 118  # one per village
    assert titles["社区响应队队长"] == 118  # 118 community response teams
    assert titles["社区响应队队长"] + titles["社区响应队队员"] == 695  # with 695 members
    assert db.scalar(select(func.count()).where(Enterprise.remote_video.is_(True))) == 11
    video = set(db.scalars(select(Enterprise.industry).where(Enterprise.remote_video.is_(True))))
    assert video == {"hazardous_chemicals", "fireworks", "non_coal_mining"}
    assert 200 <= db.scalar(select(func.count(Enterprise.id))) <= 500


def test_departments_and_township_offices(db) -> None:
    names = set(db.scalars(select(Department.name)))
    for expected in ("柳江区应急管理局", "柳江区消防救援大队", "柳江区水利局", "柳江区气象局", "柳州市公安局柳江分局"):
        assert expected in names
    offices = db.scalar(select(func.count()).where(Department.kind == "township_office"))
    assert offices == 8


def test_every_enterprise_lies_in_its_region(db) -> None:
    from shapely.geometry import Point, shape

    from yingji.geo import service as geo_service

    shapes = {
        r.path: shape(geo_service.get_region(db=db, code=r.code).geometry)
        for r in geo_service.region_infos(db=db)
        if r.level in ("township", "village")
    }
    for e in db.scalars(select(Enterprise)):
        assert shapes[e.region_path].covers(Point(e.lon, e.lat)), e.name


@pytest.mark.slow  # a whole seed (tens of seconds)
def test_demo_is_deterministic(tmp_path, db) -> None:
    """A second seed into a new database gives the same district as the session's (seeded once)."""
    from yingji.core.db import Database
    from yingji.core.migrate import upgrade
    from yingji.demo import seed_demo

    def rows(session) -> list[tuple]:
        return list(session.execute(select(Enterprise.name, Enterprise.uscc, Enterprise.lon).order_by(Enterprise.id)))

    url = f"sqlite:///{tmp_path / 'again.db'}"
    upgrade(url)
    database = Database.from_url(url)
    seed_demo(database)
    with database.transaction() as s:
        again = rows(s)
    database.bind.dispose()
    assert again and again == rows(db)
