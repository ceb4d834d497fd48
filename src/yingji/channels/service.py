"""What other capabilities ask of the channels: which adapters are configured, and a text message to a
phone that must not be lost (queued in the caller's transaction, sent by the outbox with retries)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from yingji.core import outbox

SMS_TOPIC = "channels.sms"


def configured(channels: dict[str, Any] | None = None) -> dict[str, Any]:
    """The adapters in use: those wired by ``bootstrap`` (tests, fakes), else those the settings name."""
    if channels is not None:
        return channels
    from yingji import bootstrap
    from yingji.channels.config import from_settings

    return bootstrap.channels() or from_settings()


def enqueue_sms(db: Session, *, phone: str, headline: str, text: str, key: str) -> None:
    """Queues one SMS; the same ``key`` is queued (and sent) once."""
    outbox.enqueue(db, topic=SMS_TOPIC, payload={"phone": phone, "headline": headline, "text": text}, key=key)
