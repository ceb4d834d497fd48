"""The 一张图 layers of risk, resources, natural hazards and enforcement are kept per viewer scope and keyed on
the generations of the tables they read (``__generation__``): an ETag, ``304`` while nothing changed, the
new content on the very next request after a write, and what passes with time alone (a listing that ends,
a rectification deadline that passes) bounded by the layer's own validity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import find_tables

from yingji.core.clock import utcnow
from yingji.enforcement.models import Listing
from yingji.risk.enums import HazardStatus
from yingji.risk.models import Hazard, RiskPoint
from yingji.web import layers

RISK_POINTS = "/api/v1/risk/map/points"
RISK_ENTERPRISES = "/api/v1/risk/map/enterprises"
SHELTERS = "/api/v1/resources/map/shelters.geojson"
NATURAL_POINTS = "/api/v1/natural/map/points?category=geological"
LISTED = "/api/v1/enforcement/map/listed"

# Every newly kept layer of the map (web/templates' map_layers.html of each capability).
KEPT = [
    RISK_POINTS, RISK_ENTERPRISES, "/api/v1/risk/map/major-hazards", "/api/v1/risk/map/grid",
    "/api/v1/risk/map/points?industry=hazardous_chemicals",
    SHELTERS, "/api/v1/resources/map/teams.geojson", "/api/v1/resources/map/warehouses.geojson",
    "/api/v1/resources/map/coverage.geojson",
    NATURAL_POINTS, "/api/v1/natural/map/points?category=flash_flood", "/api/v1/natural/map/fire-watches",
    "/api/v1/natural/map/uncovered-forest", "/api/v1/natural/map/census?layer=exposure",
    "/api/v1/natural/map/zoning", "/api/v1/natural/map/zoning?by=cell",
    LISTED,
]
# What a request reads besides its layer: who asks, and the generations themselves.
NOT_LAYER = {"users", "api_tokens", "map_layer_versions"}


def ids(response) -> list:
    return [f["properties"]["id"] for f in response.json()["features"]]


def props(response, id_) -> dict:
    return next(f["properties"] for f in response.json()["features"] if f["properties"]["id"] == id_)


@pytest.mark.parametrize("url", KEPT)
def test_each_layer_answers_304_to_its_etag(api, app, url):
    duty = api("duty")
    first = duty.get(url)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"].startswith("application/geo+json")
    assert first.headers["cache-control"] == "private, no-cache"
    builds = app.state.layer_cache.builds
    again = duty.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert app.state.layer_cache.builds == builds, "an unchanged layer must not be built again"


@pytest.mark.parametrize("url", KEPT)
def test_a_layer_declares_every_table_its_build_reads(api, app, monkeypatch, url):
    # A table read but not declared would leave the layer stale after a write of it.
    declared: set[str] = set()
    real = layers._rows_layer

    def declare(table: str) -> str:
        declared.add(table)
        return real(table)

    read: set[str] = set()

    def seen(state) -> None:
        if state.is_select:
            read.update(t.name for t in find_tables(state.statement, include_joins=True, include_selects=True,
                                                    check_columns=True) if hasattr(t, "name"))

    monkeypatch.setattr(layers, "_rows_layer", declare)
    event.listen(Session, "do_orm_execute", seen)
    try:
        assert api("duty").get(url).status_code == 200
    finally:
        event.remove(Session, "do_orm_execute", seen)
    assert read - NOT_LAYER, "the build was not seen"
    assert read - NOT_LAYER <= declared, f"{url} reads {sorted(read - NOT_LAYER - declared)} undeclared"


def test_a_deleted_risk_point_leaves_the_layer_on_the_next_request(api):
    duty = api("duty")
    first = duty.get(RISK_POINTS)
    gone = ids(first)[0]
    assert duty.delete(f"/api/v1/risk/points/{gone}").status_code == 204
    after = duty.get(RISK_POINTS, headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != first.headers["etag"]
    assert gone not in ids(after) and len(ids(after)) == len(ids(first)) - 1


def test_shelter_occupancy_set_through_the_api_is_on_the_next_layer(api):
    duty = api("duty")
    first = duty.get(SHELTERS)
    shelter = ids(first)[0]
    occupancy = props(first, shelter)["occupancy"] + 17
    r = duty.put(f"/api/v1/resources/shelters/{shelter}/occupancy", json={"occupancy": occupancy, "open": True})
    assert r.status_code == 200, r.text
    after = duty.get(SHELTERS, headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and props(after, shelter)["occupancy"] == occupancy


def test_people_of_a_hazard_point_edited_are_on_the_next_layer(api):
    duty = api("duty")
    first = duty.get(NATURAL_POINTS)
    point = ids(first)[0]
    people = props(first, point)["people"] + 3
    assert duty.patch(f"/api/v1/natural/points/{point}", json={"people": people}).status_code == 200
    after = duty.get(NATURAL_POINTS, headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and props(after, point)["people"] == people


def test_a_listed_enterprise_moved_or_removed_changes_the_listed_layer(api, database):
    duty = api("duty")
    first = duty.get(LISTED)
    enterprise = ids(first)[0]
    r = duty.patch(f"/api/v1/registry/enterprises/{enterprise}", json={"lon": 109.4, "lat": 24.3})
    assert r.status_code == 200, r.text
    moved = duty.get(LISTED, headers={"If-None-Match": first.headers["etag"]})
    assert moved.status_code == 200
    assert next(f for f in moved.json()["features"] if f["properties"]["id"] == enterprise)["geometry"] == {
        "type": "Point", "coordinates": [109.4, 24.3]}
    with database.transaction() as s:  # the listing ended by its own row (no event announces it)
        s.execute(select(Listing).where(Listing.enterprise_id == enterprise)).scalar_one().status = "removed"
    assert enterprise not in ids(duty.get(LISTED))


def test_a_listing_leaves_the_map_when_its_three_years_end(api, db, fixed_clock):
    listing = db.scalars(select(Listing).where(Listing.status == "listed")).first()
    fixed_clock(listing.ends_at - timedelta(minutes=1))
    duty = api("duty")
    assert listing.enterprise_id in ids(duty.get(LISTED))
    fixed_clock(listing.ends_at)
    assert listing.enterprise_id not in ids(duty.get(LISTED))


def test_a_rectification_deadline_passing_counts_the_hazard_overdue(api, database, fixed_clock):
    start = utcnow()
    fixed_clock(start)
    duty = api("duty")
    with database.transaction() as s:
        hazard = s.scalars(select(Hazard).where(Hazard.enterprise_id.is_not(None),
                                                Hazard.status.in_([HazardStatus.rectifying,
                                                                   HazardStatus.confirmed]))).first()
        assert hazard is not None, "the demo has a hazard under rectification"
        hazard.deadline, enterprise = start + timedelta(hours=2), hazard.enterprise_id
    before = props(duty.get(RISK_ENTERPRISES), enterprise)["overdue"]
    fixed_clock(start + timedelta(hours=2, seconds=1))
    assert props(duty.get(RISK_ENTERPRISES), enterprise)["overdue"] == before + 1


@pytest.mark.parametrize("url", [RISK_POINTS, SHELTERS, NATURAL_POINTS])
def test_a_township_officer_gets_the_layer_of_their_township(api, app, url):
    duty, labao = api("duty"), api("labao")
    whole = duty.get(url)
    own = labao.get(url, headers={"If-None-Match": whole.headers["etag"]})
    assert own.status_code == 200 and 0 < len(ids(own)) < len(ids(whole))
    app.state.layer_cache.clear()
    assert labao.get(url).content == own.content  # what a fresh build gives 拉堡镇's officer
    assert duty.get(url, headers={"If-None-Match": whole.headers["etag"]}).status_code == 304


def test_a_risk_point_written_through_a_plain_session_moves_the_layer(api, database):
    duty = api("duty")
    first = duty.get(RISK_POINTS)
    point = ids(first)[0]
    with database.transaction() as s:
        s.get(RiskPoint, point).name = "柳江图层测试风险点"
    assert props(duty.get(RISK_POINTS), point)["name"] == "柳江图层测试风险点"


def test_the_zoning_kept_is_still_named_as_its_export(api):
    r = api("duty").get("/api/v1/natural/map/zoning?by=cell")
    assert r.headers["content-disposition"].startswith('inline; filename="natural-zoning-cell.geojson"')
    again = api("duty").get("/api/v1/natural/map/zoning?by=cell", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
