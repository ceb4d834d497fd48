"""Input and output shapes of the enforcement API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yingji.core.validation import RecordId
from yingji.enforcement.enums import ItemKind


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- enforceable items and checklists --------------------------------------------------------------


class ItemCreate(Input):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9\-_.]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: ItemKind = ItemKind.inspection
    industry: str = Field(min_length=1, max_length=32)
    basis: str = Field(min_length=1, max_length=4000, description="法律依据，逐条写明")
    department: str = Field(default="", max_length=100)


class ItemUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    basis: str | None = Field(default=None, min_length=1, max_length=4000)
    department: str | None = Field(default=None, max_length=100)


class ItemRead(Read):
    id: int
    code: str
    name: str
    kind: str
    industry: str
    basis: str
    department: str
    status: str
    published_at: datetime | None


class ChecklistEntryCreate(Input):
    industry: str = Field(min_length=1, max_length=32)
    number: str = Field(min_length=1, max_length=20)
    item_code: str = Field(min_length=1, max_length=40)
    content: str = Field(min_length=1, max_length=2000)
    method: str = Field(default="", max_length=200)
    basis: str = Field(default="", max_length=2000)


class ChecklistEntryRead(Read):
    id: int
    industry: str
    number: str
    item_id: int
    content: str
    method: str
    basis: str


class ImportResult(BaseModel):
    imported: int


# --- roster, conflicts, caps -----------------------------------------------------------------------


class InspectorCreate(Input):
    name: str = Field(min_length=1, max_length=50)
    certificate_no: str = Field(min_length=1, max_length=40)
    user_id: RecordId | None = None
    township_code: str | None = Field(default=None, max_length=20)
    qualified: bool = Field(default=False, description="具备安全生产相关专业学历或职业资格（专栏4）")
    equipment_fitted: bool = Field(default=False, description="执法装备配备到位（专栏4）")


class InspectorRead(Read):
    id: int
    name: str
    certificate_no: str
    user_id: int | None
    township_path: str | None
    active: bool
    qualified: bool
    equipment_fitted: bool


class ConflictCreate(Input):
    inspector_id: RecordId
    enterprise_id: RecordId
    reason: str = Field(min_length=1, max_length=200)


class ConflictRead(Read):
    id: int
    inspector_id: int
    enterprise_id: int
    reason: str
    declared_at: datetime


class CapUpdate(Input):
    max_per_year: int = Field(ge=0, le=365)


class CapRead(Read):
    id: int
    province: str
    industry_group: str
    grade: str
    max_per_year: int
    basis: str


# --- draws -----------------------------------------------------------------------------------------


class DrawCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    item_id: RecordId
    industry: str | None = Field(default=None, max_length=32, description="抽查对象库的行业，缺省为事项的行业")
    region_code: str | None = Field(default=None, max_length=20)
    enterprises: int = Field(ge=1, le=500)
    inspectors_per_enterprise: int = Field(default=2, ge=2, le=10)
    max_per_inspector: int | None = Field(default=None, ge=1, le=500)
    exclude_same_township: bool = False
    exclude_last_year_inspector: bool = True


class RedrawCreate(Input):
    reason: str = Field(min_length=4, max_length=500, description="重新抽取的理由（公开）")


class DrawRead(BaseModel):
    """A draw as its reader may see it: before it is drawn, only the commitment and the counts."""

    id: int
    draw_no: str
    title: str
    item_id: int
    year: int
    status: str
    commitment: dict[str, str]
    pool_size: int
    roster_size: int
    parameters: dict[str, Any]
    committed_at: datetime
    drawn_at: datetime | None
    redraw_of: int | None
    redraw_reason: str
    # Only once drawn (the full record anyone can re-run), or for the bureau's own staff before.
    pool: list[dict[str, Any]] | None = None
    roster: list[dict[str, Any]] | None = None
    excluded: list[dict[str, Any]] | None = None
    result: list[dict[str, Any]] | None = None


# --- cases -----------------------------------------------------------------------------------------


class CaseCreate(Input):
    enterprise_id: RecordId | None = None
    party: Literal["unit", "person"] = "unit"
    party_name: str = Field(min_length=1, max_length=200)
    person_id_no: str = Field(default="", max_length=40)
    violation: str = Field(min_length=1, max_length=60)
    facts: str = Field(default="", max_length=4000)
    region_code: str | None = Field(default=None, max_length=20)
    inspector_ids: list[RecordId] = Field(min_length=2, max_length=10, description="承办的两名以上执法人员")


class CaseAmount(Input):
    amount_yuan: Decimal = Field(ge=0, le=Decimal("100000000"), decimal_places=2)
    first_offence: bool = False


class CaseStepCreate(Input):
    step: str = Field(min_length=1, max_length=24)
    note: str = Field(default="", max_length=1000)
    at: datetime | None = Field(default=None, description="该环节发生的时间（缺省为现在）")
    hearing_at: datetime | None = Field(default=None, description="听证举行时间（进入听证时）")


class CaseExtension(Input):
    reason: str = Field(min_length=2, max_length=500)


class BandRead(BaseModel):
    ok: bool
    reason: str
    low: Decimal
    high: Decimal
    waivable: bool


class HearingRequest(Input):
    requested_at: datetime | None = None
    waived: bool = False


class CaseStepRead(Read):
    seq: int
    step: str
    at: datetime
    actor_id: int | None
    note: str


class DeadlineRead(BaseModel):
    label: str
    last_day: str
    due_at: datetime
    provisional: bool
    explanation: str


class CaseRead(BaseModel):
    id: int
    case_no: str
    enterprise_id: int | None
    party: str
    party_name: str
    violation: str
    amount_yuan: Decimal
    first_offence: bool
    step: str
    step_label: str
    filed_at: datetime
    notified_at: datetime | None
    hearing_requested_at: datetime | None
    hearing_at: datetime | None
    decided_at: datetime | None
    published_at: datetime | None
    extended: bool
    inspector_ids: list[int]
    band: BandRead
    deadlines: list[DeadlineRead]
    steps: list[CaseStepRead]


# --- inspections -----------------------------------------------------------------------------------


class InspectionCreate(Input):
    client_key: str = Field(min_length=8, max_length=64, description="手机端生成的同步标识，重复提交不会重复登记")
    item_id: RecordId
    enterprise_id: RecordId
    draw_id: RecordId | None = None
    inspector_ids: list[RecordId] = Field(min_length=2, max_length=10)
    started_at: datetime | None = None


class ChecklistAnswers(Input):
    results: dict[str, Literal["ok", "finding", "na"]] = Field(max_length=500)


class FindingCreate(Input):
    client_key: str = Field(min_length=8, max_length=64)
    description: str = Field(min_length=2, max_length=2000)
    checklist_number: str = Field(default="", max_length=20)
    major: bool = False
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)


class FindingRead(Read):
    id: int
    client_key: str
    description: str
    checklist_number: str
    major: bool
    hazard_id: int | None


class InspectionAttachmentRead(Read):
    id: int
    client_key: str
    kind: str
    finding_id: int | None
    inspector_id: int | None
    signer_name: str
    attachment_id: int


class DocumentCreate(Input):
    kind: Literal["site_record", "rectification_order", "review_opinion"]
    rectify_by: datetime | None = None


class DocumentRead(Read):
    id: int
    kind: str
    number: str
    depends_on: int | None
    rectify_by: datetime | None
    issued_at: datetime


class InspectionRead(Read):
    id: int
    client_key: str
    item_id: int
    draw_id: int | None
    enterprise_id: int
    inspector_ids: list[int]
    results: dict[str, str]
    started_at: datetime


# --- annual plan -----------------------------------------------------------------------------------


class PlanCreate(Input):
    year: int = Field(ge=2000, le=2100)
    title: str = Field(default="", max_length=200)
    random_ratio: float | None = Field(default=None, gt=0, le=1, description="随机抽查比例，缺省取 plan_rules.toml")
    inspection_share: float | None = Field(default=None, gt=0, le=1, description="执法人员工作日用于检查的比例")
    joint_industries: list[str] = Field(default_factory=list, max_length=20,
                                        description="与有关部门联合检查的行业")


class PlanRead(Read):
    id: int
    year: int
    title: str
    status: str
    parameters: dict[str, Any]
    lines: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    load: list[dict[str, Any]]
    months: list[dict[str, Any]]
    warnings: list[str]
    created_at: datetime
    published_at: datetime | None


# --- the untrustworthy list ------------------------------------------------------------------------


class ListingCreate(Input):
    enterprise_id: RecordId
    ground: str = Field(min_length=1, max_length=40, description="列入情形（credit_rules.toml 的 grounds 之一）")
    case_id: RecordId = Field(description="据以列入的行政处罚案件（须已作出决定）")
    facts: str = Field(min_length=1, max_length=4000)


class ListingDecision(Input):
    list: bool = Field(default=True, description="false：经陈述申辩不予列入")


class ListingRepair(Input):
    evidence: str = Field(min_length=4, max_length=4000, description="信用修复的证明材料（整改、培训、公开承诺等）")


class ListingRead(BaseModel):
    id: int
    enterprise_id: int
    party_name: str
    uscc: str
    ground: str
    ground_label: str
    case_id: int
    facts: str
    state: str
    state_label: str
    notice_no: str
    noticed_at: datetime
    decision_no: str | None
    listed_at: datetime | None
    ends_at: datetime | None
    repair_from: datetime | None
    removed_at: datetime | None
    repair_evidence: str
