"""Input and output shapes of the natural API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from yingji.core.validation import RecordId
from yingji.natural.enums import MonitorKind, PatrolKind, PointStatus, Stability

PHONE = r"^[0-9+\-() ]{5,20}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PointFields(Strict):
    name: str | None = Field(default=None, min_length=2, max_length=200)
    scale: str | None = Field(default=None, pattern="^(|small|medium|large|huge)$")
    stability: Stability | None = None
    households: int | None = Field(default=None, ge=0, le=1_000_000)
    people: int | None = Field(default=None, ge=0, le=10_000_000)
    property_yuan: Decimal | None = Field(default=None, ge=0, le=Decimal("1e13"), decimal_places=2)
    fire_danger_level: int | None = Field(default=None, ge=1, le=5)
    attributes: dict[str, Any] | None = None
    status: PointStatus | None = None
    responsible_name: str | None = Field(default=None, max_length=50)
    responsible_phone: str | None = Field(default=None, pattern=r"^$|" + PHONE[1:])
    warning_signal: str | None = Field(default=None, max_length=200)
    evacuation_route: str | None = Field(default=None, max_length=500)
    shelter_id: RecordId | None = Field(default=None, ge=1)
    sensor_ids: list[RecordId] | None = Field(default=None, max_length=50)
    note: str | None = Field(default=None, max_length=4000)


class PointCreate(PointFields):
    name: str = Field(min_length=2, max_length=200)
    kind: str = Field(min_length=2, max_length=30)
    code: str | None = Field(default=None, min_length=2, max_length=40)
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)
    outline: dict[str, Any] | None = None  # GeoJSON Polygon
    region_code: str | None = None  # the village; found from the location when left out


class PointUpdate(PointFields):
    pass


class PointRead(Read):
    id: int
    code: str
    name: str
    kind: str
    category: str
    region_path: str
    village_code: str
    lon: float
    lat: float
    outline: dict[str, Any] | None
    scale: str
    stability: str
    households: int
    people: int
    property_yuan: Decimal
    danger_grade: str | None
    fire_danger_level: int | None
    attributes: dict[str, Any]
    status: str
    responsible_name: str
    responsible_phone: str
    warning_signal: str
    evacuation_route: str
    shelter_id: int | None
    shelter_name: str
    sensor_ids: list[int]
    note: str
    is_demo: bool
    created_at: datetime
    updated_at: datetime


class MonitorCreate(Strict):
    name: str = Field(min_length=2, max_length=50)
    phone: str = Field(pattern=PHONE)
    kind: MonitorKind = MonitorKind.villager
    user_id: RecordId | None = Field(default=None, ge=1)


class MonitorRead(Read):
    id: int
    point_id: int
    name: str
    phone: str
    kind: str


class HouseholdCreate(Strict):
    head_name: str = Field(min_length=2, max_length=50)
    phone: str = Field(default="", pattern=r"^$|" + PHONE[1:])
    people: int = Field(default=1, ge=1, le=100)
    address: str = Field(default="", max_length=200)


class HouseholdRead(Read):
    id: int
    point_id: int
    head_name: str
    phone: str
    people: int
    address: str


class PatrolCreate(Strict):
    kind: PatrolKind = PatrolKind.in_rain
    findings: str = Field(default="", max_length=4000)
    danger_found: bool = False
    photo_ids: list[RecordId] = Field(default_factory=list, max_length=20)
    patrolled_at: AwareDatetime | None = None  # defaults to now


class PatrolRead(Read):
    id: int
    point_id: int
    kind: str
    patrolled_at: datetime
    patroller_name: str
    findings: str
    danger_found: bool
    photo_ids: list[int]


class EvacuationCreate(Strict):
    people: int = Field(ge=1, le=1_000_000)
    households: int = Field(default=0, ge=0, le=1_000_000)
    shelter_name: str = Field(default="", max_length=200)
    warning_id: RecordId | None = Field(default=None, ge=1)
    incident_id: RecordId | None = Field(default=None, ge=1)
    moved_at: AwareDatetime | None = None
    note: str = Field(default="", max_length=500)


class EvacuationRead(Read):
    id: int
    point_id: int
    warning_id: int | None
    incident_id: int | None
    households: int
    people: int
    shelter_name: str
    moved_at: datetime
    note: str


class UploadRead(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int


class ImportResult(BaseModel):
    imported: int


class SensorLinks(Strict):
    sensor_ids: list[RecordId] = Field(max_length=50)


class SendRequest(Strict):
    # Publish even though some recipients have no configured channel (the 409 names them).
    confirm_unreached: bool = False


class FireWatchCreate(Strict):
    name: str = Field(min_length=2, max_length=200)
    kind: Literal["camera", "lookout", "patrol_route"]
    geometry: dict[str, Any]  # GeoJSON Point (camera, lookout) or LineString (patrol route), WGS84
    range_m: float = Field(gt=0, le=50_000)


class FireWatchRead(Read):
    id: int
    name: str
    kind: str
    geometry: dict[str, Any]
    range_m: float
    region_path: str


class CensusImportResult(BaseModel):
    """What a census import did: the CRS it converted from (said or the file's) and the counts."""

    id: int
    kind: str
    layer: str
    file_format: str
    source_crs: str
    converted_to: str
    imported: int
    replaced: int


class CensusImportRead(Read):
    id: int
    kind: str
    layer: str
    filename: str
    file_format: str
    source_crs: str
    features: int
    replaced: int
    created_at: datetime
