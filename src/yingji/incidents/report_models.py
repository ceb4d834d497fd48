"""Tables of the incident's reports beyond intake: the drawn affected area (for the impact estimate), the
natural-disaster reports (灾情报告 初报 / 续报 / 核报) with their per-township figures. Kept apart from
``models.py`` so the command-and-dispatch tables grow beside them without touching them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime


class AffectedArea(Base):
    """The area an incident affects, drawn on the map (a GeoJSON Polygon or MultiPolygon, WGS84)."""

    __tablename__ = "inc_affected_areas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), unique=True)
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(80))


class DisasterReport(Base):
    """One 灾情报告 as submitted: its kind, the time its figures stand at, the figures per township plus the
    district total (indicator keys of ``disaster_reports.INDICATORS``), the reasons for any figure lowered,
    and whether it was in time (the obligation it fulfilled, 迟报 minutes)."""

    __tablename__ = "inc_disaster_reports"
    __table_args__ = (UniqueConstraint("incident_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, … in the order submitted
    kind: Mapped[str] = mapped_column(String(10))  # initial | follow_up | final
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)  # 统计截止时间
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_by: Mapped[str] = mapped_column(String(80))
    figures: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON)  # area → indicator → decimal text
    reasons: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # "<area>.<indicator>" → 核减原因
    note: Mapped[str] = mapped_column(Text, default="")
    obligation_id: Mapped[int | None] = mapped_column(Integer)
    late_minutes: Mapped[int] = mapped_column(Integer, default=0)
