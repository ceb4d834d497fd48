"""Shelters: capacity from effective area by the standard (worked examples), census/assessment, live
occupancy; scope."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yingji.resources import standards

LABAO = "450206100000"


@pytest.mark.parametrize(
    ("area", "level", "people"),
    [
        (Decimal("2000"), "emergency", 4000),  # 2000 m² ÷ 0.5 m²/人
        (Decimal("2000"), "short_term", 1000),  # ÷ 2.0
        (Decimal("10000"), "medium_term", 3333),  # ÷ 3.0 = 3333.3 → a third of a place shelters no one
        (Decimal("50000"), "long_term", 11111),  # ÷ 4.5 = 11111.1
        (Decimal("0.4"), "emergency", 0),
    ],
)
def test_capacity_from_effective_area(area, level, people) -> None:
    assert standards.shelter_capacity(area, level) == people


def test_standard_tables() -> None:
    assert standards.service_radius_m("emergency") == 500
    assert standards.service_radius_m("long_term") == 2500
    assert standards.places_needed(1000) == 150  # 15 %
    assert standards.places_needed(1001) == 151  # rounded up
    assert standards.fire_target_s() == 240
    with pytest.raises(ValueError):
        standards.shelter_capacity(-1, "emergency")
    cat = standards.material_catalogue()
    assert {c.category for c in cat} == {"site_support", "life_rescue", "engineering"}


def _create(c, **over):
    body = {
        "name": "拉堡测试广场避难场所",
        "kind": "square",
        "level": "short_term",
        "region_code": LABAO,
        "lon": 109.35,
        "lat": 24.25,
        "effective_area_m2": "5000",
        **over,
    }
    return c.post("/api/v1/resources/shelters", json=body)


def test_register_computes_capacity_and_edit_recomputes_it(api) -> None:
    c = api("labao")
    r = _create(c, capacity=999999)  # a capacity cannot be typed in
    assert r.status_code == 422
    r = _create(c)
    assert r.status_code == 201 and r.json()["capacity"] == 2500 and r.json()["condition"] == "unassessed"
    sid = r.json()["id"]
    r = c.patch(f"/api/v1/resources/shelters/{sid}", json={"level": "emergency"})
    assert r.json()["capacity"] == 10000
    assert _create(c, effective_area_m2="-5").status_code == 422
    assert _create(c, region_code="450206101000").status_code == 404  # another township


def test_assessment_marks_fit_improve_or_retire(api) -> None:
    c = api("labao")
    sid = _create(c).json()["id"]
    url = f"/api/v1/resources/shelters/{sid}/assessments"
    r = c.post(url, json={"assessor": "莫兰", "checks": {"two_exits": False, "water": True}, "result": "fit"})
    assert r.status_code == 422 and "不能评为达标可用" in r.json()["error"]["message"]
    r = c.post(url, json={"assessor": "莫兰", "checks": {"flying": True}, "result": "fit"})
    assert r.status_code == 422
    r = c.post(
        url, json={"assessor": "莫兰", "checks": {"two_exits": False}, "result": "improve", "findings": "仅一个出口"}
    )
    assert r.status_code == 201
    assert c.get(f"/api/v1/resources/shelters/{sid}").json()["condition"] == "improve"
    r = c.post(url, json={"assessor": "莫兰", "checks": {}, "result": "retire", "findings": "位于滑坡影响范围"})
    assert r.status_code == 201
    assert [a["result"] for a in c.get(url).json()["items"]] == ["retire", "improve"]
    # A retired shelter cannot be opened.
    r = c.put(f"/api/v1/resources/shelters/{sid}/occupancy", json={"occupancy": 0, "open": True})
    assert r.status_code == 422


def test_live_occupancy(api) -> None:
    c = api("labao")
    sid = _create(c).json()["id"]
    url = f"/api/v1/resources/shelters/{sid}/occupancy"
    r = c.put(url, json={"occupancy": 300, "open": True})
    assert r.status_code == 200 and r.json()["occupancy"] == 300 and r.json()["occupancy_updated_at"]
    r = c.put(url, json={"occupancy": 2501, "open": True})
    assert r.status_code == 422 and "超过容量" in r.json()["error"]["message"]
    assert c.put(url, json={"occupancy": -1}).status_code == 422
    assert c.get(f"/api/v1/resources/shelters/{sid}").json()["occupancy"] == 300
    assert api("leader").put(url, json={"occupancy": 1, "open": True}).status_code == 403


def test_zero_area_holds_no_one_and_the_team_target_is_the_plan_parameter() -> None:
    assert standards.shelter_capacity(0, "emergency") == 0  # an empty area is allowed, only a negative one is not
    with pytest.raises(ValueError) as exc:
        standards.shelter_capacity(Decimal("-0.5"), "emergency")
    assert str(exc.value) == "effective area must not be negative"
    assert standards.team_target_s() == 30 * 60  # the district plan's 30 minutes for rescue teams


def test_a_certificate_counts_through_its_expiry_day() -> None:
    from datetime import date

    assert standards.certificate_valid(date(2026, 6, 30), date(2026, 6, 30)) is True
    assert standards.certificate_valid(date(2026, 6, 30), date(2026, 7, 1)) is False
    assert standards.certificate_valid(None, date(2026, 7, 1)) is False
