"""The MQTT subscriber: JSON readings on ``yingji/readings/<sensor code>`` (one object ``{"ts", "value"}`` or
an array of them), gathered into batches and fed to the same ingestion as HTTP, so a reading is stored once
whatever the path. Malformed messages are recorded as rejections with their reason and counted.

The broker's ACLs decide who may publish: the subscriber ingests as the system actor."""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import paho.mqtt.client as mqtt

from yingji.core.actor import SYSTEM
from yingji.core.db import Database
from yingji.core.errors import ValidationFailed
from yingji.core.jsonparse import TOO_DEEP, loads_items
from yingji.monitoring import service

log = logging.getLogger(__name__)
TOPIC_PREFIX = "yingji/readings/"


@dataclass
class Counters:
    messages: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    batches: int = 0
    errors: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    # Messages handled per sensor code (tests and the CLI summary wait on it).
    by_sensor: dict[str, int] = field(default_factory=dict)


def parse_message(topic: str, payload: bytes) -> tuple[list[dict], str | None]:
    """The readings of one message, or the reason it is malformed."""
    code = topic[len(TOPIC_PREFIX) :] if topic.startswith(TOPIC_PREFIX) else ""
    if not code or "/" in code:
        return [], f"主题不符合 {TOPIC_PREFIX}<传感器编码>"
    try:
        body = loads_items(payload, field="payload", message="消息不是合法的 JSON")
    except ValidationFailed as exc:
        return [], exc.details[0].message if exc.details[0].message == TOO_DEEP else "消息不是合法的 JSON"
    if not isinstance(body, dict | list):
        return [], "消息须为 JSON 对象 {ts, value} 或其数组"
    out = []
    for item in body if isinstance(body, list) else [body]:
        if not isinstance(item, dict):
            out.append(item)  # refused by the ingestion with its reason; the message's other readings stay
            continue
        if item.get("sensor", code) != code:
            return [], "消息中的 sensor 与主题不一致"
        out.append({**item, "sensor": code})
    return out, None


class Subscriber:
    def __init__(
        self, database: Database, url: str, *, batch_max: int = 5000, flush_s: float = 0.2, client_id: str = ""
    ) -> None:
        parsed = urlparse(url if "://" in url else f"mqtt://{url}")
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 1883
        self.username, self.password = parsed.username, parsed.password
        # Subscription QoS (``mqtt://host:1883?qos=1``). 0 by default: a broker delivering QoS 1 waits for
        # each acknowledgement within a small in-flight window and, under bursts, drops what overflows its
        # per-client queue (Mosquitto: max_queued_messages, 1000 by default).
        self.qos = int(parse_qs(parsed.query).get("qos", ["0"])[0])
        self.database, self.batch_max, self.flush_s = database, batch_max, flush_s
        self.counters = Counters()
        self.queue: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
        if self.username:
            self.client.username_pw_set(self.username, self.password)
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda _c, _u, msg: self.queue.put((msg.topic, msg.payload))

    def _on_connect(self, client, _userdata, _flags, reason_code, _props) -> None:
        if reason_code.is_failure:
            log.error("MQTT connection refused: %s", reason_code)
            return
        client.subscribe(TOPIC_PREFIX + "+", qos=self.qos)
        self.connected.set()
        log.info("MQTT subscriber listening on %s:%s %s+", self.host, self.port, TOPIC_PREFIX)

    def start(self, *, wait_s: float = 10.0) -> None:
        self.client.connect(self.host, self.port, keepalive=30)
        self.client.loop_start()
        self._worker = threading.Thread(target=self._run, daemon=True, name="mqtt-ingest")
        self._worker.start()
        if not self.connected.wait(wait_s):
            raise ConnectionError(f"无法连接 MQTT 服务器 {self.host}:{self.port}")

    def stop(self) -> None:
        self._stop.set()
        self.client.loop_stop()
        self.client.disconnect()
        if self._worker:
            self._worker.join(10)

    def _run(self) -> None:
        while not self._stop.is_set() or not self.queue.empty():
            messages = self._drain()
            if messages:
                try:
                    self.handle(messages)
                except Exception:  # a broken database must not kill the loop: count, log, go on
                    self.counters.errors += 1
                    log.exception("MQTT batch failed")
                    time.sleep(1)

    def _drain(self) -> list[tuple[str, bytes]]:
        try:
            first = self.queue.get(timeout=self.flush_s)
        except queue.Empty:
            return []
        out, deadline = [first], time.monotonic() + self.flush_s
        while len(out) < self.batch_max and time.monotonic() < deadline:
            try:
                out.append(self.queue.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                break
        return out

    def handle(self, messages: list[tuple[str, bytes]]) -> None:
        """Ingests a batch of raw messages in one transaction."""
        c = self.counters
        items: list[dict] = []
        pending: list[str | None] = []
        with self.database.transaction() as db:
            for topic, payload in messages:
                c.messages += 1
                readings, reason = parse_message(topic, payload)
                code = topic[len(TOPIC_PREFIX) :] if topic.startswith(TOPIC_PREFIX) else None
                if reason:
                    c.rejected += 1
                    c.reasons[reason] = c.reasons.get(reason, 0) + 1
                    service.record_rejection(
                        db=db,
                        source="mqtt",
                        sensor_code=code,
                        reason=reason,
                        payload=payload[:500].decode("utf-8", "replace"),
                    )
                items.extend(readings)
                pending.append(code)
            for start in range(0, len(items), service.MAX_BATCH):
                out = service.ingest(db=db, actor=SYSTEM, items=items[start : start + service.MAX_BATCH], source="mqtt")
                c.accepted += out.accepted
                c.duplicates += out.duplicates
                c.rejected += len(out.rejected)
                for _, reason in out.rejected:
                    key = reason.split("：")[0]
                    c.reasons[key] = c.reasons.get(key, 0) + 1
        c.batches += 1
        for code in pending:
            if code:
                c.by_sensor[code] = c.by_sensor.get(code, 0) + 1
