"""The MQTT subscriber: JSON readings on ``yingji/readings/<sensor code>`` (one object ``{"ts", "value"}`` or
an array of them), gathered into batches and fed to the same ingestion as HTTP, so a reading is stored once
whatever the path. Malformed messages are recorded as rejections with their reason and counted.

No reading is lost over a restart: the subscription is QoS 1 on a persistent session (MQTT 5, clean start off,
a session expiry) under a stable client id, so the broker keeps what arrives while the subscriber is down;
and a message is acknowledged only after its readings are committed (paho's manual acknowledgement), so
what was received but not committed when the process died is delivered again. A reading delivered twice is
stored once: (sensor, ts) is the key of the readings table.

Several processes (or machines) split one stream through an MQTT 5 shared subscription
(``YINGJI_MQTT_SHARE_GROUP``): the broker gives each message to one member of the group.

The broker's ACLs decide who may publish: the subscriber ingests as the system actor."""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from yingji.core.actor import SYSTEM
from yingji.core.config import get_settings
from yingji.core.db import Database
from yingji.core.errors import ValidationFailed
from yingji.core.jsonparse import TOO_DEEP, loads_items
from yingji.monitoring import service

log = logging.getLogger(__name__)
TOPIC_PREFIX = "yingji/readings/"
# A message waiting for its acknowledgement: topic, payload, the broker's message id and QoS.
Message = tuple[str, bytes, int, int]


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


