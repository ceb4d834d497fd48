"""Facts warnings publishes (``core.events``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yingji.core.events import DomainEvent


@dataclass(frozen=True)
class WarningPublished(DomainEvent):
    """A signed local warning (first issue or update) was published; delivery has started."""

    warning_id: int
    identifier: str
    msg_type: str  # Alert / Update
    event_type: str
    level: str
    region_path: str
    village_codes: tuple[str, ...]
    references_id: int | None
    effective: datetime
    expires: datetime
    at: datetime
    drill: bool = False  # a drill warning (演练), sent to its test audience only


@dataclass(frozen=True)
class WarningCancelled(DomainEvent):
    """A published warning was lifted by a published cancel message (``cancel_id``)."""

    warning_id: int
    cancel_id: int
    event_type: str
    region_path: str
    at: datetime


@dataclass(frozen=True)
class WarningDraftOpened(DomainEvent):
    """A draft was opened without a person's click (from an alarm, by a configured rule)."""

    warning_id: int
    alarm_id: int
    event_type: str
    level: str
    at: datetime


@dataclass(frozen=True)
class WarningSubmitted(DomainEvent):
    """A draft was submitted for sign-off (签发): it waits for someone other than its author to sign it."""

    warning_id: int
    msg_type: str
    level: str
    headline: str
    region_path: str
    author_id: int | None
    at: datetime
