"""Pydantic input and output of the risk API."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from yingji.core.validation import RecordId, SingleLine
from yingji.risk import standards
from yingji.risk.enums import HazardAction, HazardGrade, HazardSource

# Times in the API carry their zone; they are kept and answered in UTC.
UTCDatetime = Annotated[AwareDatetime, AfterValidator(lambda v: v.astimezone(UTC))]
Lon = Field(default=None, ge=-180, le=180)
Lat = Field(default=None, ge=-90, le=90)


def _values(table: dict[Decimal, str]) -> list[int | float]:
    return [int(v) if v == v.to_integral_value() else float(v) for v in sorted(table)]


def grading_schema() -> dict[str, Any]:
    """The two grading inputs as the OpenAPI states them, from the standard's own value sets, so the
    schema never drifts from the check (``standards.grade``, which names the field it refuses)."""
    score = {"type": "integer", "minimum": 1, "maximum": 5}
    return {
        "oneOf": [
            {
                "title": "LEC",
                "type": "object",
                "required": ["method", "L", "E", "C"],
                "properties": {
                    "method": {"const": "lec"},
                    "L": {"enum": _values(standards.LEC_L), "description": "事故发生的可能性"},
                    "E": {"enum": _values(standards.LEC_E), "description": "暴露于危险环境的频繁程度"},
                    "C": {"enum": _values(standards.LEC_C), "description": "发生事故可能造成的后果"},
                },
                "additionalProperties": False,
            },
            {
                "title": "5×5 风险矩阵",
                "type": "object",
                "required": ["method", "likelihood", "severity"],
                "properties": {"method": {"const": "matrix"}, "likelihood": score, "severity": score},
                "additionalProperties": False,
            },
        ]
    }


# The body of /risk/grade and a risk point's ``grading``: checked by ``standards.grade`` (Chinese reasons
# naming L, E, C …), stated here.
GradingInput = Annotated[dict[str, Any], Field(json_schema_extra=lambda s: s.update(grading_schema()))]
UNIT_TYPES = ["production", "storage"]


def major_hazard_schema(s: dict[str, Any]) -> None:
    """A GB 18218 unit as the OpenAPI states it, with the names, CAS numbers and 表2 categories of the
    standard's tables (``gb18218_table*.csv``). What a schema cannot say is left to the 422 that names the
    substance: a name and a CAS number of two different 表1 entries, a name shared by several entries."""
    t = standards.tables()
    names = sorted({c.name for c in t.named} | {a for c in t.named for a in c.aliases})
    substance = {
        "type": "object",
        "required": ["quantity_t"],
        "anyOf": [{"required": ["name"]}, {"required": ["cas"]}],
        "properties": {
            "name": {"enum": names, "description": "GB 18218-2018 表1 中的名称或别名"},
            "cas": {"enum": sorted({n for c in t.named for n in c.cas}), "description": "表1 中的 CAS 号"},
            "quantity_t": {"type": "number", "minimum": 0, "description": "最大存在量"},
            "unit": {"enum": sorted(standards.UNIT_FACTORS), "default": "t"},
            "symbol": {"enum": sorted(t.categories), "description": "表2 危险性类别，如 W5.4（不在表1 时）"},
        },
    }
    s.update(
        type="object",
        required=["unit_type", "substances"],
        properties={
            "unit_type": {"enum": UNIT_TYPES, "description": "production 生产单元，storage 储存单元"},
            "exposed_people": {"type": "integer", "minimum": 0, "default": 0, "description": "厂外 500 m 内常住人数"},
            "substances": {"type": "array", "minItems": 1, "items": substance},
        },
    )


MajorHazardInput = Annotated[dict[str, Any], Field(json_schema_extra=major_hazard_schema)]


class GradeResult(BaseModel):
    score: float
    level: str
    reason: str


class RiskPointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enterprise_id: RecordId | None = None
    # A public place (crowded place, lifeline, 九小场所) with no enterprise record: its name and region.
    place_name: str = Field(default="", max_length=200)
    region_code: str | None = None
    name: str = Field(min_length=1, max_length=200)
    location: str = Field(default="", max_length=200)
    activity: str = Field(default="", max_length=300)
    hazards: str = Field(default="", max_length=4000)
    controls: str = Field(default="", max_length=4000)
    responsible_person: str = Field(default="", max_length=50)
    responsible_phone: str | None = Field(default=None, max_length=20)
    lon: float | None = Lon
    lat: float | None = Lat
    # {"method": "lec", "L", "E", "C"} or {"method": "matrix", "likelihood", "severity"}
    grading: GradingInput


class RiskPointRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    enterprise_id: int | None
    place_name: str
    region_path: str
    name: str
    location: str
    activity: str
    hazards: str
    controls: str
    responsible_person: str
    responsible_phone: str | None
    lon: float | None
    lat: float | None
    method: str
    inputs: dict[str, Any]
    score: Decimal
    level: str
    reason: str


class MajorHazardCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enterprise_id: RecordId
    name: str = Field(min_length=1, max_length=200)
    unit_type: str
    substances: list[dict[str, Any]]
    exposed_people: int = 0
    lon: float | None = Lon
    lat: float | None = Lat


class MajorHazardRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    enterprise_id: int
    name: str
    unit_type: str
    substances: list[dict[str, Any]]
    exposed_people: int
    s_value: float
    r_value: float | None
    is_major: bool
    grade: int | None
    result: dict[str, Any]


class HazardCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enterprise_id: RecordId | None = None
    region_code: str | None = None
    place: str = Field(default="", max_length=200)
    lon: float | None = Lon
    lat: float | None = Lat
    title: SingleLine = Field(min_length=2, max_length=200)
    description: str = Field(default="", max_length=4000)
    grade: HazardGrade = HazardGrade.general
    source: HazardSource | None = None
    deadline: UTCDatetime | None = None
    responsible_person: str = Field(default="", max_length=50)
    responsible_phone: str | None = Field(default=None, max_length=20)
    attachment_ids: list[RecordId] = Field(default_factory=list, max_length=10)


class FiveAssurances(BaseModel):
    model_config = ConfigDict(extra="forbid")

    responsibility: str = Field(default="", max_length=300)
    measures: str = Field(default="", max_length=4000)
    funds: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    deadline: UTCDatetime | None = None
    plan: str = Field(default="", max_length=4000)


class TransitionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: HazardAction
    note: str = Field(default="", max_length=4000)
    attachment_ids: list[RecordId] = Field(default_factory=list, max_length=10)
    # On confirm: the grade may be corrected and the rectification deadline set.
    grade: HazardGrade | None = None
    deadline: UTCDatetime | None = None


class SuperviseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    supervising_unit: str = Field(min_length=2, max_length=100)
    note: str = Field(default="", max_length=2000)


class HazardEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action: str
    from_status: str | None
    to_status: str | None
    actor_name: str
    at: datetime
    note: str
    attachment_ids: list[int]


class HazardRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    enterprise_id: int | None
    region_path: str
    place: str
    lon: float | None
    lat: float | None
    title: str
    description: str
    grade: str
    source: str
    status: str
    found_at: datetime
    deadline: datetime | None
    responsible_person: str
    responsible_phone: str | None
    fa_responsibility: str
    fa_measures: str
    fa_funds: Decimal | None
    fa_plan: str
    reported_to_regulator_at: datetime | None
    supervised: bool
    supervising_unit: str
    escalation_level: int
    overdue: bool = False
    closed_at: datetime | None


class HazardDetail(HazardRead):
    events: list[HazardEventRead] = []


class ReportDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accept: bool
    note: str = Field(default="", max_length=500)
    title: SingleLine = Field(default="", max_length=200)
    grade: HazardGrade = HazardGrade.general
    deadline: UTCDatetime | None = None
    enterprise_id: RecordId | None = None


class PublicReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    tracking_code: str
    region_path: str
    lon: float
    lat: float
    place: str
    description: str
    attachment_id: int | None
    status: str
    hazard_id: int | None
    decision_note: str
    created_at: datetime
