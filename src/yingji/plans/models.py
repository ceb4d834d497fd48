"""Tables of the plans capability: the plan registry with its document versions, filings (备案), revision
triggers and evaluations, drills with their follow-up actions, and training (people, courses, attendance,
certificates). Enterprises are linked by id; ``region_path`` on each row is the owner's place, kept for the
scope checks (a prefix test)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime


class Plan(Base):
    """One emergency plan (应急预案) of a government, department, township, village or enterprise."""

    __tablename__ = "plan_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)  # enums.PlanKind
    level: Mapped[str] = mapped_column(String(12))  # district / township / village / enterprise
    owner_type: Mapped[str] = mapped_column(String(12))  # government / department / township / village / enterprise
    owner_name: Mapped[str] = mapped_column(String(200))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    department_code: Mapped[str | None] = mapped_column(String(40))
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    high_risk: Mapped[bool] = mapped_column(Boolean, default=False)  # the owner is in a high-risk industry
    review_required: Mapped[bool] = mapped_column(Boolean, default=False)  # 评审 mandatory (令2 第二十一条)
    incident_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    area_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{"level": "I", "label": "一级响应", "trigger": {"min_deaths": 10, ...}, "tasks": ["..."]}]
    response_levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    command: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"role", "post", "person"}]
    resources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="in_force")  # draft / in_force / repealed
    published_on: Mapped[date | None] = mapped_column(Date)
    last_evaluated_on: Mapped[date | None] = mapped_column(Date)
    needs_refiling: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who answers for the plan (its reminders by SMS go to this phone); empty: no SMS, the 待办 only.
    responsible_person: Mapped[str] = mapped_column(String(50), default="", server_default="")
    responsible_phone: Mapped[str] = mapped_column(String(20), default="", server_default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlanVersion(Base):
    """One version of the plan's document; every version is kept, one is current."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    attachment_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    changed_parts: Mapped[list[str]] = mapped_column(JSON, default=list)
    requires_refiling: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Filing(Base):
    """A submission for filing (备案) and the bureau's answer."""

    __tablename__ = "plan_filings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_plans.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id", ondelete="SET NULL"))
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)
    materials: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # material key → attachment id
    checklist: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)  # the bureau's check, item → passed
    status: Mapped[str] = mapped_column(String(14), index=True)  # submitted / accepted / returned / deemed_filed
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # end of the 5th working day
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text, default="")
    certificate_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    submitted_by: Mapped[int | None] = mapped_column(Integer)
    submitter_name: Mapped[str] = mapped_column(String(100), default="")


class RevisionTrigger(Base):
    """A fact that calls for an early evaluation and revision (第三十五条), with its date."""

    __tablename__ = "plan_triggers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))  # standards.REVISION_TRIGGERS
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    drill_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Evaluation(Base):
    """An evaluation of a plan (评估) and its conclusion."""

    __tablename__ = "plan_evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_plans.id", ondelete="CASCADE"), index=True)
    evaluated_on: Mapped[date] = mapped_column(Date)
    conclusion: Mapped[str] = mapped_column(String(20))  # keep / revise
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Drill(Base):
    """A drill: planned, held (attendance, step times, photos), evaluated (AQ/T 9009)."""

    __tablename__ = "plan_drills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan_plans.id", ondelete="SET NULL"), index=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)
    unit_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))  # tabletop / functional / full_scale
    scenario: Mapped[str] = mapped_column(Text)
    planned_on: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="planned")  # planned / held / evaluated
    participants: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    attendance: Mapped[int | None] = mapped_column(Integer)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"name", "at" (ISO)}]
    photo_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    evaluation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # preparation/execution/effect/problems
    requires_revision: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_to_county: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(12), default="plans")  # plans / incidents (drill mode)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DrillAction(Base):
    """A follow-up action from a drill finding, with its owner and deadline."""

    __tablename__ = "plan_drill_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("plan_drills.id", ondelete="CASCADE"), index=True)
    finding: Mapped[str] = mapped_column(String(500))
    action: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(100))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)


class Trainee(Base):
    """A person whose training or qualification counts: towards hours, a certificate, or one of the rates."""

    __tablename__ = "plan_trainees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    category: Mapped[str | None] = mapped_column(String(24), index=True)  # training.RATES key's population
    training_role: Mapped[str | None] = mapped_column(String(16))  # principal / safety_manager / worker
    high_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    specialised: Mapped[bool | None] = mapped_column(Boolean)  # relevant education/experience; None: not known
    started_on: Mapped[date | None] = mapped_column(Date)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="", server_default="")  # expiring certificates by SMS


class Course(Base):
    __tablename__ = "plan_courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))  # initial / yearly
    hours: Mapped[float] = mapped_column(Float)
    held_on: Mapped[date] = mapped_column(Date)
    organiser: Mapped[str] = mapped_column(String(200), default="")
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)


class Attendance(Base):
    __tablename__ = "plan_attendance"
    __table_args__ = (UniqueConstraint("course_id", "trainee_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("plan_courses.id", ondelete="CASCADE"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("plan_trainees.id", ondelete="CASCADE"), index=True)
    hours: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean, default=True)


class Certificate(Base):
    """A certificate held by a trainee (特种作业操作证, 执法证, 指挥员资格 ...) with its expiry and review."""

    __tablename__ = "plan_certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("plan_trainees.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # special_operations / enforcement / commander / other
    number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    last_review_on: Mapped[date | None] = mapped_column(Date)
    clean_years: Mapped[int] = mapped_column(Integer, default=0)
