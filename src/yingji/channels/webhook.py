"""A JSON webhook for TV, radio and public-screen systems, HMAC-SHA256 signed.

Headers: ``X-Yingji-Timestamp`` (Unix seconds), ``X-Yingji-Signature: sha256=<hex>`` over
``"{timestamp}.{body}"`` with the shared secret, and ``Idempotency-Key`` (the delivery key). The receiver
checks the signature and the timestamp (e.g. ± 5 minutes) and drops repeated keys.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from yingji.channels import http
from yingji.channels.base import DeliveryResult, Message, Recipient


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class Webhook:
    name = "webhook"

    def __init__(self, *, secret: str, clock=time.time) -> None:
        if not secret:
            raise ValueError("Webhook 需要签名密钥")
        self.secret, self.clock = secret, clock

    def send(self, *, to: Recipient, message: Message) -> DeliveryResult:
        body = json.dumps(
            {
                "id": message.key,
                "headline": message.headline,
                "text": message.text,
                "level": message.level,
                "event": message.event,
                **message.payload,
            },
            ensure_ascii=False,
        ).encode()
        ts = str(int(self.clock()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Yingji-Timestamp": ts,
            "X-Yingji-Signature": signature(self.secret, ts, body),
            "Idempotency-Key": message.key,
        }
        return http.post(to.address, content=body, headers=headers, receipt=_receipt)


def _receipt(r) -> str | None:
    try:
        return str(r.json().get("receipt") or r.json().get("id") or r.status_code)
    except ValueError:
        return str(r.status_code)
