"""Map layers cached per change: an ETag, 304 to a browser that has the layer, a rebuild when an event
that changes the layer is published (and only then), the JSON serialised once for every client."""

from __future__ import annotations

from datetime import timedelta

from tests.warnings.helpers import NOW, published
from yingji.core import events, layercache
from yingji.monitoring.events import AlarmRaised
from yingji.warnings.events import WarningCancelled

WARNINGS = "/api/v1/warnings/map.geojson"
SENSORS = "/api/v1/monitoring/sensors.geojson"


def test_etag_answers_304_until_a_publication_changes_the_layer(api, app, fixed_clock):
    duty = api("duty")
    first = duty.get(WARNINGS)
    assert first.status_code == 200 and first.headers["content-type"].startswith("application/geo+json")
    etag = first.headers["etag"]
    assert etag.startswith('"') and first.headers["cache-control"] == "private, no-cache"
    again = duty.get(WARNINGS, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag

    w = published(api, rows=False)  # WarningPublished
    after = duty.get(WARNINGS, headers={"If-None-Match": etag})
    assert after.status_code == 200, "the publication must invalidate the cached layer"
    assert after.headers["etag"] != etag
    assert w["id"] in [f["id"] for f in after.json()["features"]]
    assert duty.get(WARNINGS, headers={"If-None-Match": after.headers["etag"]}).status_code == 304


def test_layer_is_serialised_once_for_every_client_until_an_event(api, app, db, fixed_clock):
    cache = app.state.layer_cache
    duty = api("duty")
    builds = cache.builds
    bodies = {duty.get(SENSORS).content for _ in range(5)}
    assert len(bodies) == 1 and cache.builds == builds + 1, "an unchanged layer must be built once"
    builds = cache.builds

    events.publish(db, AlarmRaised(alarm_id=1, level="red", previous_level=None, sensor_kind="rain",
                                   region_path="450206000000", rule_name="test", at=NOW, drill=True))
    db.flush()
    duty.get(SENSORS)
    assert cache.builds == builds + 1, "AlarmRaised must invalidate the sensor layer"
    duty.get(SENSORS)
    assert cache.builds == builds + 1


def test_cancellation_event_bumps_the_generation_in_its_own_transaction(db):
    before = layercache.version(db, "warnings")
    events.publish(db, WarningCancelled(warning_id=1, cancel_id=2, event_type="rainstorm",
                                        region_path="450206000000", at=NOW))
    assert layercache.version(db, "warnings") == before + 1  # no outbox round needed: same transaction


def test_expiry_of_a_warning_ends_the_cached_layer_without_an_event(api, fixed_clock):
    w = published(api, rows=False, expires=(NOW + timedelta(hours=1)).isoformat())
    duty = api("duty")
    assert w["id"] in [f["id"] for f in duty.get(WARNINGS).json()["features"]]
    fixed_clock(NOW + timedelta(hours=1, seconds=1))
    assert w["id"] not in [f["id"] for f in duty.get(WARNINGS).json()["features"]]


def test_each_scope_has_its_own_layer(api, fixed_clock):
    # 拉堡镇's officer sees only the sensors of 拉堡镇; the duty officer all of them: an ETag of one
    # never stands for the other's layer.
    duty, labao = api("duty").get(SENSORS), api("labao").get(SENSORS)
    assert len(labao.json()["features"]) < len(duty.json()["features"])
    assert labao.headers["etag"] != duty.headers["etag"]
    other = api("labao").get(SENSORS, headers={"If-None-Match": duty.headers["etag"]})
    assert other.status_code == 200 and other.json() == labao.json()

