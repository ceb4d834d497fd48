"""The patrol rule with a fixed clock (issue 16 point 2): a yellow rainstorm warning over a hazard point
asks for a patrol within 12 h of its issue (data/patrol_rules.toml, 群测群防 default); a point not
patrolled by then lands in its township's 待办, a point patrolled in time does not, and a patrol after
the fact settles the 待办. The scheduled job is run as the scheduler runs it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from tests.natural.helpers import point, user, village
from tests.warnings.helpers import NOW, published

from yingji.core import outbox
from yingji.core.actor import SYSTEM
from yingji.core.events import topic_of
from yingji.core.jobs import run_job
from yingji.natural.models import PatrolDemand
from yingji.natural.schemas import PatrolCreate
from yingji.natural.service import patrols
from yingji.warnings.events import WarningPublished


def _square(lon: float, lat: float, d: float = 0.0004) -> list[list[float]]:
    return [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]


def _overdue(api_client, point_id: int) -> list[dict]:
    r = api_client.get("/api/v1/notices?status=open&page_size=500")
    assert r.status_code == 200, r.text
    link = f"/natural/points/{point_id}"
    return [n for n in r.json()["items"] if n["kind"] == "patrol_overdue" and n["link"] == link]


def test_a_point_not_patrolled_within_12_hours_of_a_yellow_rainstorm_goes_to_the_township(
        db, database, api, fixed_clock) -> None:
    fixed_clock(NOW)
    v = village(db, inside=user(db, "labao").scope_path)
    lon, lat = v.centroid
    late = point(db, v.code, name="未巡查滑坡", lon=lon, lat=lat)
    in_time = point(db, v.code, name="已巡查崩塌", kind="collapse", lon=lon + 0.0002, lat=lat)
    elsewhere = point(db, v.code, name="区域外滑坡", lon=lon + 0.01, lat=lat + 0.01)
    db.commit()
    api("labao"), api("officer")  # tokens issued now, valid when the clock comes back
    area = {"polygon": _square(lon + 0.0001, lat)}
    w = published(api, level="yellow", area=area)
    outbox.drain(database, topics=[topic_of(WarningPublished)])
    demands = {d.point_id: d for d in db.scalars(select(PatrolDemand).where(PatrolDemand.warning_id == w["id"]))}
    assert set(demands) == {late.id, in_time.id}  # the point outside the area is not asked
    issued = demands[late.id].issued_at
    assert demands[late.id].due_at == issued + timedelta(hours=12)

    fixed_clock(issued + timedelta(hours=11))
    patrols.record_patrol(db=db, actor=SYSTEM, point_id=in_time.id, data=PatrolCreate(findings="无异常"))
    db.commit()
    fixed_clock(issued + timedelta(hours=12) - timedelta(seconds=1))
    run_job(database, "natural.patrol_overdue")
    fixed_clock(NOW + timedelta(minutes=1))
    assert _overdue(api("labao"), late.id) == []  # not yet due

    fixed_clock(issued + timedelta(hours=12))
    run_job(database, "natural.patrol_overdue")
    fixed_clock(NOW + timedelta(minutes=2))
    [notice] = _overdue(api("labao"), late.id)
    assert "未巡查滑坡" in notice["title"]
    assert _overdue(api("labao"), in_time.id) == [] and _overdue(api("labao"), elsewhere.id) == []
    assert _overdue(api("officer"), late.id) == []  # the township's inbox, not the village officer's
    db.expire_all()
    assert db.get(PatrolDemand, demands[in_time.id].id).state == "patrolled"

    fixed_clock(issued + timedelta(hours=13))
    patrols.record_patrol(db=db, actor=SYSTEM, point_id=late.id, data=PatrolCreate(findings="补巡：无异常"))
    db.commit()
    fixed_clock(NOW + timedelta(minutes=3))
    assert _overdue(api("labao"), late.id) == []


def test_a_blue_warning_or_another_kind_asks_for_no_patrol(db, database, api, fixed_clock) -> None:
    fixed_clock(NOW)
    v = village(db, inside=user(db, "labao").scope_path)
    lon, lat = v.centroid
    p = point(db, v.code, lon=lon, lat=lat)
    db.commit()
    for overrides in ({"level": "blue"}, {"event_type": "typhoon", "level": "red"}):
        w = published(api, area={"polygon": _square(lon, lat)}, **overrides)
        outbox.drain(database, topics=[topic_of(WarningPublished)])
        assert db.scalars(select(PatrolDemand).where(PatrolDemand.warning_id == w["id"],
                                                     PatrolDemand.point_id == p.id)).all() == []
