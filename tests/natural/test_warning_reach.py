"""A warning reaching exactly the threatened people of the points inside its area (issue 16 point 3):
the points inside are listed with their households and monitors; sent through the warnings capability,
its deliveries go to exactly those phones (households, monitors, responsible persons of the points
inside), to nobody of a point outside, and to none of the people the area would otherwise resolve to.
An evacuation recorded for an incident rolls up to that incident's figure."""

from __future__ import annotations

from sqlalchemy import select
from tests.natural.helpers import monitor, point, user, village
from tests.warnings.helpers import NOW, body

from yingji.core.actor import SYSTEM
from yingji.natural import service as natural_service
from yingji.natural.schemas import HouseholdCreate, PointUpdate
from yingji.natural.service import people, points
from yingji.warnings.models import Delivery


def _square(lon, lat, d=0.0006):
    return [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]


def _approved(api, area) -> int:
    a = api("duty")
    r = a.post("/api/v1/warnings", json=body(event_type="geological", level="orange", area={"polygon": area},
                                             headline="地质灾害气象风险橙色预警"))
    assert r.status_code == 201, r.text
    wid = r.json()["id"]
    assert a.post(f"/api/v1/warnings/{wid}/submit").status_code == 200
    assert api("leader").post(f"/api/v1/warnings/{wid}/approve", json={"note": "同意"}).status_code == 200
    return wid


def _world(db):
    v = village(db, inside=user(db, "labao").scope_path)
    lon, lat = v.centroid
    inside_a = point(db, v.code, name="区内滑坡甲", lon=lon, lat=lat)
    inside_b = point(db, v.code, name="区内崩塌乙", kind="collapse", lon=lon + 0.0003, lat=lat)
    outside = point(db, v.code, name="区外滑坡丙", lon=lon + 0.01, lat=lat + 0.01)
    points.update_point(db=db, actor=SYSTEM, point_id=inside_a.id,
                        data=PointUpdate(responsible_name="责任人甲", responsible_phone="13100000001"))
    for p, tag in ((inside_a, "1"), (inside_b, "2"), (outside, "9")):
        people.add_household(db=db, actor=SYSTEM, point_id=p.id,
                             data=HouseholdCreate(head_name=f"户主{tag}", phone=f"1320000000{tag}", people=4))
        monitor(db, p.id, name=f"监测员{tag}", phone=f"1330000000{tag}")
    db.commit()
    return (lon, lat), {inside_a.id, inside_b.id}, outside.id


def test_the_points_inside_and_their_people_are_listed(api, db, fixed_clock) -> None:
    fixed_clock(NOW)
    (lon, lat), inside, outside = _world(db)
    wid = _approved(api, _square(lon + 0.00015, lat))
    r = api("duty").get(f"/api/v1/natural/warnings/{wid}/threatened")
    assert r.status_code == 200, r.text
    got = r.json()
    mine = {p["id"] for p in got["points"]} & (inside | {outside})
    assert mine == inside
    phones = {x["phone"] for x in got["recipients"] if x["point_id"] in inside}
    assert phones == {"13200000001", "13200000002", "13300000001", "13300000002", "13100000001"}
    assert api("chem").get(f"/api/v1/natural/warnings/{wid}/threatened").status_code == 403


def test_a_warning_reaches_exactly_the_threatened_people_and_monitors(api, db, fixed_clock) -> None:
    fixed_clock(NOW)
    (lon, lat), inside, outside = _world(db)
    wid = _approved(api, _square(lon + 0.00015, lat))
    expected = {r.phone for r in natural_service.points_in_area(
        db=db, actor=SYSTEM, geometry={"type": "Polygon", "coordinates": [_square(lon + 0.00015, lat)]}).reached}
    assert {"13200000001", "13300000002", "13100000001"} <= expected and "13200000009" not in expected
    assert api("labao").post(f"/api/v1/natural/warnings/{wid}/send", json={}).status_code == 403
    r = api("duty").post(f"/api/v1/natural/warnings/{wid}/send", json={"confirm_unreached": True})
    assert r.status_code == 200, r.text
    db.expire_all()
    sent = {d.address for d in db.scalars(select(Delivery).where(Delivery.warning_id == wid))}
    assert sent == expected  # exactly those: no subscriber, loudspeaker or officer the area would resolve to
    kinds = {d.recipient_kind for d in db.scalars(select(Delivery).where(Delivery.warning_id == wid))}
    assert kinds <= {"threatened", "monitor", "cadre"}
    assert api("duty").get(f"/api/v1/warnings/{wid}").json()["status"] == "published"
    again = api("duty").post(f"/api/v1/natural/warnings/{wid}/send", json={"confirm_unreached": True})
    assert again.status_code == 409  # published once


def test_evacuations_roll_up_to_the_incident(api, db) -> None:
    v = village(db)
    p = point(db, v.code, people_n=40)
    db.commit()
    c = api("duty")
    r = c.post(f"/api/v1/natural/points/{p.id}/evacuations",
               json={"people": 38, "households": 9, "incident_id": 424242})
    assert r.status_code == 201, r.text
    assert c.post(f"/api/v1/natural/points/{p.id}/evacuations", json={"people": 0}).status_code == 422
    assert natural_service.evacuation_totals(db=db, incident_id=424242) == {"people": 38, "households": 9,
                                                                             "points": 1}
    assert api("officer").post(f"/api/v1/natural/points/{p.id}/evacuations", json={"people": 3}).status_code in (
        403, 404)


def test_the_census_schools_and_hospitals_inside_are_listed(api, db, fixed_clock) -> None:
    import json

    fixed_clock(NOW)
    (lon, lat), _inside, _outside = _world(db)
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon + 0.0002, lat]},
         "properties": {"name": "区内小学", "students": 300}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon + 0.003, lat]},
         "properties": {"name": "区外中学"}}]}
    r = api("duty").post("/api/v1/natural/census/import", data={"kind": "school"},
                         files={"file": ("s.geojson", json.dumps(doc).encode())})
    assert r.status_code == 200, r.text
    wid = _approved(api, _square(lon + 0.00015, lat))
    exposed = api("duty").get(f"/api/v1/natural/warnings/{wid}/threatened").json()["exposed"]
    assert [(e["name"], e["kind"], e["students"]) for e in exposed] == [("区内小学", "school", 300)]
