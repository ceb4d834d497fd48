"""The demo sandbox gateway (演示通道): SMS, e-mail, webhook and loudspeaker adapters that live inside
Yingji, accept what they are sent, answer with a receipt, and keep what they received so that a page can
show it (the text each phone got; the loudspeaker's audio, spoken by espeak-ng when played).

It exists so that the demo district delivers end to end (delivery, receipts, coverage) without real
gateways. It is switched by ``YINGJI_CHANNEL_SANDBOX``: ``auto`` (default) only while the demo data set
is loaded, ``on`` explicitly (e.g. a training system without the demo data), ``off`` never. A production
database never holds the demo data set, so ``auto`` never enables it there.

What it received is appended to ``<data dir>/sandbox/received.jsonl`` (one JSON object per message, no
database writes: a district-wide warning must not double the load on SQLite).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from yingji.channels.base import DeliveryResult, Message, Recipient

PHONE = re.compile(r"^1[3-9]\d{9}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_lock = threading.Lock()


def sandbox_dir() -> Path:
    from yingji.core.config import get_settings

    return get_settings().data_dir / "sandbox"


class SandboxChannel:
    """One channel of the sandbox gateway. Refuses what a real gateway would refuse (a malformed phone
    number or e-mail address) with a gateway-style code, so failure reasons can be seen too."""

    sandbox = True

    def __init__(self, name: str, *, directory: Path | None = None) -> None:
        self.name = name
        self.directory = directory

    @property
    def path(self) -> Path:
        return (self.directory or sandbox_dir()) / "received.jsonl"

    def send(self, *, to: Recipient, message: Message) -> DeliveryResult:
        if self.name == "sms" and not PHONE.match(to.address):
            refused = "网关拒绝：代码 isv.MOBILE_NUMBER_ILLEGAL: 号码格式错误"
            return DeliveryResult(ok=False, error=refused, permanent=True)
        if self.name == "email" and not EMAIL.match(to.address):
            return DeliveryResult(ok=False, error="网关拒绝：代码 550: 邮箱地址无效", permanent=True)
        receipt = "sandbox-" + hashlib.sha1(f"{self.name}|{to.address}|{message.key}".encode()).hexdigest()[:16]
        record = {
            "receipt": receipt,
            "channel": self.name,
            "to": to.address,
            "name": to.name,
            "key": message.key,
            "headline": message.headline,
            "text": message.text,
            "level": message.level,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with _lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line)
        return DeliveryResult(ok=True, receipt=receipt)


def channels(directory: Path | None = None) -> dict[str, SandboxChannel]:
    return {name: SandboxChannel(name, directory=directory) for name in ("sms", "email", "webhook", "loudspeaker")}


def received(
    *, directory: Path | None = None, channel: str | None = None, address: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The latest messages the sandbox received, newest first (read from the end of the file)."""
    path = (directory or sandbox_dir()) / "received.jsonl"
    if not path.exists():
        return []
    keep: deque[dict[str, Any]] = deque(maxlen=limit)
    with path.open(encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if (channel and rec.get("channel") != channel) or (address and address not in rec.get("to", "")):
                continue
            keep.append(rec)
    return list(reversed(keep))


def find(receipt: str, *, directory: Path | None = None) -> dict[str, Any] | None:
    for rec in received(directory=directory, limit=1_000_000):
        if rec["receipt"] == receipt:
            return rec
    return None


def audio(receipt: str, *, directory: Path | None = None) -> bytes | None:
    """The loudspeaker's audio for one received message: espeak-ng (Mandarin), rendered once and kept."""
    from yingji.channels.loudspeaker import render_speech

    rec = find(receipt, directory=directory)
    if rec is None or rec["channel"] != "loudspeaker":
        return None
    cache = (directory or sandbox_dir()) / "audio" / (hashlib.sha1(rec["text"].encode()).hexdigest() + ".wav")
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(render_speech(rec["text"]))
    return cache.read_bytes()
