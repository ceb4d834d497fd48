"""Input and output shapes of the plans API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yingji.core.validation import Phone, RecordId
from yingji.plans.enums import PlanKind

TriggerCode = Literal["law_changed", "command_changed", "risk_changed", "resources_changed", "problems_found", "other"]
PlanPart = Literal["command", "procedures", "measures", "response_grading", "contacts", "resources", "wording",
                   "annexes"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- plans ---------------------------------------------------------------------------------------


class ResponseLevel(Strict):
    """One response level of a plan; ``trigger`` is data an incident can be matched against (e.g.
    {"min_deaths": 3, "incident_kinds": ["hazardous_chemicals"]})."""

    level: str = Field(min_length=1, max_length=8)
    label: str = Field(default="", max_length=40)
    trigger: dict[str, Any] = Field(default_factory=dict)
    tasks: list[str] = Field(default_factory=list, max_length=50)


class CommandRole(Strict):
    role: str = Field(min_length=1, max_length=60)  # 总指挥, 副总指挥, 现场救援组 ...
    post: str = Field(default="", max_length=100)  # 区长, 应急局局长 ...
    person: str = Field(default="", max_length=50)


class PlanCreate(Strict):
    title: str = Field(min_length=2, max_length=200)
    kind: PlanKind
    enterprise_id: RecordId | None = None  # enterprise plans
    department_code: str | None = Field(default=None, max_length=40)  # department plans
    region_code: str | None = None  # township / village plans; defaults to the district
    incident_kinds: list[str] = Field(default_factory=list, max_length=40)
    area_codes: list[str] = Field(default_factory=list, max_length=200)
    response_levels: list[ResponseLevel] = Field(default_factory=list, max_length=8)
    command: list[CommandRole] = Field(default_factory=list, max_length=100)
    resources: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    contacts: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    summary: str = Field(default="", max_length=5000)
    published_on: date | None = None
    review_required: bool | None = None  # None: from the enterprise's industry (令2 第二十一条)
    responsible_person: str = Field(default="", max_length=50)
    responsible_phone: Phone | None = None  # reminders by SMS


class PlanRead(Read):
    id: int
    code: str
    title: str
    kind: str
    level: str
    owner_type: str
    owner_name: str
    enterprise_id: int | None
    department_code: str | None
    region_path: str
    high_risk: bool
    review_required: bool
    incident_kinds: list[str]
    area_codes: list[str]
    response_levels: list[dict[str, Any]]
    command: list[dict[str, Any]]
    resources: list[dict[str, Any]]
    contacts: list[dict[str, Any]]
    summary: str
    status: str
    published_on: date | None
    last_evaluated_on: date | None
    needs_refiling: bool
    responsible_person: str
    responsible_phone: str


class VersionCreate(Strict):
    attachment_ids: list[RecordId] = Field(min_length=1, max_length=10)
    note: str = Field(default="", max_length=500)
    changed_parts: list[PlanPart] = Field(default_factory=list)
    published_on: date | None = None  # a revision published anew restarts the 20-working-day filing clock


class VersionRead(Read):
    id: int
    plan_id: int
    number: int
    attachment_ids: list[int]
    current: bool
    note: str
    changed_parts: list[str]
    requires_refiling: bool
    created_at: datetime


class UploadRead(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int


# --- filings -------------------------------------------------------------------------------------


class FilingCreate(Strict):
    plan_id: RecordId
    materials: dict[Literal["application_form", "review_opinion", "risk_assessment", "resource_survey",
                            "plan_document"], int]


class FilingDecision(Strict):
    decision: Literal["accepted", "returned"]
    checklist: dict[str, bool] = Field(default_factory=dict)
    reasons: str = Field(default="", max_length=2000)


class FilingRead(BaseModel):
    id: int
    plan_id: int
    plan_title: str
    plan_code: str
    owner_name: str
    version_id: int | None
    materials: dict[str, int]
    checklist: dict[str, bool]
    status: str  # as it stands now: a submitted filing past its check deadline reads deemed_filed
    submitted_at: datetime
    due_at: datetime
    due_last_day: date | None
    working_days_left: int | None
    provisional: bool
    decided_at: datetime | None
    reasons: str
    certificate_no: str | None


# --- revision ------------------------------------------------------------------------------------


class TriggerCreate(Strict):
    code: TriggerCode
    occurred_on: date
    note: str = Field(default="", max_length=500)


class EvaluationCreate(Strict):
    evaluated_on: date
    conclusion: Literal["keep", "revise"]
    note: str = Field(default="", max_length=5000)


# --- drills --------------------------------------------------------------------------------------


class DrillCreate(Strict):
    plan_id: RecordId
    kind: Literal["tabletop", "functional", "full_scale"]
    scenario: str = Field(min_length=2, max_length=2000)
    planned_on: date
    participants: list[dict[str, Any]] = Field(default_factory=list, max_length=500)


class DrillStep(Strict):
    name: str = Field(min_length=1, max_length=100)
    at: datetime


class DrillRecord(Strict):
    held_on: date
    attendance: int = Field(ge=0, le=100000)
    steps: list[DrillStep] = Field(default_factory=list, max_length=100)
    photo_ids: list[RecordId] = Field(default_factory=list, max_length=30)
    reported_to_county: bool = False


class FollowUp(Strict):
    finding: str = Field(min_length=1, max_length=500)
    action: str = Field(min_length=1, max_length=500)
    owner: str = Field(min_length=1, max_length=100)
    due_on: date


class DrillEvaluation(Strict):
    """AQ/T 9009: preparation, execution, effect, problems; findings become follow-up actions."""

    preparation: str = Field(min_length=1, max_length=5000)
    execution: str = Field(min_length=1, max_length=5000)
    effect: str = Field(min_length=1, max_length=5000)
    problems: list[str] = Field(default_factory=list, max_length=100)
    actions: list[FollowUp] = Field(default_factory=list, max_length=100)
    requires_revision: bool = False


class DrillRead(Read):
    id: int
    plan_id: int | None
    unit_name: str
    kind: str
    scenario: str
    planned_on: date
    held_on: date | None
    status: str
    participants: list[dict[str, Any]]
    attendance: int | None
    steps: list[dict[str, Any]]
    photo_ids: list[int]
    evaluation: dict[str, Any]
    requires_revision: bool
    reported_to_county: bool
    source: str


class ActionRead(Read):
    id: int
    drill_id: int
    finding: str
    action: str
    owner: str
    due_on: date
    done_on: date | None


# --- training ------------------------------------------------------------------------------------


class TraineeCreate(Strict):
    name: str = Field(min_length=1, max_length=50)
    category: Literal["regulator_key_industry", "natural_disaster_post", "enforcement_staff", "high_risk_worker",
                      "fire_commander", "rescue_member"] | None = None
    training_role: Literal["principal", "safety_manager", "worker"] | None = None
    specialised: bool | None = None
    started_on: date | None = None
    enterprise_id: RecordId | None = None
    region_code: str | None = None
    organisation: str = Field(default="", max_length=200)
    phone: Phone | None = None  # expiring certificates by SMS


class TraineeRead(Read):
    id: int
    name: str
    category: str | None
    training_role: str | None
    high_risk: bool
    specialised: bool | None
    started_on: date | None
    enterprise_id: int | None
    organisation: str


class CourseCreate(Strict):
    title: str = Field(min_length=2, max_length=200)
    kind: Literal["initial", "yearly"]
    hours: float = Field(gt=0, le=500)
    held_on: date
    organiser: str = Field(default="", max_length=200)
    enterprise_id: RecordId | None = None
    attendees: list[RecordId] = Field(default_factory=list, max_length=2000)  # trainee ids, full hours each


class CourseRead(Read):
    id: int
    title: str
    kind: str
    hours: float
    held_on: date
    organiser: str


class CertificateCreate(Strict):
    trainee_id: RecordId
    kind: Literal["special_operations", "enforcement", "commander", "safety_qualification", "other"]
    number: str = Field(min_length=1, max_length=60)
    issued_on: date
    expires_on: date | None = None
    last_review_on: date | None = None
    clean_years: int = Field(default=0, ge=0, le=60)


class CertificateRead(Read):
    id: int
    trainee_id: int
    kind: str
    number: str
    issued_on: date
    expires_on: date | None
    last_review_on: date | None
    clean_years: int


class AdoptTasks(Strict):
    """The plan whose triggered tasks become the incident's tasks (the response from a plan)."""

    incident_id: RecordId
    plan_id: RecordId
