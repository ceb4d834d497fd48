"""Input and output of the incidents API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

Count = Annotated[int, Field(ge=0, le=100_000_000, strict=True)]


class GradeRequest(BaseModel):
    """Figures known so far; the ones that do not apply to the kind's grading scheme are ignored."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="事件类型代码，见 GET /api/v1/incidents/kinds", max_length=40)
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

    kind: str = Field(max_length=40)
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
