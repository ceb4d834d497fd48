"""No reading lost over a restart: the ingesting process (``yingji ingest mqtt``, a real subprocess) is killed
with SIGKILL during a publish run of thousands of QoS 1 readings against the local Mosquitto, started again,
and every reading the broker accepted (PUBACK) is stored exactly once.

The run is 3,000 readings in 600 messages of five: Mosquitto keeps at most ``max_queued_messages`` (1000 by
default) for an absent subscriber, so the messages of the outage must stay below it (docs/monitoring.md)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from yingji.core.clock import utcnow
from yingji.monitoring.models import Alarm, Reading, Rejection, Sensor, SensorState

from .helpers import make_sensor

MESSAGES, PER_MESSAGE = 600, 5
YINGJI = str(Path(sys.executable).with_name("yingji"))


class Ingester:
    """``yingji ingest mqtt`` in a process of its own; its output read line by line."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [YINGJI, "ingest", "mqtt"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(60):
            self.proc.kill()
            raise AssertionError("the ingester did not subscribe:\n" + "".join(self.lines))

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)
            if "正在接收" in line:
                self.ready.set()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _count(engine, sensor_id: int) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Reading).where(Reading.sensor_id == sensor_id))


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out: {what}")
        time.sleep(0.1)


def _drop_session(client_id: str) -> None:
    """Ends the test's persistent session on the shared broker (clean start, no expiry)."""
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 0
    c.connect("127.0.0.1", 1883, clean_start=True, properties=props)
    c.loop_start()
    time.sleep(0.3)
    c.disconnect()
    c.loop_stop()


def test_sigkill_during_a_publish_run_loses_nothing_and_stores_nothing_twice(engine, database_url, tmp_path) -> None:
    run = uuid.uuid4().hex[:10]
    prefix, client_id = f"test-{run}/readings/", f"yingji-kill-{run}"
    with Session(engine) as s:
        sensor = make_sensor(s, "rain_gauge", code=f"KILL-{run}")
        s.commit()
        sid, code = sensor.id, sensor.code
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "YINGJI_DATABASE_URL": database_url,
        "YINGJI_DATA_DIR": str(tmp_path),
        "YINGJI_SECRET_KEY": "test-secret-key",
        "YINGJI_MQTT_URL": "mqtt://127.0.0.1:1883",
        "YINGJI_MQTT_CLIENT_ID": client_id,
        "YINGJI_MQTT_TOPIC_PREFIX": prefix,
        "YINGJI_MQTT_SESSION_EXPIRY_S": "300",
    }
    start = (utcnow() - timedelta(hours=3)).replace(microsecond=0)
    stamps = [start + timedelta(seconds=i) for i in range(MESSAGES * PER_MESSAGE)]
    first = Ingester(env)
    second = None
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"pub-{run}")
    pub.max_queued_messages_set(0)
    pub.connect("127.0.0.1", 1883)
    pub.loop_start()
    try:
        sent = []
        for m in range(MESSAGES):
            chunk = stamps[m * PER_MESSAGE : (m + 1) * PER_MESSAGE]
            body = json.dumps([{"ts": t.isoformat(), "value": 0.0} for t in chunk])
            sent.append((chunk, pub.publish(prefix + code, body, qos=1)))
            if m == MESSAGES // 4:  # a quarter published: kill the ingester once it is storing
                _wait(lambda: _count(engine, sid) > 0, 60, "first readings stored")
                first.kill()
                at_kill = _count(engine, sid)
            if m == MESSAGES * 3 // 4:  # half the run published while it was dead: start it again
                second = Ingester(env)
            time.sleep(0.002)
        for _chunk, info in sent:
            info.wait_for_publish(30)
        accepted = {t for chunk, info in sent if info.is_published() for t in chunk}
        assert len(accepted) == MESSAGES * PER_MESSAGE  # the broker acknowledged every message
        assert at_kill < len(accepted)  # killed in the middle of the run
        _wait(lambda: _count(engine, sid) >= len(accepted), 120, f"{len(accepted)} readings stored")
        time.sleep(1.0)  # anything redelivered after the last one would show up now
        with Session(engine) as s:
            stored = list(s.scalars(select(Reading.ts).where(Reading.sensor_id == sid)))
        assert len(stored) == len(accepted)
        assert {t.replace(tzinfo=None) for t in stored} == {t.replace(tzinfo=None) for t in accepted}
        assert any("session resumed" in line for line in second.lines), "".join(second.lines)
    finally:
        pub.loop_stop()
        pub.disconnect()
        first.stop()
        if second:
            second.stop()
        _drop_session(client_id)
        with Session(engine) as s:
            s.execute(delete(Reading).where(Reading.sensor_id == sid))
            s.execute(delete(Rejection).where(Rejection.sensor_code == code))
            s.execute(delete(Alarm).where(Alarm.sensor_id == sid))
            s.execute(delete(SensorState).where(SensorState.sensor_id == sid))
            s.execute(delete(Sensor).where(Sensor.id == sid))
            s.commit()
