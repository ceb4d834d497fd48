"""The one interface every delivery channel implements, and what passes through it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str  # phone, e-mail address, webhook URL, or loudspeaker device id / URL
    kind: str = ""


@dataclass(frozen=True)
class Message:
    key: str  # idempotency key: the same key is the same message (receivers drop repeats)
    headline: str
    text: str  # the full text for SMS, speech and e-mail body
    level: str = ""
    event: str = ""
    payload: dict = field(default_factory=dict)  # structured form for webhooks (CAP fields, URLs)


@dataclass(frozen=True)
class DeliveryResult:
    ok: bool
    receipt: str | None = None  # the gateway's message id / receipt
    error: str | None = None
    permanent: bool = False  # retrying will not help (bad address, channel not configured)


class Channel(Protocol):
    name: str

    def send(self, *, to: Recipient, message: Message) -> DeliveryResult: ...


def failure(exc: BaseException, *, permanent: bool = False) -> DeliveryResult:
    return DeliveryResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:480], permanent=permanent)
