from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from yingji.core.validation import RecordId, StatedCodes
from yingji.geo.schemas import RING_SCHEMA
from yingji.warnings.enums import Level
from yingji.warnings.standards import event_types

# A warning type of data/event_types.csv: the validator refuses any other with the choices; the OpenAPI lists them.
EventTypeCode = Annotated[str, StatedCodes(lambda: list(event_types()))]


MAX_RADIUS_M = 200_000  # a circle's largest radius (service.area)


def area_schema(s: dict[str, Any]) -> None:
    """The three forms ``service.area.parse_area`` takes, one key each; that the regions exist and have an
    outline is a look-up, refused naming the code."""

    def one(key: str, value: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "required": [key], "properties": {key: value}, "additionalProperties": False}

    circle = {
        "type": "object",
        "required": ["lon", "lat", "radius_m"],
        "additionalProperties": False,
        "properties": {
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "radius_m": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RADIUS_M},
        },
    }
    regions = {"type": "array", "minItems": 1, "items": {"type": "string", "description": "区划代码"}}
    s["oneOf"] = [one("polygon", RING_SCHEMA), one("circle", circle), one("regions", regions)]


def _revised_area_schema(s: dict[str, Any]) -> None:
    area_schema(s)
    s["oneOf"].append({"type": "null"})  # left out or null: the area is kept


def _check_event_type(v: str) -> str:
    if v not in event_types():
        raise ValueError(f"未知预警类型 {v}，可选：{', '.join(event_types())}")
    return v


class WarningCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_type: EventTypeCode
    level: Level
    headline: str = Field(min_length=2, max_length=140)
    description: str = Field(default="", max_length=4000)
    instruction: str = Field(default="", max_length=2000)
    effective: AwareDatetime
    expires: AwareDatetime
    area: dict[str, Any] = Field(json_schema_extra=area_schema)
    department: str = Field(default="", max_length=100)

    _event = field_validator("event_type")(_check_event_type)


class RecipientPreview(BaseModel):
    """An area before a draft exists (who it would reach), and the warning type whose channels count."""

    model_config = ConfigDict(extra="forbid")

    area: dict[str, Any] = Field(json_schema_extra=area_schema)
    event_type: EventTypeCode = "other"

    _event = field_validator("event_type")(_check_event_type)


class WarningRevision(BaseModel):
    """The changes an Update carries (or an edit of a draft); what is left out is kept."""

    model_config = ConfigDict(extra="forbid")

    event_type: EventTypeCode | None = None
    level: Level | None = None
    headline: str | None = Field(default=None, min_length=2, max_length=140)
    description: str | None = Field(default=None, max_length=4000)
    instruction: str | None = Field(default=None, max_length=2000)
    effective: AwareDatetime | None = None
    expires: AwareDatetime | None = None
    area: dict[str, Any] | None = Field(default=None, json_schema_extra=_revised_area_schema)

    @field_validator("event_type")
    @classmethod
    def _event(cls, v: str | None) -> str | None:
        return None if v is None else _check_event_type(v)


class FromAlarmsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    alarm_ids: list[RecordId] = Field(min_length=1, max_length=200)


class CancelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=500)


class PublishRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Publish even though some recipients have no configured channel (the 409 names them).
    confirm_unreached: bool = False


class ReviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=500)


class WarningRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    identifier: str | None
    sender: str
    msg_type: str
    status: str
    origin: str
    event_type: str
    level: str
    headline: str
    description: str
    instruction: str
    effective: datetime
    expires: datetime
    area: dict[str, Any]
    area_desc: str
    village_codes: list[str]
    region_path: str
    touches_district: bool
    department: str
    references_id: int | None
    chain_id: int | None
    upstream_identifier: str | None
    author_id: int | None
    approver_id: int | None
    review_note: str
    created_at: datetime
    submitted_at: datetime | None
    approved_at: datetime | None
    published_at: datetime | None
    drill: bool = False


class RecipientSummary(BaseModel):
    total: int
    by_channel: dict[str, int]
    by_kind: dict[str, int]
    by_village: list[dict[str, Any]]


# A mainland mobile number (service.subscriptions; spaces, hyphens and +86 are tolerated on top).
MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"


class SubscribeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: str = Field(json_schema_extra={"pattern": MOBILE_PATTERN})
    village_codes: list[str] = Field(default_factory=list, max_length=20)
    lon: float | None = None
    lat: float | None = None
    event_types: list[EventTypeCode] = Field(default_factory=list)


class ConfirmRequest(BaseModel):
    phone: str = Field(max_length=20, json_schema_extra={"pattern": MOBILE_PATTERN})
    code: str = Field(max_length=10)


class UnsubscribeRequest(BaseModel):
    token: str = Field(max_length=200)
