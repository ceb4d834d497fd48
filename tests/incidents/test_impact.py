"""Impact estimate (issue 13 point 7): what lies inside an affected area is counted through each
capability's service — an enterprise, a school, a shelter, a risk point, a major hazard source placed just
inside count, their twins just outside do not; the population of a village drawn whole is the village's
own; the needs per person come from the table and stand against the stock within reach, with the
shortfall; a bad polygon is a 422 naming the field; who may estimate, from the outside."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.incidents.helpers import JINDE, LABAO_VILLAGE, T0
from yingji.core.clock import utcnow
from yingji.geo import service as geo_service
from yingji.incidents import needs
from yingji.incidents.settings import settings
from yingji.registry.models import Enterprise
from yingji.resources.models import Material, Shelter, StockBalance
from yingji.risk.models import MajorHazardSource, RiskPoint

D = 0.002  # half the side of the test square, in degrees (about 200 m)


def square(lon: float, lat: float, d: float = D) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d],
                                                [lon - d, lat + d], [lon - d, lat - d]]]}


@pytest.fixture
def spot(db):
    """A point inside the demo information officer's village (its centroid)."""
    return geo_service.region_info(db=db, code=LABAO_VILLAGE)


def _place_everything(db, region, lon: float, lat: float, tag: str) -> None:
    now = utcnow()
    common = {"region_id": region.id, "region_path": region.path, "created_at": now, "updated_at": now}
    ent = Enterprise(name=f"测试化工{tag}", uscc=f"91450200TEST{tag:0>6}"[:18], industry="hazardous_chemicals",
                     lon=lon, lat=lat, **common)
    school = Enterprise(name=f"测试小学{tag}", uscc=f"91450200SCHL{tag:0>6}"[:18], industry="crowded_place",
                        lon=lon, lat=lat, **common)
    db.add_all([ent, school])
    db.flush()
    db.add(RiskPoint(enterprise_id=ent.id, region_path=region.path, name=f"储罐区{tag}", lon=lon, lat=lat, method="lec",
                     score=Decimal(400), level="red", level_rank=4, created_at=now, updated_at=now))
    db.add(MajorHazardSource(enterprise_id=ent.id, region_path=region.path, name=f"液氯库{tag}", unit_type="storage",
                             s_value=12.0, is_major=True, grade=2, lon=lon, lat=lat, created_at=now, updated_at=now))
    db.add(Shelter(name=f"测试广场{tag}", kind="outdoor", level="emergency", region_path=region.path, lon=lon, lat=lat,
                   effective_area_m2=Decimal(2000), capacity=2000, occupancy=500))
    db.flush()


def test_what_lies_inside_counts_and_what_lies_outside_does_not(api, db, spot) -> None:
    lon, lat = spot.centroid
    area = square(lon, lat)
    duty = api("duty")
    before = duty.post("/api/v1/incidents/impact", json={"area": area}).json()
    _place_everything(db, spot, lon + D / 2, lat - D / 2, "1")  # inside
    _place_everything(db, spot, lon + D * 1.5, lat, "2")  # just outside, east
    r = duty.post("/api/v1/incidents/impact", json={"area": area})
    assert r.status_code == 200, r.text
    after = r.json()
    for key in ("enterprises", "crowded_places", "schools", "shelters", "major_hazards", "risk_points"):
        assert after[key]["count"] == before[key]["count"] + (2 if key == "enterprises" else 1), key
    assert after["shelters"]["capacity"] == before["shelters"]["capacity"] + 2000
    assert after["shelters"]["free_places"] == before["shelters"]["free_places"] + 1500
    assert after["risk_points"]["by_level"]["red"] == before["risk_points"]["by_level"].get("red", 0) + 1
    assert "测试小学1" in [s["name"] for s in after["schools"]["items"]]
    assert "测试小学2" not in [s["name"] for s in after["schools"]["items"]]
    assert [h["label"] for h in after["major_hazards"]["items"] if h["name"] == "液氯库1"] == ["二级"]


def test_a_village_drawn_whole_has_its_own_population(api, db, spot) -> None:
    feature = next(f for f in geo_service.boundaries(db=db, level="village")["features"] if f["id"] == LABAO_VILLAGE)
    r = api("duty").post("/api/v1/incidents/impact", json={"area": feature["geometry"]})
    assert r.status_code == 200, r.text
    body = r.json()
    own = next(v for v in body["villages"] if v["code"] == LABAO_VILLAGE)
    assert own["share_inside"] == 1.0
    assert body["population"] == spot.population == body["people"]
    assert [v["code"] for v in body["villages"]] == [LABAO_VILLAGE]  # neighbours only touch the edge


