"""The demo district matches the plan's figures and is labelled as demo data."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

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


# What the demo generates at random, from the first capability to the last, as (table, columns): an
# enterprise, the road grid, the 双随机 draw's enterprises, the delivery outcomes, teams, natural-hazard
# points and households, incidents, drills. Times are left out (the demo is dated from its loading).
GENERATED = [
    ("enterprises", "name, uscc, lon, lat"),
    ("road_edges", "a_lon, a_lat, b_lon, b_lat, highway"),
    ("enf_inspections", "enterprise_id, inspector_ids"),
    ("warning_coverage", "warning_id, recipients, reached"),
    ("res_teams", "name, lon, lat, contact_name"),
    ("res_team_members", "name, phone, certificate_no"),
    ("res_balances", "quantity"),
    ("natural_points", "name, lon, lat, households"),
    ("natural_households", "head_name, phone, people"),
    ("inc_incidents", "title, kind, region_code"),
    ("plan_drills", "kind, attendance"),
]


def _generated(session, table: str, columns: str) -> list[tuple]:
    key = "warning_id" if table == "warning_coverage" else "id"  # a warning's one coverage row
    rows = session.execute(text(f"SELECT {columns} FROM {table} ORDER BY {key}"))
    return [tuple(_value(v) for v in row) for row in rows]


def _value(v):
    """A value as both engines give it back: floats to the micro-degree, numbers without their scale
    (PostgreSQL's NUMERIC keeps 1160.000 where SQLite says 1160)."""
    if isinstance(v, float):
        return round(v, 6)
    if isinstance(v, int | Decimal) and not isinstance(v, bool):
        return f"{Decimal(v).normalize():f}"
    return str(v)


@pytest.mark.slow  # a whole seed (tens of seconds)
def test_demo_is_deterministic(tmp_path, db) -> None:
    """A second seed into a new SQLite database gives the same district as the session's (seeded once; on
    the PostgreSQL pass a PostgreSQL one: the same draws whatever the engine's row order)."""
    from yingji.core.db import Database
    from yingji.core.migrate import upgrade
    from yingji.demo import seed_demo

    url = f"sqlite:///{tmp_path / 'again.db'}"
    upgrade(url)
    database = Database.from_url(url)
    seed_demo(database)
    with database.transaction() as s:
        again = {table: _generated(s, table, columns) for table, columns in GENERATED}
    database.bind.dispose()
    for table, columns in GENERATED:
        assert again[table], table
        assert again[table] == _generated(db, table, columns), table
