"""Facts monitoring publishes (``core.events``); other capabilities subscribe to them by type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yingji.core.events import DomainEvent


@dataclass(frozen=True)
class AlarmRaised(DomainEvent):
    """An alarm opened, or its level rose (``previous_level`` set)."""

    alarm_id: int
    level: str
    previous_level: str | None
    sensor_kind: str | None  # None: a combination rule over an area
    region_path: str
    rule_name: str
    at: datetime
    drill: bool = False  # raised on a drill sensor (演练): no real warning draft, no incident proposal


@dataclass(frozen=True)
class AlarmEscalated(DomainEvent):
    """A red alarm stayed unacknowledged past its rule's delay; the bureau leaders were notified."""

    alarm_id: int
    region_path: str
    leader_ids: tuple[int, ...]
    at: datetime


@dataclass(frozen=True)
class AlarmResolved(DomainEvent):
    """An alarm ended: resolved by itself after its hold, or closed by a person (``closed_by``)."""

    alarm_id: int
    region_path: str
    state: str
    closed_by: int | None
    at: datetime
