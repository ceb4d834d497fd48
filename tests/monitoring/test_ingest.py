"""Ingestion over HTTP and MQTT: mixed batches, dedupe across paths, the real Mosquitto broker."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import func, select

from yingji.core.clock import utcnow
from yingji.monitoring.models import Reading, Rejection
from yingji.monitoring.mqtt import Subscriber

from .helpers import make_sensor

URL = "/api/v1/monitoring/readings"


def test_mixed_batch_keeps_the_good_and_names_each_bad_reading(db, api) -> None:
    gauge = make_sensor(db, "water_level")
    db.flush()
    now = utcnow().replace(microsecond=0)
    ts = (now - timedelta(minutes=10)).isoformat()
    batch = [
        {"sensor": gauge.code, "ts": ts, "value": 81.2},
        {"sensor": "NO-SUCH", "ts": ts, "value": 1},
        {"sensor": gauge.code, "ts": (now - timedelta(minutes=5)).isoformat(), "value": 9999},
        {"sensor": gauge.code, "ts": (now + timedelta(hours=2)).isoformat(), "value": 80},
        {"sensor": gauge.code, "ts": "2026-06-01T08:00:00", "value": 80},
        {"sensor": gauge.code, "ts": "yesterday", "value": 80},
        "not an object",
        {"sensor": gauge.code, "ts": (now - timedelta(minutes=4)).isoformat(), "value": True},
        {"sensor": gauge.code, "ts": ts, "value": 81.2},
        {"sensor": gauge.code, "ts": (now - timedelta(minutes=3)).isoformat(), "value": 81.3},
    ]
    r = api("duty").post(URL, json=batch)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 2 and body["duplicates"] == 1
    reasons = {x["index"]: x["reason"] for x in body["rejected"]}
    assert sorted(reasons) == [1, 2, 3, 4, 5, 6, 7]
    assert "未知传感器" in reasons[1] and "超出有效范围" in reasons[2] and "未来" in reasons[3]
    assert "时区" in reasons[4] and "ISO-8601" in reasons[5] and "对象" in reasons[6] and "数字" in reasons[7]
    assert db.scalar(select(func.count()).select_from(Reading).where(Reading.sensor_id == gauge.id)) == 2
    recorded = db.scalar(select(func.count()).select_from(Rejection).where(Rejection.source == "http"))
    assert recorded >= 7
    seen = api("duty").get("/api/v1/monitoring/rejections").json()
    assert seen["total_24h"] >= 7 and any(x["sensor"] == "NO-SUCH" for x in seen["items"])
    assert api("leader").get("/api/v1/monitoring/rejections").status_code == 403
    again = api("duty").post(URL, json=batch[:1]).json()  # the same reading once more: a duplicate
    assert again == {"accepted": 0, "duplicates": 1, "rejected": []}


def test_batch_limits_and_malformed_body(api) -> None:
    r = api("duty").post(URL, content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "body"
    r = api("duty").post(URL, json=[{}] * 10_001)
    assert r.status_code == 422 and "10000" in r.json()["error"]["message"]


def _wait(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the MQTT subscriber")
        time.sleep(0.05)


def test_mqtt_against_the_real_broker_dedupes_with_http(db, api, database) -> None:
    gauge = make_sensor(db, "rain_gauge", code=f"MQ-{uuid.uuid4().hex[:10]}")
    db.flush()
    now = utcnow().replace(microsecond=0)
    t1, t2, t3 = (now - timedelta(minutes=m) for m in (15, 10, 5))
    r = api("duty").post(URL, json=[{"sensor": gauge.code, "ts": t.isoformat(), "value": 1.5} for t in (t1, t2)])
    assert r.json()["accepted"] == 2

    sub = Subscriber(database, "mqtt://127.0.0.1:1883", client_id=f"test-{uuid.uuid4().hex[:8]}", session_expiry_s=0)
    try:
        sub.start()
    except (ConnectionError, OSError):
        pytest.fail("Mosquitto is not reachable on 127.0.0.1:1883")
    seen = sub.counters
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    pub.connect("127.0.0.1", 1883)
    pub.loop_start()
    topic = f"yingji/readings/{gauge.code}"
    import json

    pub.publish(topic, json.dumps({"ts": t2.isoformat(), "value": 1.5}), qos=1).wait_for_publish(5)
    pub.publish(topic, json.dumps([{"ts": t3.isoformat(), "value": 2.0}]), qos=1).wait_for_publish(5)
    pub.publish(topic, b"{broken", qos=1).wait_for_publish(5)
    pub.publish(topic, json.dumps({"ts": t3.isoformat(), "value": -4}), qos=1).wait_for_publish(5)
    pub.loop_stop()
    pub.disconnect()
    _wait(lambda: seen.by_sensor.get(gauge.code, 0) >= 4)
    sub.stop()

    assert db.scalar(select(func.count()).select_from(Reading).where(Reading.sensor_id == gauge.id)) == 3
    reasons = list(db.scalars(select(Rejection.reason).where(Rejection.sensor_code == gauge.code)))
    assert "消息不是合法的 JSON" in reasons and any("超出有效范围" in x for x in reasons)
    assert seen.duplicates >= 1
    r = api("duty").post(URL, json=[{"sensor": gauge.code, "ts": t3.isoformat(), "value": 2.0}])
    assert r.json() == {"accepted": 0, "duplicates": 1, "rejected": []}
