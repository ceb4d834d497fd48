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


class BatchChannel(Channel, Protocol):
    """A channel that takes many recipients in one request (an SMS cloud's batch API, the loudspeaker
    platform's group broadcast, one SMTP connection for many messages). ``batch_limit``: the most
    recipients it accepts in one request. ``send_batch`` answers one result per recipient, in order:
    a batch refused as a whole gives every recipient the same error, a batch refused part-way gives each
    recipient what the gateway said of it. Each message keeps its own key (the recipient's)."""

    batch_limit: int

    def send_batch(self, *, to: list[Recipient], messages: list[Message]) -> list[DeliveryResult]: ...


def batch_limit(channel: object) -> int:
    """How many recipients ``channel`` takes in one request: 1 unless it declares ``send_batch``."""
    if channel is None or not callable(getattr(channel, "send_batch", None)):
        return 1
    return max(1, int(getattr(channel, "batch_limit", 1) or 1))


def each(results: list[DeliveryResult], n: int) -> list[DeliveryResult]:
    """``results`` checked to be one per recipient (a gateway answering fewer is an error for the rest)."""
    if len(results) >= n:
        return results[:n]
    missing = DeliveryResult(ok=False, error="网关应答缺少该接收对象的结果")
    return list(results) + [missing] * (n - len(results))


def failure(exc: BaseException, *, permanent: bool = False) -> DeliveryResult:
    return DeliveryResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:480], permanent=permanent)
