"""Input and output shapes of the incident's reports beyond intake: impact estimate, 灾情报告, after-action."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Figure = Decimal  # checked in the service: not negative, finite
DisasterKind = Literal["initial", "follow_up", "final"]


class ImpactRequest(BaseModel):
    """An affected area drawn freely (GeoJSON Polygon or MultiPolygon, WGS84 lon/lat)."""

    model_config = ConfigDict(extra="forbid")

    area: dict[str, Any] = Field(description="GeoJSON Polygon / MultiPolygon")
    people: int | None = Field(None, ge=0, le=100_000_000, strict=True, description="受灾人数（默认按区域内人口估算）")
    days: int = Field(1, ge=1, le=90, strict=True, description="按几日计算每日所需")


class AffectedAreaUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    area: dict[str, Any] = Field(description="GeoJSON Polygon / MultiPolygon")


class DisasterReportCreate(BaseModel):
    """An 初报 / 续报 / 核报: per township (code) plus ``district``, each indicator of cn-rules §9.2."""

    model_config = ConfigDict(extra="forbid")

    kind: DisasterKind
    as_of: datetime | None = Field(None, description="统计截止时间（带时区，默认现在）")
    figures: dict[str, dict[str, Figure]] = Field(max_length=200)
    reasons: dict[str, str] = Field(default_factory=dict, max_length=500,
                                    description="核减原因：\"<镇代码或 district>.<指标>\" → 原因")
    note: str = Field("", max_length=5000)


class DisasterReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    incident_id: int
    number: int
    kind: str
    kind_label: str = ""
    as_of: datetime
    submitted_at: datetime
    submitted_by: str
    figures: dict[str, dict[str, str]]
    reasons: dict[str, str]
    note: str
    obligation_id: int | None
    late_minutes: int


class StabilisedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, strict=True)
    at: datetime | None = Field(None, description="灾情稳定的时间（带时区，默认现在）")
