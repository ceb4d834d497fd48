"""A fake channel that lives in the code base: records what it was asked to send, and fails on demand."""

from __future__ import annotations

import logging
import threading

from yingji.channels.base import DeliveryResult, Message, Recipient

log = logging.getLogger(__name__)


class FakeChannel:
    def __init__(
        self, name: str, *, fail_addresses: set[str] | None = None, fail_all: bool = False, batch: int = 1
    ) -> None:
        self.name = name
        self.batch_limit = max(1, batch)
        self.batches: list[int] = []  # the size of each batch asked for
        if self.batch_limit == 1:
            self.send_batch = None  # type: ignore[assignment]
        self.fail_addresses = set(fail_addresses or ())
        self.fail_all = fail_all
        self.sent: list[tuple[Recipient, Message]] = []
        self._lock = threading.Lock()

    def send(self, *, to: Recipient, message: Message) -> DeliveryResult:
        if self.fail_all or to.address in self.fail_addresses:
            return DeliveryResult(ok=False, error=f"{self.name}: {to.address} 不可达")
        log.info("fake %s → %s: %s", self.name, to.address, message.text)
        with self._lock:
            self.sent.append((to, message))
            return DeliveryResult(ok=True, receipt=f"fake-{self.name}-{len(self.sent)}")

    def send_batch(self, *, to: list[Recipient], messages: list[Message]) -> list[DeliveryResult]:
        self.batches.append(len(to))
        return [self.send(to=t, message=m) for t, m in zip(to, messages, strict=True)]
