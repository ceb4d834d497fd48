"""Facts the natural capability publishes (``core.events``). Incidents and statistics may subscribe to
``EvacuationRecorded`` to roll the people moved up to the incident and its 灾情 figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yingji.core.events import DomainEvent


@dataclass(frozen=True)
class EvacuationRecorded(DomainEvent):
    """People of a hazard point were moved to safety (转移), for a warning or an incident."""

    evacuation_id: int
    point_id: int
    region_path: str
    people: int
    households: int
    warning_id: int | None
    incident_id: int | None
    at: datetime
