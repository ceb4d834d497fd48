"""Input and output shapes of drill runs (情景构建 / 桌面推演)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from yingji.core.validation import RecordId


class DrillRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: str = Field(min_length=1, max_length=64, description="演练情景代码，见 GET /api/v1/drills/scenarios")
    plan_drill_id: RecordId | None = Field(None, description="预案演练记录（/plans/drills/{id}）；推演结束时记为已实施")


class ScenarioStepRead(BaseModel):
    kind: str
    name: str
    target_minutes: float | None
    since: str
    basis: str


class ScenarioRead(BaseModel):
    code: str
    title: str
    summary: str
    plan_kind: str
    audience: list[str]
    steps: list[ScenarioStepRead]


class DrillStepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    position: int
    kind: str
    name: str
    status: str
    started_at: datetime | None
    finished_at: datetime | None
    done_by: str
    outcome: str


class DrillRunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    drill: bool = Field(True, description="总为 true：推演中的一切均为演练")
    scenario: str
    title: str
    plan_drill_id: int | None
    status: str
    incident_id: int | None
    warning_id: int | None
    started_by_name: str
    started_at: datetime
    finished_at: datetime | None


class DrillRunDetail(DrillRunRead):
    steps: list[DrillStepRead]


class EvaluationRowRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    name: str
    started_at: datetime | None
    finished_at: datetime | None
    took_minutes: float | None
    since: str
    elapsed_minutes: float | None
    target_minutes: float | None
    basis: str
    verdict: str


class DrillEvaluationRead(BaseModel):
    run: DrillRunRead
    rows: list[EvaluationRowRead]
