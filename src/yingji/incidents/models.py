"""Tables of the incidents capability: incidents and every report of them, casualty-count changes, grade
history, reporting obligations (报告时限), one ordered timeline, alarm proposals, and the duty room (roster
per day, handovers, open items)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime

# The four counts whose every change is recorded (漏报/谎报 are traced through them).
CASUALTY_FIELDS = ("deaths", "missing", "serious_injuries", "trapped")


class Incident(Base):
    __tablename__ = "inc_incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), index=True)  # data/kinds.toml
    incident_class: Mapped[str] = mapped_column(String(30))
    scheme: Mapped[str] = mapped_column(String(10))  # accident | natural | none
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    region_code: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(300), default="")
    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # received by the duty room
    source: Mapped[str] = mapped_column(String(12))  # phone | officer | enterprise | alarm | upstream
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)  # open | closed | merged
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("inc_incidents.id"))
    grade: Mapped[str] = mapped_column(String(3), default="")  # I–IV, relief level 1–4, "" none
    grade_label: Mapped[str] = mapped_column(String(40), default="")
    near_miss: Mapped[bool] = mapped_column(Boolean, default=False)  # 较大涉险事故
    drill: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    deaths: Mapped[int] = mapped_column(Integer, default=0)
    missing: Mapped[int] = mapped_column(Integer, default=0)
    serious_injuries: Mapped[int] = mapped_column(Integer, default=0)
    trapped: Mapped[int] = mapped_column(Integer, default=0)
    direct_loss_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2), default=Decimal(0))
    description: Mapped[str] = mapped_column(Text, default="")
    stabilised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    # Optimistic locking: a change names the version it was made on; another's change in between is a 409.
    version: Mapped[int] = mapped_column(Integer, default=1)


class IncidentReport(Base):
    """One report of an incident, kept as made; merging duplicates repoints reports, never drops them."""

    __tablename__ = "inc_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), index=True)
    first_incident_id: Mapped[int] = mapped_column(Integer)  # the incident it opened or was filed under
    source: Mapped[str] = mapped_column(String(12))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_by_id: Mapped[int | None] = mapped_column(Integer, index=True)
    reporter_name: Mapped[str] = mapped_column(String(50), default="")
    reporter_phone: Mapped[str] = mapped_column(String(20), default="")
    enterprise_id: Mapped[int | None] = mapped_column(Integer)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    region_path: Mapped[str] = mapped_column(String(400))
    address: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # casualties as this report gave them
    attachment_ids: Mapped[list[int]] = mapped_column(JSON, default=list)


class CasualtyChange(Base):
    __tablename__ = "inc_casualty_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))  # CASUALTY_FIELDS
    old: Mapped[int] = mapped_column(Integer)
    new: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200))  # who said so: "拉堡镇卫生院电话", a report's number
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(String(500), default="")


class GradeChange(Base):
    __tablename__ = "inc_grade_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), index=True)
    old_grade: Mapped[str] = mapped_column(String(3))
    new_grade: Mapped[str] = mapped_column(String(3))
    label: Mapped[str] = mapped_column(String(40))
    near_miss: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_name: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(300), default="")


class Obligation(Base):
    """A report the incident owes (报告时限) with its deadline; fulfilled late, it is 迟报 by ``late_minutes``."""

    __tablename__ = "inc_obligations"
    __table_args__ = (UniqueConstraint("incident_id", "code", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(120))
    basis: Mapped[str] = mapped_column(String(200), default="")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    # open | fulfilled | cancelled (no longer owed: the grade fell, the incident merged into another)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fulfilled_by: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    late_minutes: Mapped[int] = mapped_column(Integer, default=0)
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the duty officer
    leader_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # after the grace period


class TimelineEntry(Base):
    """Everything that happened to an incident, in one ordered list."""

    __tablename__ = "inc_timeline"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(20))  # report | grade | casualty | obligation | merge | status | note
    text: Mapped[str] = mapped_column(Text)
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    ref_id: Mapped[int | None] = mapped_column(Integer)


class AlarmProposal(Base):
    """An alarm proposed to the duty officer as a possible incident; only a person opens the incident."""

    __tablename__ = "inc_alarm_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alarm_id: Mapped[int] = mapped_column(Integer, unique=True)
    level: Mapped[str] = mapped_column(String(10))
    sensor_kind: Mapped[str | None] = mapped_column(String(30))
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    rule_name: Mapped[str] = mapped_column(String(200))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # pending|accepted|dismissed
    incident_id: Mapped[int | None] = mapped_column(Integer)
    decided_by: Mapped[str] = mapped_column(String(80), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DutyAssignment(Base):
    """One person on the roster of a duty day: the leader on duty, a duty officer, a township's contact."""

    __tablename__ = "inc_duty_assignments"
    __table_args__ = (UniqueConstraint("day", "role", "region_code", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    role: Mapped[str] = mapped_column(String(10))  # leader | officer | township
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20), default="")
    user_id: Mapped[int | None] = mapped_column(Integer)  # the account, when the name matches one
    region_code: Mapped[str] = mapped_column(String(20), default="")  # township contacts only
    region_name: Mapped[str] = mapped_column(String(50), default="")


class DutyItem(Base):
    """An open matter of the duty room, carried from shift to shift until someone closes it."""

    __tablename__ = "inc_duty_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(500))
    incident_id: Mapped[int | None] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_by: Mapped[str] = mapped_column(String(80))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str] = mapped_column(String(80), default="")
    carried: Mapped[int] = mapped_column(Integer, default=0)  # how many handovers it has crossed


class Handover(Base):
    """交接班: one shift hands over to the next with the open items it carries."""

    __tablename__ = "inc_handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)  # the duty day handed over
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    from_name: Mapped[str] = mapped_column(String(80))
    to_name: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")
    carried_item_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    actor_id: Mapped[int | None] = mapped_column(Integer)


# The command workspace and dispatch, and the report tables (affected area, 灾情报告), live in their own
# modules; importing them here keeps ``Base.metadata`` complete wherever the capability's models are loaded.
from yingji.incidents import command_models as command_models  # noqa: E402
from yingji.incidents import drill_models as drill_models  # noqa: E402
from yingji.incidents import report_models as report_models  # noqa: E402
