"""Tables of the risk capability. Enterprises and regions are linked by id, with ``region_path`` kept on
each row for scope checks (a prefix test)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime


class RiskPoint(Base):
    """A place or activity of an enterprise (or of a public place without one) graded 红橙黄蓝."""

    __tablename__ = "risk_points"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    place_name: Mapped[str] = mapped_column(String(200), default="")  # a public place with no enterprise record
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200), default="")
    activity: Mapped[str] = mapped_column(String(300), default="")
    hazards: Mapped[str] = mapped_column(Text, default="")
    controls: Mapped[str] = mapped_column(Text, default="")
    responsible_person: Mapped[str] = mapped_column(String(50), default="")
    responsible_phone: Mapped[str | None] = mapped_column(String(20))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(10))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    score: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    level: Mapped[str] = mapped_column(String(8), index=True)
    level_rank: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MajorHazardSource(Base):
    """A production or storage unit assessed under GB 18218-2018, with its inputs and result."""

    __tablename__ = "risk_major_hazards"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_type: Mapped[str] = mapped_column(String(12))
    substances: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    exposed_people: Mapped[int] = mapped_column(Integer, default=0)
    s_value: Mapped[float] = mapped_column(Float)
    r_value: Mapped[float | None] = mapped_column(Float)
    is_major: Mapped[bool] = mapped_column(Boolean)
    grade: Mapped[int | None] = mapped_column(Integer, index=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Hazard(Base):
    """A hidden hazard (事故隐患) and where it is in its closed loop."""

    __tablename__ = "risk_hazards"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    grade: Mapped[str] = mapped_column(String(8), index=True)
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), index=True)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    responsible_person: Mapped[str] = mapped_column(String(50), default="")
    responsible_phone: Mapped[str | None] = mapped_column(String(20))
    # 五落实 for a major hazard: responsibility, measures, funds, deadline (the ``deadline``), contingency plan.
    fa_responsibility: Mapped[str] = mapped_column(String(300), default="")
    fa_measures: Mapped[str] = mapped_column(Text, default="")
    fa_funds: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    fa_plan: Mapped[str] = mapped_column(Text, default="")
    reported_to_regulator_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supervised: Mapped[bool] = mapped_column(Boolean, default=False)
    supervising_unit: Mapped[str] = mapped_column(String(100), default="")
    supervised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    report_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HazardEvent(Base):
    """One step of a hazard's life: who, when, what, with text and photos."""

    __tablename__ = "risk_hazard_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("risk_hazards.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    attachment_ids: Mapped[list[int]] = mapped_column(JSON, default=list)


class PublicReport(Base):
    """An anonymous hazard report (举报): a lead until staff accept (→ hazard) or reject it."""

    __tablename__ = "risk_public_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    place: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(String(50), default="")
    attachment_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), index=True)
    hazard_id: Mapped[int | None] = mapped_column(Integer)
    decision_note: Mapped[str] = mapped_column(String(500), default="")
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReportCaptcha(Base):
    """An arithmetic question shown as an image; only the answer's hash is kept."""

    __tablename__ = "risk_report_captchas"
    __audit__ = False

    token: Mapped[str] = mapped_column(String(40), primary_key=True)
    answer_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class ReportThrottle(Base):
    """Public reports per client address (its hash) in the current window."""

    __tablename__ = "risk_report_throttles"
    __audit__ = False

    client_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int] = mapped_column(Integer, default=0)
