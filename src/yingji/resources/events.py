"""Facts resources publishes (``core.events``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yingji.core.events import DomainEvent


@dataclass(frozen=True)
class StockIssued(DomainEvent):
    """An issue (出库) or transfer (调拨) document was posted: stock left the warehouse."""

    document_id: int
    number: str
    kind: str  # issue / transfer
    warehouse_id: int
    to_warehouse_id: int | None
    region_path: str
    lines: tuple[tuple[int, str], ...]  # (material id, quantity as a decimal string)
    at: datetime


@dataclass(frozen=True)
class TeamStatusChanged(DomainEvent):
    """A rescue team reported a new status (standby, dispatched, ...), by a user or its own link."""

    team_id: int
    region_path: str
    status: str
    previous_status: str | None
    note: str
    at: datetime


@dataclass(frozen=True)
class ShelterOccupancyChanged(DomainEvent):
    """A shelter's live occupancy (or open/closed) changed."""

    shelter_id: int
    region_path: str
    open: bool
    occupancy: int
    capacity: int
    at: datetime