def test_needs_from_the_table_against_the_stock_within_reach(api, db, spot, monkeypatch) -> None:
    lon, lat = spot.centroid
    duty = api("duty")
    body = duty.post("/api/v1/incidents/impact", json={"area": square(lon, lat), "people": 100, "days": 2}).json()
    rows = {n["key"]: n for n in body["needs"]}
    # 3 L a person a day (Sphere 2.1) × 100 people × 2 days = 600 L; boxes of 550 ml × 24 = 13.2 L → 46 boxes.
    water = rows["drinking_water"]
    assert (water["quantity"], water["needed_stock_units"]) == ("600", 46)
    # 0.5 kg of grain a person a day (民发〔2008〕66号) × 100 × 2 = 100 kg; not stocked as such: all of it short.
    assert (rows["grain"]["quantity"], rows["grain"]["available"], rows["grain"]["shortfall"]) == ("100", None, 100)
    # Quilts once per person, not per day: 100.
    assert rows["quilts"]["needed_stock_units"] == 100
    # 3.5 m² a person in 12 m² tents: 350 / 12 → 30 tents.
    assert rows["tents"]["needed_stock_units"] == 30
    for n in body["needs"]:
        if n["available"] is not None:
            have = Decimal(n["available"])
            assert have == sum((Decimal(w["quantity"]) for w in n["warehouses"]), Decimal(0))
            assert n["shortfall"] == max(0, n["needed_stock_units"] - int(have))
            assert all(w["travel_time_s"] <= body["reach_minutes"] * 60 for w in n["warehouses"])
    # Within unbounded reach every warehouse counts: the quilts on hand anywhere in the district.
    monkeypatch.setattr(settings(), "needs_reach_minutes", 100_000)
    far = duty.post("/api/v1/incidents/impact", json={"area": square(lon, lat), "people": 100}).json()
    quilts = db.scalar(select(func.sum(StockBalance.quantity)).join(Material, Material.id == StockBalance.material_id)
                       .where(Material.name == "棉被"))
    assert Decimal(next(n for n in far["needs"] if n["key"] == "quilts")["available"]) == quilts
    # No reach at all: nothing available, the whole need is short.
    monkeypatch.setattr(settings(), "needs_reach_minutes", 0)
    none = duty.post("/api/v1/incidents/impact", json={"area": square(lon, lat), "people": 100}).json()
    q = next(n for n in none["needs"] if n["key"] == "quilts")
    assert (q["available"], q["shortfall"]) == ("0", 100)


def test_the_needs_table_is_editable_and_checked(tmp_path, monkeypatch) -> None:
    items = needs.parse_table('[[item]]\nkey="rice"\nlabel="大米"\nper_person="0.4"\nunit="kg"\nper="day"\n'
                              'material="大米"\nunit_per_stock="25"\nsource="县救助标准"\n')
    [rice] = needs.needs(items, people=1000, days=3, available={"大米": Decimal(10)})
    assert (rice.quantity, rice.stock_units, rice.shortfall) == (Decimal("1200.0"), 48, 38)  # 1200 kg / 25 kg bags
    with pytest.raises(Exception) as bad:
        needs.parse_table('[[item]]\nkey="x"\nlabel="x"\nper_person="-1"\nunit="kg"\nper="week"\nsource="s"\n')
    assert {d.field for d in bad.value.details} == {"relief_needs.item[0].per_person", "relief_needs.item[0].per",
                                                     "relief_needs.item[0].unit_per_stock"}


@pytest.mark.parametrize(("area", "field"), [
    ({"type": "Point", "coordinates": [109.3, 24.2]}, "area.type"),
    ({"type": "Polygon", "coordinates": [[[109.3, 24.2], [109.4, 24.2]]]}, "area.coordinates"),
    ({"type": "Polygon", "coordinates": [[[109.3, 24.2], ["a", 24.3], [109.4, 24.3], [109.3, 24.2]]]},
     "area.coordinates"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "area"),  # a bow tie
    ({"type": "Polygon", "coordinates": [[[0, 0], [0.1, 0], [0.1, 0.1], [0, 0]]]}, "area"),  # outside the district
])
def test_a_bad_area_is_a_422_naming_the_field(api, area, field) -> None:
    r = api("duty").post("/api/v1/incidents/impact", json={"area": area})
    assert r.status_code == 422, r.text
    assert field in {d["field"] for d in r.json()["error"]["details"]}


def test_the_incident_keeps_its_affected_area(api, spot, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=20))
    duty = api("duty")
    lon, lat = spot.centroid
    incident = duty.post("/api/v1/incidents", json={"kind": "rainstorm", "occurred_at": "2026-06-01T10:00:00+08:00",
                                                     "region_code": LABAO_VILLAGE}).json()
    url = f"/api/v1/incidents/{incident['id']}"
    assert duty.get(url + "/impact").status_code == 422  # none drawn yet
    r = duty.put(url + "/affected-area", json={"area": square(lon, lat)})
    assert r.status_code == 200, r.text
    impact = duty.get(url + "/impact", params={"people": 10}).json()
    assert impact["people"] == 10 and impact["area"]["type"] == "Polygon"
    assert "受影响区域" in duty.get(url).json()["timeline"][-1]["text"]
    assert duty.put(url + "/affected-area", json={"area": {"type": "Polygon"}}).status_code == 422
    assert api("leader").put(url + "/affected-area", json={"area": square(lon, lat)}).status_code == 403
    assert api("leader").get(url + "/impact").status_code == 200


def test_who_may_estimate(api, db, spot) -> None:
    lon, lat = spot.centroid
    body = {"area": square(lon, lat)}
    for role in ("duty", "leader", "labao"):
        assert api(role).post("/api/v1/incidents/impact", json=body).status_code == 200, role
    for role in ("officer", "chem", "liaison"):
        assert api(role).post("/api/v1/incidents/impact", json=body).status_code == 403, role
    jinde = geo_service.region_info(db=db, code=JINDE).centroid
    assert api("labao").post("/api/v1/incidents/impact", json={"area": square(*jinde)}).status_code == 403
