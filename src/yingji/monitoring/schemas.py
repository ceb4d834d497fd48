"""Input and output shapes of the monitoring API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yingji.core.validation import RecordId
from yingji.monitoring.enums import AlarmLevel, RuleKind, SensorKind

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"


class SensorCreate(BaseModel):
    code: str = Field(pattern=CODE_PATTERN, description="传感器编码（唯一，亦为 MQTT 主题 yingji/readings/<code>）")
    name: str = Field(min_length=1, max_length=200)
    kind: SensorKind
    station: str = Field(default="", max_length=200)
    department_code: str | None = None
    enterprise_id: RecordId | None = None
    lon: float
    lat: float
    region_code: str | None = Field(default=None, description="所属区划代码；不填则按经纬度落图")
    unit: str | None = Field(default=None, max_length=16)
    min_value: float | None = None
    max_value: float | None = None
    interval_s: int | None = Field(default=None, ge=10, le=7 * 86400)
    active: bool = True
    drill: bool = Field(default=False, description="演练传感器：其告警为演练告警，不计入任何统计")


class SensorUpdate(BaseModel):
    name: str = Field(default=None, min_length=1, max_length=200)
    station: str = Field(default=None, max_length=200)
    department_code: str | None = None
    lon: float = None
    lat: float = None
    region_code: str = None
    unit: str = Field(default=None, max_length=16)
    min_value: float = None
    max_value: float = None
    interval_s: int = Field(default=None, ge=10, le=7 * 86400)
    active: bool = None


class SensorRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    kind: str
    station: str
    department_code: str | None
    enterprise_id: int | None
    lon: float
    lat: float
    region_path: str
    unit: str
    min_value: float
    max_value: float
    interval_s: int
    active: bool
    drill: bool = False


class IngestRejected(BaseModel):
    index: int
    reason: str


class IngestResult(BaseModel):
    accepted: int
    duplicates: int
    rejected: list[IngestRejected]


MAX_WINDOW_S = 72 * 3600  # the longest accumulation window a rule may have


def _levels() -> list[str]:
    return [level.value for level in AlarmLevel]


def rule_params_schemas() -> dict[str, dict[str, Any]]:
    """Each rule kind's ``params`` as the OpenAPI states them: the same keys, types and bounds
    ``service.rules.check_params`` checks (which names the key it refuses)."""
    positive = {"type": "number", "exclusiveMinimum": 0}

    def obj(required: list[str], **properties: Any) -> dict[str, Any]:
        return {"type": "object", "required": required, "properties": properties, "additionalProperties": False}

    return {
        "threshold": obj(["value"], value={"type": "number"}, op={"enum": [">=", "<="], "default": ">="}),
        "rate": obj(["per_hour"], per_hour=positive, direction={"enum": ["rise", "fall", "any"], "default": "rise"}),
        "accumulation": obj(
            ["window_s", "value"], window_s={"type": "integer", "minimum": 1, "maximum": MAX_WINDOW_S}, value=positive
        ),
        "no_data": obj(["intervals"], intervals={"type": "integer", "minimum": 1}),
        "combination": obj(
            ["min_sensors"], min_sensors={"type": "integer", "minimum": 1}, min_level={"enum": _levels()}
        ),
    }


def _rule_create_schema(s: dict[str, Any]) -> None:
    # The parameters depend on the kind: one alternative per kind.
    s["oneOf"] = [
        {"required": ["kind", "params"], "properties": {"kind": {"const": kind}, "params": params}}
        for kind, params in rule_params_schemas().items()
    ]


def _rule_update_schema(s: dict[str, Any]) -> None:
    # An update keeps the rule's kind: its params are those of one of the kinds.
    s["properties"]["params"] = {"anyOf": [*rule_params_schemas().values(), {"type": "null"}]}


class RuleCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra=_rule_create_schema)

    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    kind: RuleKind
    level: AlarmLevel
    group: str | None = Field(default=None, pattern=CODE_PATTERN)
    sensor_kind: SensorKind | None = None
    sensor_code: str | None = None
    region_code: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    hold_s: int = Field(default=900, ge=0, le=7 * 86400)
    escalate_after_s: int = Field(default=600, ge=0, le=7 * 86400)
    enabled: bool = True


class RuleUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra=_rule_update_schema)

    name: str | None = Field(default=None, min_length=1, max_length=200)
    level: AlarmLevel | None = None
    params: dict[str, Any] | None = None
    hold_s: int | None = Field(default=None, ge=0, le=7 * 86400)
    escalate_after_s: int | None = Field(default=None, ge=0, le=7 * 86400)
    enabled: bool | None = None


class RuleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    kind: str
    group: str
    level: str
    sensor_kind: str | None
    sensor_id: int | None
    region_path: str | None
    params: dict[str, Any]
    hold_s: int
    escalate_after_s: int
    pack: str | None
    source: str
    enabled: bool
    version: int
    updated_at: datetime


class AlarmRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    group: str
    rule_id: int
    rule_version: int
    rule_name: str
    sensor_id: int | None
    sensor: str | None = None
    region_path: str
    level: str
    peak_level: str
    state: str
    value: float | None
    peak_value: float | None
    message: str
    first_ts: datetime
    last_ts: datetime
    cleared_at: datetime | None
    flaps: int
    hits: int
    opened_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    ended_at: datetime | None
    event_id: int | None = None
    drill: bool = False


class EventRead(BaseModel):
    """Alarms of one event: its most severe (then latest) alarm, how many it has and how many are open."""

    event_id: int
    level: str
    count: int
    open_count: int
    lead: AlarmRead
    alarm_ids: list[int]


class AlarmNote(BaseModel):
    note: str = Field(default="", max_length=2000)
