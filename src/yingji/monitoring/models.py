"""Tables of monitoring: sensors, readings (raw and hourly roll-ups), rules (versioned), alarms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime


class Sensor(Base):
    __tablename__ = "monitoring_sensors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    station: Mapped[str] = mapped_column(String(200), default="")
    department_code: Mapped[str | None] = mapped_column(String(64))
    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    region_id: Mapped[int] = mapped_column(Integer)
    region_path: Mapped[str] = mapped_column(String(255), index=True)
    unit: Mapped[str] = mapped_column(String(16))
    min_value: Mapped[float] = mapped_column(Float)
    max_value: Mapped[float] = mapped_column(Float)
    interval_s: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A drill sensor (演练) feeds the rules like any other; its alarms are drill alarms, kept out of figures.
    drill: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SensorState(Base):
    """What the rule engine remembers of a sensor between batches (never history): latest reading, the
    running total of its values and the running total at each recent hour boundary."""

    __tablename__ = "monitoring_sensor_states"
    __audit__ = False

    sensor_id: Mapped[int] = mapped_column(ForeignKey("monitoring_sensors.id", ondelete="CASCADE"), primary_key=True)
    last_ts: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_value: Mapped[float | None] = mapped_column(Float)
    cum: Mapped[float] = mapped_column(Float, default=0.0)
    # {"<hour epoch>": running total of the readings before that hour}, the last 74 hours.
    hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    readings: Mapped[int] = mapped_column(BigInteger, default=0)
    alarm_level: Mapped[str | None] = mapped_column(String(8))


class Reading(Base):
    """Raw readings, once per (sensor, ts). Partitioned by month on PostgreSQL (see the migration)."""

    __tablename__ = "monitoring_readings"
    __audit__ = False
    __table_args__ = {"postgresql_partition_by": "RANGE (ts)"}

    sensor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ts: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    # Running total of the sensor's values up to and including this reading: a window sum is a difference.
    cum: Mapped[float] = mapped_column(Float)


class HourlyReading(Base):
    __tablename__ = "monitoring_readings_hourly"
    __audit__ = False

    sensor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    min: Mapped[float] = mapped_column(Float)
    max: Mapped[float] = mapped_column(Float)
    mean: Mapped[float] = mapped_column(Float)
    sum: Mapped[float] = mapped_column(Float)


class Rule(Base):
    __tablename__ = "monitoring_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    # Rules of one group share one alarm per sensor (e.g. the four colours of the rainstorm signal).
    group: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[str] = mapped_column(String(8))
    sensor_kind: Mapped[str | None] = mapped_column(String(32))
    sensor_id: Mapped[int | None] = mapped_column(Integer)
    region_path: Mapped[str | None] = mapped_column(String(255))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    hold_s: Mapped[int] = mapped_column(Integer, default=900)
    escalate_after_s: Mapped[int] = mapped_column(Integer, default=600)
    pack: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(200), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RuleVersion(Base):
    __tablename__ = "monitoring_rule_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("monitoring_rules.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[int | None] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Alarm(Base):
    __tablename__ = "monitoring_alarms"
    __table_args__ = (Index("ix_monitoring_alarms_key_state", "group", "sensor_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[int] = mapped_column(Integer)
    rule_version: Mapped[int] = mapped_column(Integer)
    rule_name: Mapped[str] = mapped_column(String(200))
    sensor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    region_path: Mapped[str] = mapped_column(String(255), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(8))
    peak_level: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), index=True)
    value: Mapped[float | None] = mapped_column(Float)
    peak_value: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str] = mapped_column(String(500), default="")
    first_ts: Mapped[datetime] = mapped_column(UTCDateTime)
    last_ts: Mapped[datetime] = mapped_column(UTCDateTime)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hold_s: Mapped[int] = mapped_column(Integer)
    flaps: Mapped[int] = mapped_column(Integer, default=0)
    hits: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(Integer)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The event the alarm belongs to (one storm over several gauges, one site with several detectors): the
    # id of the event's first alarm, so that people see, acknowledge and warn about the event once.
    event_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # What makes alarms one event: "<sensor kind>:<township path>" or "site:<enterprise id>".
    event_key: Mapped[str] = mapped_column(String(120), default="")
    drill: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # raised on a drill sensor


class AlarmEvent(Base):
    __tablename__ = "monitoring_alarm_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alarm_id: Mapped[int] = mapped_column(ForeignKey("monitoring_alarms.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Rejection(Base):
    """A reading refused at ingestion, with its reason: counted and kept for review, never dropped silently."""

    __tablename__ = "monitoring_rejections"
    __audit__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(8))
    sensor_code: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
