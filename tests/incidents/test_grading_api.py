"""POST /api/v1/incidents/grade from the outside."""

from __future__ import annotations

import pytest


def test_the_example_of_the_issue(api) -> None:
    r = api("duty").post(
        "/api/v1/incidents/grade",
        json={"kind": "work_safety", "deaths": 2, "serious_injuries": 10, "direct_loss_yuan": 0},
    )
    assert r.status_code == 200
    body = r.json()
    assert (body["grade"], body["label"], body["decided_by"]) == ("III", "较大", ["serious_injuries"])
    assert "第三条" in body["basis"]


def test_a_near_miss_is_recognised(api) -> None:
    body = api("duty").post("/api/v1/incidents/grade", json={"kind": "non_coal_mine", "trapped_or_missing": 3}).json()
    assert body["grade"] == "IV"
    assert body["major_near_miss"] == ["造成3人以上被困或者下落不明"]


def test_a_natural_disaster_gets_a_response_level(api) -> None:
    body = api("officer").post("/api/v1/incidents/grade", json={"kind": "flood", "deaths_and_missing": 20}).json()
    assert (body["grade"], body["label"], body["scheme"]) == ("4", "四级", "natural")


def test_kinds_without_a_scheme_are_not_graded(api) -> None:
    body = api("duty").post("/api/v1/incidents/grade", json={"kind": "food_safety", "deaths": 40}).json()
    assert body["grade"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "work_safety", "deaths": -1}, "deaths"),
        ({"kind": "work_safety", "deaths": "two"}, "deaths"),
        ({"kind": "work_safety", "deaths": 2.5}, "deaths"),
        ({"kind": "work_safety", "deaths": True}, "deaths"),
        ({"kind": "work_safety", "direct_loss_yuan": -5}, "direct_loss_yuan"),
        ({"kind": "work_safety", "direct_loss_yuan": "很多"}, "direct_loss_yuan"),
        ({"kind": "work_safety", "direct_loss_yuan": True}, "direct_loss_yuan"),
        ({"kind": "meteor", "deaths": 1}, "kind"),
        ({"deaths": 1}, "kind"),
        ({"kind": "work_safety", "dead": 1}, "dead"),
    ],
)
def test_bad_figures_are_422_naming_the_field(api, body, field) -> None:
    r = api("duty").post("/api/v1/incidents/grade", json=body)
    assert r.status_code == 422, r.text
    assert any(d["field"].split(".")[-1] == field for d in r.json()["error"]["details"]), r.text


def test_kinds_are_listed(api) -> None:
    body = api("duty").get("/api/v1/incidents/kinds", params={"page_size": 500}).json()
    kinds = {k["code"]: k for k in body["items"]}
    assert body["total"] == len(kinds)
    assert kinds["landslide"]["class_label"] == "自然灾害"
    assert kinds["road_traffic"]["scheme"] == "accident"
    assert {k["incident_class"] for k in kinds.values()} == {
        "natural_disaster",
        "accident",
        "public_health",
        "social_security",
    }


def test_anonymous_is_refused(client) -> None:
    assert client.post("/api/v1/incidents/grade", json={"kind": "work_safety"}).status_code == 401


def test_deadlines_of_an_incident(api) -> None:
    r = api("duty").post("/api/v1/incidents/deadlines", json={
        "kind": "work_safety", "grade": "III", "occurred_at": "2026-06-10T10:00:00+08:00",
        "received_at": "2026-06-10T10:20:00+08:00", "until": "2026-06-11T12:00:00+08:00"})
    assert r.status_code == 200, r.text
    by_code = {d["code"]: d["due_at"] for d in r.json()}
    assert by_code["unit_to_county"].startswith("2026-06-10T03:00:00")  # 11:00 Beijing time
    assert by_code["county_phone_province"].startswith("2026-06-10T03:20:00")
    assert by_code["follow_up"].startswith("2026-06-11T16:00:00")  # 11 June, 24:00 Beijing time


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "work_safety", "grade": "V", "occurred_at": "2026-06-10T10:00:00+08:00"}, "grade"),
        ({"kind": "work_safety", "grade": "IV", "occurred_at": "2026-06-10T10:00:00"}, "occurred_at"),
        ({"kind": "food_safety", "grade": "", "occurred_at": "2026-06-10T10:00:00+08:00"}, "kind"),
        ({"kind": "flood", "grade": "IV", "occurred_at": "2026-06-10T10:00:00+08:00"}, "grade"),
        ({"kind": "flood", "occurred_at": "昨天"}, "occurred_at"),
    ],
)
def test_bad_deadline_requests_name_the_field(api, body, field) -> None:
    r = api("duty").post("/api/v1/incidents/deadlines", json=body)
    assert r.status_code == 422, r.text
    assert any(d["field"].split(".")[-1] == field for d in r.json()["error"]["details"]), r.text
