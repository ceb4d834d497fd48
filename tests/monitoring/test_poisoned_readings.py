"""One poisoned reading never costs the others: a value of 401 digits, a ts of 9999-12-31 or 0001-01-01+14:00,
or JSON nested 100,000 deep is rejected by itself with its reason, over HTTP and over MQTT, and the rest of
the batch is stored. Deep JSON anywhere over HTTP is a 422, never a 500."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from yingji.core.clock import utcnow
from yingji.monitoring.models import Reading, Rejection
from yingji.monitoring.mqtt import Subscriber

from .helpers import make_sensor

URL = "/api/v1/monitoring/readings"
DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000


def _stored(db, sensor) -> int:
    return db.scalar(select(func.count()).select_from(Reading).where(Reading.sensor_id == sensor.id))


def _poisoned_batch(code: str) -> tuple[str, list[int]]:
    """A raw JSON batch: two good readings around every poison; the indices of the poisoned ones."""
    now = utcnow().replace(microsecond=0)
    good = [json.dumps({"sensor": code, "ts": (now - timedelta(minutes=m)).isoformat(), "value": 1.5}) for m in (9, 3)]
    ts = (now - timedelta(minutes=6)).isoformat()
    poisons = [
        '{{"sensor": "{}", "ts": "{}", "value": {}}}'.format(code, ts, "9" * 401),  # no float holds it
        f'{{"sensor": "{code}", "ts": "9999-12-31T23:59:59+00:00", "value": 1}}',
        f'{{"sensor": "{code}", "ts": "9999-12-31T23:59:59-14:00", "value": 1}}',  # past year 9999 in UTC
        f'{{"sensor": "{code}", "ts": "0001-01-01T00:00:00+14:00", "value": 1}}',  # before year 1 in UTC
        DEEP,
        f'{{"sensor": "{code}", "ts": "{ts}", "value": {DEEP_OBJECT}}}',
    ]
    return "[" + ",".join([good[0], *poisons, good[1]]) + "]", list(range(1, 1 + len(poisons)))


def test_http_rejects_each_poison_by_itself_and_stores_the_rest(db, api) -> None:
    gauge = make_sensor(db, "rain_gauge")
    db.flush()
    body, poisoned = _poisoned_batch(gauge.code)
    r = api("duty").post(URL, content=body.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text[:500]
    out = r.json()
    assert out["accepted"] == 2
    reasons = {x["index"]: x["reason"] for x in out["rejected"]}
    assert sorted(reasons) == poisoned
    assert "value" in reasons[1]
    assert all("ts" in reasons[i] for i in (2, 3, 4))
    assert "嵌套" in reasons[5] and "嵌套" in reasons[6]
    assert _stored(db, gauge) == 2
    recorded = db.scalar(select(func.count()).select_from(Rejection).where(Rejection.source == "http"))
    assert recorded >= len(poisoned)


def test_http_deep_json_body_is_a_422_not_a_500(api) -> None:
    duty = api("duty")
    # A top-level array is read element by element: its one element nested too deep is rejected by itself.
    r = duty.post(URL, content=DEEP.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text[:300]
    assert r.json()["accepted"] == 0 and [x["index"] for x in r.json()["rejected"]] == [0]
    assert "嵌套" in r.json()["rejected"][0]["reason"]
    for body in (DEEP_OBJECT, f'{{"readings": {DEEP}}}'):
        r = duty.post(URL, content=body.encode(), headers={"content-type": "application/json"})
        assert r.status_code == 422, r.text[:300]
        assert r.json()["error"]["details"][0]["field"] == "body"
    # Endpoints whose body FastAPI parses: the same 422, with the error shape.
    r = duty.post("/api/v1/risk/hazards", content=DEEP_OBJECT.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text[:300]
    assert r.json()["error"]["details"][0]["field"] == "body"


def test_mqtt_rejects_each_poison_by_itself_and_stores_the_rest(db, database) -> None:
    gauge = make_sensor(db, "rain_gauge", code=f"MQP-{uuid.uuid4().hex[:10]}")
    db.commit()
    body, poisoned = _poisoned_batch(gauge.code)
    items = json.loads(body.replace(DEEP, "null").replace(DEEP_OBJECT, "null"))
    topic = f"yingji/readings/{gauge.code}"
    now = utcnow().replace(microsecond=0)
    ts = (now - timedelta(minutes=6)).isoformat()
    # Each poison as a message of its own, and the batch as one message: one handling of all of them.
    messages = [(topic, json.dumps({"ts": items[0]["ts"], "value": 1.5}).encode())]
    messages += [
        (topic, ('{{"ts": "{}", "value": {}}}'.format(ts, "9" * 401)).encode()),
        (topic, b'{"ts": "9999-12-31T23:59:59-14:00", "value": 1}'),
        (topic, b'{"ts": "0001-01-01T00:00:00+14:00", "value": 1}'),
        (topic, DEEP.encode()),
        (topic, (f'{{"ts": "{ts}", "value": {DEEP_OBJECT}}}').encode()),
        (topic, ("[" + json.dumps({"ts": items[-1]["ts"], "value": 1.5}) + "," + DEEP + "]").encode()),
    ]
    sub = Subscriber(database, "mqtt://127.0.0.1:1883", client_id=f"poison-{uuid.uuid4().hex[:8]}")
    sub.handle(messages)
    assert sub.counters.errors == 0
    assert sub.counters.accepted == 2
    assert _stored(db, gauge) == 2
    reasons = list(db.scalars(select(Rejection.reason).where(Rejection.source == "mqtt")))
    assert sum("嵌套" in x for x in reasons) >= 3
    assert any(x.startswith("value") for x in reasons)
    assert sum(x.startswith("ts") for x in reasons) >= 2
    assert len(poisoned) == 6
