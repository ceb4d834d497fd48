"""Input and output of the incidents API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from yingji.core.validation import RecordId, StatedCodes
from yingji.incidents.standards import incident_kinds

Count = Annotated[int, Field(ge=0, le=100_000_000, strict=True)]

# An incident kind of data/kinds.toml: the service refuses any other, naming the field; the OpenAPI lists them.
KindCode = Annotated[str, StatedCodes(lambda: list(incident_kinds()))]


class GradeRequest(BaseModel):
    """Figures known so far; the ones that do not apply to the kind's grading scheme are ignored."""

    model_config = ConfigDict(extra="forbid")

    kind: KindCode = Field(description="事件类型代码，见 GET /api/v1/incidents/kinds", max_length=40)
    deaths: Count = 0
    serious_injuries: Count = Field(0, description="重伤（含急性工业中毒）")
    direct_loss_yuan: Decimal = Field(Decimal(0), ge=0, le=Decimal("1e15"), description="直接经济损失（元）")
    at_risk_people: Count = Field(0, description="涉险人数（较大涉险事故）")
    trapped_or_missing: Count = Field(0, description="被困或下落不明人数")
    evacuated: Count = Field(0, description="紧急疏散人数")
    sensitive_environment_polluted: bool = Field(False, strict=True)
    key_facility_endangered: bool = Field(False, strict=True)
    deaths_and_missing: Count = Field(0, description="死亡和失踪（自然灾害）")
    relocated_or_needing_relief: Count = Field(0, description="紧急转移安置和需紧急生活救助人数")
    collapsed_rooms: Count = Field(0, description="倒塌和严重损坏房屋（间）")
    collapsed_households: Count = Field(0, description="倒塌和严重损坏房屋（户）")
    drought_needing_aid: Count = Field(0, description="干旱需政府救助人数")

    @field_validator("direct_loss_yuan", mode="before")
    @classmethod
    def _number_not_bool(cls, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise ValueError("应为数字")
        return value


class GradeRead(BaseModel):
    kind: str
    kind_label: str
    incident_class: str
    scheme: str
    grade: str | None = Field(description="事故等级 I–IV，或自然灾害救助应急响应级别 1–4；未达到或不适用时为空")
    label: str
    decided_by: list[str]
    by_criterion: dict[str, str]
    basis: str
    major_near_miss: list[str] = Field(description="较大涉险事故的情形（令21 第二十六条），不是时为空")
    notes: list[str]


class KindRead(BaseModel):
    code: str
    label: str
    incident_class: str
    class_label: str
    scheme: str


class DeadlinesRequest(BaseModel):
    """An incident's facts; the answer lists every report it owes and when."""

    model_config = ConfigDict(extra="forbid")

    kind: KindCode = Field(max_length=40)
    grade: str = Field("", max_length=3, description="事故等级 I–IV，或自然灾害响应级别 1–4（未达到为空）")
    near_miss: bool = Field(False, strict=True, description="较大涉险事故")
    deaths_and_missing: Count = 0
    occurred_at: datetime
    received_at: datetime | None = None
    stabilised_at: datetime | None = None
    closed_at: datetime | None = None
    until: datetime | None = Field(None, description="续报列到此时为止（默认发生后 3 日）")


class DueRead(BaseModel):
    code: str
    label: str
    basis: str
    due_at: datetime
    recurring: bool
    provisional: bool


# --- recorded incidents ------------------------------------------------------------------------------

Source = Literal["phone", "officer", "enterprise", "alarm", "upstream"]


class IncidentCreate(BaseModel):
    """A report of an incident: the place by a map tap (lon/lat) or by village and address."""

    model_config = ConfigDict(extra="forbid")

    kind: KindCode = Field(max_length=40, description="事件类型代码，见 GET /api/v1/incidents/kinds")
    title: str = Field("", max_length=200)
    occurred_at: datetime = Field(description="发生时间（带时区）")
    received_at: datetime | None = Field(None, description="值班室接报时间（默认现在）")
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    region_code: str | None = Field(None, max_length=20, description="镇（街道）或村（社区）代码")
    address: str = Field("", max_length=300)
    source: Source | None = Field(None, description="来源；按账号角色确定时可不填")
    reporter_name: str = Field("", max_length=50)
    reporter_phone: str = Field("", max_length=20)
    enterprise_id: RecordId | None = None
    deaths: Count = 0
    missing: Count = 0
    serious_injuries: Count = 0
    trapped: Count = 0
    direct_loss_yuan: Decimal = Field(Decimal(0), ge=0, le=Decimal("1e13"))
    description: str = Field("", max_length=5000)
    attachment_ids: list[RecordId] = Field(default_factory=list, max_length=10)
    drill: bool = Field(False, strict=True)


class IncidentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    kind: str
    incident_class: str
    scheme: str
    lon: float | None
    lat: float | None
    region_path: str
    region_code: str
    address: str
    enterprise_id: int | None
    occurred_at: datetime
    reported_at: datetime
    source: str
    status: str
    merged_into_id: int | None
    grade: str
    grade_label: str
    near_miss: bool
    drill: bool
    deaths: int
    missing: int
    serious_injuries: int
    trapped: int
    direct_loss_yuan: Decimal
    description: str
    stabilised_at: datetime | None
    closed_at: datetime | None
    version: int


class ReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    incident_id: int
    first_incident_id: int
    source: str
    reported_at: datetime
    reporter_name: str
    reporter_phone: str
    lon: float | None
    lat: float | None
    address: str
    description: str
    figures: dict[str, Any]


class CasualtyChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    field: str
    old: int
    new: int
    source: str
    at: datetime
    actor_name: str
    note: str


class GradeChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    old_grade: str
    new_grade: str
    label: str
    near_miss: bool
    decided_by: list[str]
    at: datetime
    actor_name: str
    reason: str


class ObligationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    incident_id: int
    code: str
    label: str
    basis: str
    due_at: datetime
    recurring: bool
    status: str
    fulfilled_at: datetime | None
    fulfilled_by: str
    late_minutes: int
    overdue: bool = False


class TimelineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    kind: str
    text: str
    actor_name: str


class IncidentDetail(IncidentRead):
    reports: list[ReportRead]
    casualty_changes: list[CasualtyChangeRead]
    grade_history: list[GradeChangeRead]
    obligations: list[ObligationRead]
    timeline: list[TimelineRead]


class CasualtyUpdate(BaseModel):
    """New counts (only those given change); ``version`` is the one the change was made on."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, strict=True)
    deaths: Count | None = None
    missing: Count | None = None
    serious_injuries: Count | None = None
    trapped: Count | None = None
    source: str = Field(min_length=1, max_length=200, description="信息来源，如“拉堡镇卫生院电话”")
    note: str = Field("", max_length=500)


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duplicate_id: RecordId = Field(description="重复的事件：其报告并入本事件，本身标为已合并")
    version: int = Field(ge=1, strict=True)


class FulfilRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: datetime | None = Field(None, description="实际报告时间（默认现在）")
    note: str = Field("", max_length=300)


class CloseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, strict=True)
    summary: str = Field(min_length=1, max_length=5000)


class ProposalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    alarm_id: int
    level: str
    sensor_kind: str | None
    region_path: str
    rule_name: str
    raised_at: datetime
    status: str
    incident_id: int | None


# --- duty room ------------------------------------------------------------------------------------


class DutyAssignmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    day: date
    role: str
    name: str
    phone: str
    region_code: str
    region_name: str


class DutyItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    incident_id: int | None
    opened_at: datetime
    opened_by: str
    carried: int


class OnDutyRead(BaseModel):
    day: date
    starts_at: datetime
    ends_at: datetime
    leaders: list[DutyAssignmentRead]
    officers: list[DutyAssignmentRead]
    townships: list[DutyAssignmentRead]
    open_items: list[DutyItemRead]
    pending_proposals: int
    overdue_obligations: int


class HandoverCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_name: str = Field(min_length=1, max_length=80)
    note: str = Field("", max_length=5000)
    close_ids: list[RecordId] = Field(default_factory=list, max_length=500)
    new_items: list[str] = Field(default_factory=list, max_length=100)


class HandoverRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    day: date
    at: datetime
    from_name: str
    to_name: str
    note: str
    carried_item_ids: list[int]


class DutyItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=500)
    incident_id: RecordId | None = None
