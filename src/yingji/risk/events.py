"""Facts risk publishes (``core.events``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yingji.core.events import DomainEvent


@dataclass(frozen=True)
class HazardReported(DomainEvent):
    """A hazard (隐患) was reported."""

    hazard_id: int
    code: str
    grade: str  # general / major
    region_path: str
    enterprise_id: int | None
    lon: float | None
    lat: float | None
    at: datetime


@dataclass(frozen=True)
class HazardClosed(DomainEvent):
    """A hazard's rectification was accepted and the hazard closed (销号)."""

    hazard_id: int
    code: str
    grade: str
    region_path: str
    at: datetime


@dataclass(frozen=True)
class HazardOverdue(DomainEvent):
    """A hazard passed its rectification deadline unrectified; ``level`` 1 the responsible person was
    reminded, 2 the supervising department was notified."""

    hazard_id: int
    code: str
    grade: str
    region_path: str
    deadline: datetime
    level: int
    at: datetime
