"""Input and output shapes of the resources API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from yingji.core.validation import Lat, Lon, Phone, RecordId
from yingji.resources.enums import (
    AgreementKind,
    DocumentKind,
    EquipmentKind,
    FireStationClass,
    MaterialCategory,
    ShelterCondition,
    ShelterKind,
    ShelterLevel,
    Speciality,
    TeamKind,
    TeamStatus,
)

Qty = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=3)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- teams ---------------------------------------------------------------------------------------


class TeamCreate(Strict):
    name: str = Field(min_length=2, max_length=200)
    kind: TeamKind
    station_class: FireStationClass | None = None
    speciality: Speciality = Speciality.comprehensive
    planned: bool = False
    enterprise_id: RecordId | None = None
    region_code: str | None = None  # township or village; found from lon/lat when omitted
    base_address: str = Field(default="", max_length=300)
    lon: Lon | None = None
    lat: Lat | None = None
    contact_name: str = Field(default="", max_length=50)
    contact_phone: Phone | None = None


class TeamUpdate(Strict):
    name: str = Field(default=None, min_length=2, max_length=200)
    station_class: FireStationClass | None = None
    speciality: Speciality = None
    planned: bool = None
    base_address: str = Field(default=None, max_length=300)
    lon: Lon | None = None
    lat: Lat | None = None
    contact_name: str = Field(default=None, max_length=50)
    contact_phone: Phone | None = None


class TeamStatusUpdate(Strict):
    status: TeamStatus
    note: str = Field(default="", max_length=200)


class TeamRead(Read):
    id: int
    name: str
    kind: str
    station_class: str | None
    speciality: str
    planned: bool
    enterprise_id: int | None
    region_path: str
    base_address: str
    lon: float | None
    lat: float | None
    contact_name: str
    contact_phone: str | None
    status: str
    status_note: str
    status_updated_at: datetime | None
    approval: str


class MemberCreate(Strict):
    name: str = Field(min_length=1, max_length=50)
    phone: Phone | None = None
    role: str = Field(default="队员", max_length=20)
    qualification: str = Field(default="", max_length=100)
    certificate_no: str = Field(default="", max_length=60)
    certificate_expiry: date | None = None
    person_id: RecordId | None = None


class MemberRead(Read):
    id: int
    team_id: int
    person_id: int | None
    name: str
    phone: str | None
    role: str
    qualification: str
    certificate_no: str
    certificate_expiry: date | None


class EquipmentCreate(Strict):
    kind: EquipmentKind = EquipmentKind.equipment
    name: str = Field(min_length=1, max_length=100)
    quantity: int = Field(default=1, ge=1)
    plate: str = Field(default="", max_length=20)


class EquipmentRead(Read):
    id: int
    team_id: int
    kind: str
    name: str
    quantity: int
    plate: str


class ExpertCreate(Strict):
    name: str = Field(min_length=1, max_length=50)
    speciality: Speciality
    title: str = Field(default="", max_length=60)
    organisation: str = Field(default="", max_length=200)
    phone: Phone | None = None
    region_code: str | None = None


class ExpertRead(Read):
    id: int
    name: str
    speciality: str
    title: str
    organisation: str
    phone: str | None
    region_path: str


# --- warehouses, materials, documents ------------------------------------------------------------


class WarehouseCreate(Strict):
    name: str = Field(min_length=2, max_length=200)
    region_code: str | None = None  # the district (district level) or a township
    address: str = Field(default="", max_length=300)
    lon: Lon
    lat: Lat
    capacity_m3: Decimal = Field(default=Decimal(0), ge=0)
    area_m2: Decimal = Field(default=Decimal(0), ge=0)
    manager: str = Field(default="", max_length=50)
    phone: Phone | None = None


class WarehouseRead(Read):
    id: int
    name: str
    level: str
    region_path: str
    address: str
    lon: float | None
    lat: float | None
    capacity_m3: Decimal
    area_m2: Decimal
    manager: str
    phone: str | None


class MaterialCreate(Strict):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    category: MaterialCategory
    subcategory: str = Field(default="", max_length=40)
    unit: str = Field(min_length=1, max_length=10)
    specification: str = Field(default="", max_length=200)
    shelf_life_days: int | None = Field(default=None, ge=1)
    reorder_point: Decimal = Field(default=Decimal(0), ge=0)


class MaterialRead(Read):
    id: int
    code: str
    name: str
    category: str
    subcategory: str
    unit: str
    specification: str
    shelf_life_days: int | None
    reorder_point: Decimal


class LineIn(Strict):
    material_id: RecordId
    quantity: Decimal = Field(max_digits=14, decimal_places=3)
    batch_id: RecordId | None = None
    batch_no: str | None = Field(default=None, max_length=60)
    production_date: date | None = None
    expiry_date: date | None = None


class Acceptance(Strict):
    inspector: str = Field(min_length=1, max_length=50)
    passed: bool
    note: str = Field(default="", max_length=300)


class DocumentCreate(Strict):
    kind: DocumentKind
    warehouse_id: RecordId
    to_warehouse_id: RecordId | None = None
    counterparty: str = Field(default="", max_length=200)
    reason: str = Field(default="", max_length=300)
    acceptance: Acceptance | None = None
    lines: list[LineIn] = Field(min_length=1, max_length=500)


class LineRead(Read):
    id: int
    material_id: int
    batch_id: int | None
    quantity: Decimal
    batch_no: str | None
    production_date: date | None
    expiry_date: date | None


class MovementRead(Read):
    id: int
    warehouse_id: int
    material_id: int
    batch_id: int
    quantity: Decimal


class DocumentRead(Read):
    id: int
    number: str
    kind: str
    status: str
    warehouse_id: int
    to_warehouse_id: int | None
    counterparty: str
    reason: str
    acceptance: dict[str, Any] | None
    reverses_id: int | None
    created_at: datetime
    posted_at: datetime | None
    received_at: datetime | None
    lines: list[LineRead] = []
    movements: list[MovementRead] = []


class StockRow(BaseModel):
    warehouse_id: int
    material_id: int
    material: str
    unit: str
    batch_id: int
    batch_no: str
    expiry_date: date | None
    quantity: Decimal


class AgreementCreate(Strict):
    kind: AgreementKind
    partner: str = Field(min_length=2, max_length=200)
    contact_name: str = Field(default="", max_length=50)
    contact_phone: Phone | None = None
    region_code: str | None = None
    valid_from: date
    valid_to: date
    response_time_s: int = Field(ge=0, le=7 * 86400)
    items: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    note: str = Field(default="", max_length=300)


class AgreementRead(Read):
    id: int
    kind: str
    partner: str
    contact_name: str
    contact_phone: str | None
    region_path: str
    valid_from: date
    valid_to: date
    response_time_s: int
    items: list[dict[str, Any]]
    note: str


# --- shelters ------------------------------------------------------------------------------------


class ShelterCreate(Strict):
    name: str = Field(min_length=2, max_length=200)
    kind: ShelterKind
    level: ShelterLevel
    region_code: str | None = None
    address: str = Field(default="", max_length=300)
    lon: Lon
    lat: Lat
    effective_area_m2: Decimal = Field(gt=0, max_digits=12, decimal_places=1)
    site_safety: str = Field(default="", max_length=300)
    accessible: bool = False
    facilities: list[str] = Field(default_factory=list, max_length=50)
    seismic_grade: int | None = Field(default=None, ge=6, le=9)
    manager: str = Field(default="", max_length=50)
    phone: Phone | None = None


class ShelterUpdate(Strict):
    name: str = Field(default=None, min_length=2, max_length=200)
    level: ShelterLevel = None
    effective_area_m2: Decimal = Field(default=None, gt=0, max_digits=12, decimal_places=1)
    site_safety: str = Field(default=None, max_length=300)
    accessible: bool = None
    facilities: list[str] = Field(default=None, max_length=50)
    seismic_grade: int | None = Field(default=None, ge=6, le=9)
    manager: str = Field(default=None, max_length=50)
    phone: Phone | None = None


class ShelterRead(Read):
    id: int
    name: str
    kind: str
    level: str
    region_path: str
    address: str
    lon: float
    lat: float
    effective_area_m2: Decimal
    capacity: int
    site_safety: str
    accessible: bool
    facilities: list[str]
    seismic_grade: int | None
    manager: str
    phone: str | None
    condition: str
    occupancy: int
    occupancy_updated_at: datetime | None
    open: bool


class AssessmentCreate(Strict):
    assessor: str = Field(min_length=1, max_length=50)
    checks: dict[str, bool] = Field(default_factory=dict)
    result: ShelterCondition
    findings: str = Field(default="", max_length=2000)


class AssessmentRead(Read):
    id: int
    shelter_id: int
    assessed_at: datetime
    assessor: str
    checks: dict[str, bool]
    result: str
    findings: str


class OccupancyUpdate(Strict):
    occupancy: int = Field(ge=0)
    open: bool = True


# --- analysis ------------------------------------------------------------------------------------


class NearestItem(BaseModel):
    kind: str
    id: int
    name: str
    lon: float
    lat: float
    travel_time_s: int
    distance_m: int
    detail: dict[str, Any] = {}


class NearestResult(BaseModel):
    items: list[NearestItem]
    road_graph: dict[str, Any]
