"""Roll-ups, retention and the chart series; the live stream."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from yingji.core.actor import SYSTEM
from yingji.monitoring import service
from yingji.monitoring.models import HourlyReading, Reading

from .helpers import T0, H, M, alarms_of, feed, make_rule, make_sensor


def test_hourly_rollup_retention_and_series_resolution(db, fixed_clock, monkeypatch) -> None:
    fixed_clock(T0 + 10 * 24 * H)
    gauge = make_sensor(db, "water_level")
    items = [
        {"sensor": gauge.code, "ts": (T0 + k * 20 * M).isoformat(), "value": 80.0 + (k % 3)} for k in range(9)
    ]  # 00:00 … 02:40, three readings an hour: 80, 81, 82
    assert service.ingest(db=db, actor=SYSTEM, items=items).accepted == 9
    written = service.rollup(db=db, now=T0 + 10 * 24 * H, since=T0)
    assert written >= 3
    hours = list(
        db.scalars(select(HourlyReading).where(HourlyReading.sensor_id == gauge.id).order_by(HourlyReading.hour))
    )
    assert [(h.hour, h.count, h.min, h.max, h.mean, h.sum) for h in hours] == [
        (T0 + k * H, 3, 80.0, 82.0, 81.0, 243.0) for k in range(3)
    ]
    short = service.series(db=db, actor=SYSTEM, sensor_id=gauge.id, start=T0, end=T0 + 3 * H)
    long = service.series(db=db, actor=SYSTEM, sensor_id=gauge.id, start=T0, end=T0 + 10 * 24 * H)
    assert short.resolution == "raw" and len(short.points) == 9
    assert long.resolution == "hourly" and [p["mean"] for p in long.points] == [81.0, 81.0, 81.0]
    monkeypatch.setenv("YINGJI_MONITORING_RAW_RETENTION_DAYS", "5")
    service.purge_raw(db=db, now=T0 + 10 * 24 * H)
    assert db.scalar(select(func.count()).select_from(Reading).where(Reading.sensor_id == gauge.id)) == 0
    kept = service.series(db=db, actor=SYSTEM, sensor_id=gauge.id, start=T0, end=T0 + 10 * 24 * H)
    assert len(kept.points) == 3  # the roll-ups outlive the raw readings


def test_unknown_sensor_filter_lists_nothing(api) -> None:
    r = api("duty").get("/api/v1/monitoring/alarms?sensor=NO-SUCH-SENSOR")
    assert r.status_code == 200 and r.json()["total"] == 0


def test_live_stream_sends_one_event_while_nothing_changes(api) -> None:
    # Five polls over one second with nothing changing: one event (the first token), not five.
    with api("duty").stream("GET", "/api/v1/monitoring/stream?poll_s=0.2&max_s=1") as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        body = "".join(r.iter_text())
    assert body.count("event: change") == 1 and '"token"' in body
    assert api("duty").get("/api/v1/monitoring/sensors/1/series?start=2026-06-01T00:00:00").status_code == 422


def _stream_token(api) -> str:
    with api("duty").stream("GET", "/api/v1/monitoring/stream?poll_s=0.2&max_s=1") as r:
        body = "".join(r.iter_text())
    return json.loads(body.split("event: change\ndata: ", 1)[1].split("\n", 1)[0])["token"]


def test_live_stream_token_changes_with_a_reading_and_an_alarm(db, api, fixed_clock) -> None:
    fixed_clock(T0 + 2 * H)
    gauge = make_sensor(db, "water_level")
    db.flush()
    first = _stream_token(api)
    assert _stream_token(api) == first  # nothing happened in between
    feed(db, gauge, (H, 80.0))
    after_reading = _stream_token(api)
    assert after_reading != first
    rule = {"op": ">=", "value": 85}
    make_rule(db, name="测试水位超限", kind="threshold", level="yellow", sensor_code=gauge.code, params=rule)
    db.flush()
    assert _stream_token(api) == after_reading  # a rule alone raises nothing
    feed(db, gauge, (H + 10 * M, 90.0))
    assert alarms_of(db, gauge), "the reading over the threshold raised an alarm"
    assert _stream_token(api) != after_reading


def test_partitions_on_postgresql_only(db) -> None:
    made = service.ensure_partitions(db=db, now=T0 + timedelta(days=400))
    if db.get_bind().dialect.name == "postgresql":
        assert made and all(name.startswith("monitoring_readings_2027") for name in made)
    else:
        assert made == []
