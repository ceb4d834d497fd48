"""Input and output shapes of the statistics capability."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from yingji.core.validation import RecordId


class YearInputWrite(BaseModel):
    """One year's inputs. A figure left out (null) is not known: the indicators needing it show as missing."""

    gdp_yi: Decimal | None = Field(default=None, gt=0, lt=Decimal("1e7"), description="地区生产总值，亿元")
    population: int | None = Field(default=None, gt=0, lt=2_000_000_000, description="常住人口，人")
    vehicles: int | None = Field(default=None, gt=0, lt=2_000_000_000, description="机动车保有量，辆")
    source: str = Field(default="", max_length=200)


class YearInputRead(BaseModel):
    year: int
    gdp_yi: Decimal | None
    population: int | None
    vehicles: int | None
    source: str
    is_demo: bool


class ProgressCreate(BaseModel):
    """A department's report on a task: its status, the value reached (in the task's unit) when it has
    one, what was done, and the evidence (ids of files uploaded through /api/v1/stats/uploads)."""

    year: int = Field(ge=2000, le=2100)
    status: Literal["not_started", "in_progress", "done"]
    value: Decimal | None = Field(default=None, ge=0, lt=Decimal("1e9"))
    note: str = Field(default="", max_length=4000)
    department: str = Field(default="", max_length=100)
    attachment_ids: list[RecordId] = Field(default_factory=list, max_length=20)


class ImportResult(BaseModel):
    imported: int


class UploadRead(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int


class ProgressRead(BaseModel):
    model_config = {"from_attributes": True}

    id: int
    task_id: int
    year: int
    status: str
    value: Decimal | None
    note: str
    department: str
    attachment_ids: list[int]
    reported_by: str


class TaskRead(BaseModel):
    id: int
    code: str
    section: str
    title: str
    lead: str
    supporting: list[str]
    due_year: int
    target: Decimal | None
    unit: str
    measure: str
    milestones: list[dict]
    computed: bool
    current: float | None
    share: float | None
    status: str
    overdue: bool
    link: str


class TaskLoad(BaseModel):
    """A task list in the shape of ``stats/data/tasks.toml`` (TOML text); empty loads the shipped list."""

    toml: str = Field(default="", max_length=1_000_000)


class IndicatorRead(BaseModel):
    code: str
    label: str
    kind: str
    unit: str
    base: Decimal
    target: Decimal | None
    value: Decimal | None
    met: bool | None
    missing: list[str]
    by_year: dict[int, Decimal | None]
    records: dict[int, dict[str, str]]  # year → record figure → the API link to the records


class RateRead(BaseModel):
    code: str
    label: str
    section: str
    target: float | None
    state: str
    value: float | None
    numerator: float | None
    denominator: float | None
    unit: str
    link: str
    trend: dict[int, float | None]
    capability: str
    missing: str
