"""Two ingesting subscribers on one shared subscription (``$share/<group>/…``, the local Mosquitto) split
the stream: every published reading is stored exactly once, and each message was handled by one of them
only (the (sensor, ts) key alone would hide a stream received twice, so the counters are checked too)."""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from yingji.core.clock import utcnow
from yingji.core.db import Database
from yingji.core.outbox import OutboxMessage
from yingji.monitoring.models import Alarm, Reading, Sensor, SensorState
from yingji.monitoring.mqtt import Subscriber

from .helpers import make_sensor

MESSAGES = 400


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out: {what}")
        time.sleep(0.05)


def test_two_subscribers_in_a_share_group_store_every_reading_exactly_once(engine, database_url) -> None:
    run = uuid.uuid4().hex[:10]
    prefix, group = f"test-{run}/readings/", f"ingest-{run}"
    with Session(engine) as s:
        # What the readings enqueue (their alarms' events and escalations) is removed with them below: left
        # in the shared database, a later test's outbox drain would meet it.
        outbox_before = s.scalar(select(func.max(OutboxMessage.id))) or 0
        sensors = [make_sensor(s, "rain_gauge", code=f"SH{k}-{run}") for k in range(4)]
        s.commit()
        ids, codes = [x.id for x in sensors], [x.code for x in sensors]
    subs = [
        Subscriber(Database.from_url(database_url), "mqtt://127.0.0.1:1883", client_id=f"{group}-{k}",
                   topic_prefix=prefix, session_expiry_s=0, share_group=group, flush_s=0.05)
        for k in range(2)
    ]
    assert subs[0].topic_filter == f"$share/{group}/{prefix}+"
    try:
        for sub in subs:
            sub.start()
    except (ConnectionError, OSError):
        pytest.fail("Mosquitto is not reachable on 127.0.0.1:1883")
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"pub-{run}")
    pub.max_queued_messages_set(0)
    pub.connect("127.0.0.1", 1883)
    pub.loop_start()
    start = (utcnow() - timedelta(hours=2)).replace(microsecond=0)
    try:
        sent = [
            pub.publish(prefix + codes[m % 4], json.dumps({"ts": (start + timedelta(seconds=m)).isoformat(),
                                                           "value": 1.0}), qos=1)
            for m in range(MESSAGES)
        ]
        for info in sent:
            info.wait_for_publish(30)
        _wait(lambda: sum(s.counters.messages for s in subs) >= MESSAGES, 60, f"{MESSAGES} messages handled")
        time.sleep(0.5)  # a message handled twice would show up now
    finally:
        pub.loop_stop()
        pub.disconnect()
        for sub in subs:
            sub.stop()
            sub.database.bind.dispose()
        with Session(engine) as s:
            stored = s.scalar(select(func.count()).select_from(Reading).where(Reading.sensor_id.in_(ids)))
            for table in (Reading, Alarm, SensorState):  # the shared test database stays as it was
                s.execute(delete(table).where(table.sensor_id.in_(ids)))
            s.execute(delete(Sensor).where(Sensor.id.in_(ids)))
            s.execute(delete(OutboxMessage).where(OutboxMessage.id > outbox_before))
            s.commit()
    handled = [sub.counters.messages for sub in subs]
    assert stored == MESSAGES
    assert sum(handled) == MESSAGES, handled  # no message went to both
    assert all(n > 0 for n in handled), handled  # both took part
    assert sum(sub.counters.duplicates for sub in subs) == 0
