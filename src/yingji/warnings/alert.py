"""One warning message, independent of its XML dialect: what CAP 1.2 and the national format carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from yingji.warnings.enums import Level


@dataclass(frozen=True)
class Reference:
    sender: str
    identifier: str
    sent: str  # as written by the referenced message (CAP: "sender,identifier,sent")


@dataclass
class AlertData:
    identifier: str
    sender: str
    sent: datetime
    msg_type: str = "Alert"
    status: str = "Actual"
    scope: str = "Public"
    references: list[Reference] = field(default_factory=list)
    note: str = ""
    has_info: bool = True
    language: str = "zh-CN"
    event_type: str = "other"  # our code (enums / event_types.csv)
    event: str = ""  # the event text (label)
    category: str = "Other"
    level: Level | None = None
    headline: str = ""
    description: str = ""
    instruction: str = ""
    effective: datetime | None = None
    expires: datetime | None = None
    sender_name: str = ""
    sender_code: str = ""
    web: str = ""
    area_desc: str = ""
    polygons: list[list[list[float]]] = field(default_factory=list)  # GeoJSON-order rings
    circles: list[tuple[float, float, float]] = field(default_factory=list)  # lon, lat, radius (m)
    geocodes: list[str] = field(default_factory=list)  # 12-digit administrative codes
    methods: list[str] = field(default_factory=list)  # national format dissemination methods