def parse_message(topic: str, payload: bytes, prefix: str = TOPIC_PREFIX) -> tuple[list[dict], str | None]:
    """The readings of one message, or the reason it is malformed."""
    code = topic[len(prefix) :] if topic.startswith(prefix) else ""
    if not code or "/" in code:
        return [], f"主题不符合 {prefix}<传感器编码>"
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
        self,
        database: Database,
        url: str,
        *,
        batch_max: int = 5000,
        flush_s: float = 0.2,
        client_id: str = "",
        topic_prefix: str = "",
        session_expiry_s: int | None = None,
        share_group: str | None = None,
    ) -> None:
        settings = get_settings()
        parsed = urlparse(url if "://" in url else f"mqtt://{url}")
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 1883
        self.username, self.password = parsed.username, parsed.password
        # QoS 1 (at least once): QoS 0 readings are dropped by the broker whenever the subscriber is away.
        self.qos = int(parse_qs(parsed.query).get("qos", ["1"])[0])
        self.prefix = topic_prefix or settings.mqtt_topic_prefix
        # The stable id names the broker's session: without a share group every process ingesting one
        # stream must share it (and run one at a time), or each gets its own copy of the stream; in a share
        # group each member has its own id and the broker splits the stream among them.
        self.client_id = client_id or settings.mqtt_client_id
        self.session_expiry_s = settings.mqtt_session_expiry_s if session_expiry_s is None else session_expiry_s
        self.share_group = settings.mqtt_share_group if share_group is None else share_group
        if self.share_group and any(ch in self.share_group for ch in "/+#"):
            raise ValueError("MQTT 共享订阅组名不能包含 / + #")
        self.database, self.batch_max, self.flush_s = database, batch_max, flush_s
        self.counters = Counters()
        self.queue: queue.Queue[Message] = queue.Queue()
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=mqtt.MQTTv5, manual_ack=True
        )
        if self.username:
            self.client.username_pw_set(self.username, self.password)
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda _c, _u, msg: self.queue.put((msg.topic, msg.payload, msg.mid, msg.qos))

    def _on_connect(self, client, _userdata, flags, reason_code, _props) -> None:
        if reason_code.is_failure:
            log.error("MQTT connection refused: %s", reason_code)
            return
        client.subscribe(self.topic_filter, qos=self.qos)
        self.connected.set()
        log.info(
            "MQTT subscriber %s listening on %s:%s %s (session %s)",
            self.client_id,
            self.host,
            self.port,
            self.topic_filter,
            "resumed" if flags.session_present else "new",
        )

    @property
    def topic_filter(self) -> str:
        """What is subscribed to. In a share group the broker hands each message to one member only;
        the messages still arrive under their own topic (``<prefix><sensor code>``)."""
        own = self.prefix + "+"
        return f"$share/{self.share_group}/{own}" if self.share_group else own

    def start(self, *, wait_s: float = 10.0) -> None:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = self.session_expiry_s
        self.client.connect(self.host, self.port, keepalive=30, clean_start=False, properties=props)
        self.client.loop_start()
        self._worker = threading.Thread(target=self._run, daemon=True, name="mqtt-ingest")
        self._worker.start()
        if not self.connected.wait(wait_s):
            raise ConnectionError(f"无法连接 MQTT 服务器 {self.host}:{self.port}")

    def stop(self) -> None:
        self._stop.set()
        if self._worker:
            self._worker.join(10)
        self.client.loop_stop()
        self.client.disconnect()

    def _run(self) -> None:
        while not self._stop.is_set():
            messages = self._drain()
            if messages:
                self._process(messages)

    def _process(self, messages: list[Message]) -> None:
        """Ingests and then acknowledges. A batch that fails is retried message by message, so one message
        that breaks it costs only itself (recorded as refused); while the database is unreachable nothing
        is acknowledged, and the broker delivers it all again after a restart."""
        try:
            self.handle(messages)
        except Exception:
            self.counters.errors += 1
            log.exception("MQTT batch failed; retrying its %d messages one by one", len(messages))
        else:
            self._ack(messages)
            return
        for message in messages:
            while not self._stop.is_set():
                try:
                    self.handle([message])
                    break
                except Exception:
                    log.exception("MQTT message on %s failed", message[0])
                try:
                    self._reject(message, "处理失败（已记录日志）")
                    break
                except Exception:  # the database itself is down: keep the message, try again
                    time.sleep(1)
            else:
                return  # stopping: the rest stays unacknowledged and comes back after the restart
            self._ack([message])

    def _ack(self, messages: list[Message]) -> None:
        for _topic, _payload, mid, qos in messages:
            if qos > 0:
                self.client.ack(mid, qos)

    def _reject(self, message: Message, reason: str) -> None:
        topic, payload = message[0], message[1]
        with self.database.transaction() as db:
            service.record_rejection(
                db=db,
                source="mqtt",
                sensor_code=topic[len(self.prefix) :] if topic.startswith(self.prefix) else None,
                reason=reason,
                payload=payload[:500].decode("utf-8", "replace"),
            )
        self.counters.rejected += 1
        self.counters.reasons[reason] = self.counters.reasons.get(reason, 0) + 1

    def _drain(self) -> list[Message]:
        """Up to ``batch_max`` messages: those arriving within ``flush_s`` of the first, ending early when the
        stream pauses (the broker sends only a window of unacknowledged QoS 1 messages, so waiting longer
        for more would only wait)."""
        try:
            first = self.queue.get(timeout=self.flush_s)
        except queue.Empty:
            return []
        out, deadline = [first], time.monotonic() + self.flush_s
        idle = min(0.02, self.flush_s)
        while len(out) < self.batch_max and time.monotonic() < deadline:
            try:
                out.append(self.queue.get(timeout=max(0.0, min(idle, deadline - time.monotonic()))))
            except queue.Empty:
                break
        return out

    def handle(self, messages: list[Message] | list[tuple[str, bytes]]) -> None:
        """Ingests a batch of raw messages in one transaction."""
        c = self.counters
        items: list[dict] = []
        pending: list[str | None] = []
        with self.database.transaction() as db:
            for topic, payload, *_ack in messages:
                c.messages += 1
                readings, reason = parse_message(topic, payload, self.prefix)
                code = topic[len(self.prefix) :] if topic.startswith(self.prefix) else None
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
