from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from yingji.core.validation import Lat, Lon, Phone, RecordId
from yingji.registry.enums import EnterpriseStatus, Industry
from yingji.registry.standards import USCC_PATTERN, uscc_problem


def _uscc(value: str) -> str:
    value = value.strip().upper()
    problem = uscc_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# GB 32100: 18 characters of the code set (no I, O, S, V, Z), a registration authority first, the division
# code's digits at 3–8; the 18th is a check character computed from the other 17, which no pattern can
# state: the description says so.
USCC = Annotated[str, AfterValidator(_uscc), Field(
    json_schema_extra={"pattern": USCC_PATTERN,
                       "description": "统一社会信用代码（GB 32100），第 18 位为前 17 位算出的校验码"})]


class EnterpriseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=200)
    uscc: USCC
    industry: Industry
    address: str = Field(default="", max_length=300)
    lon: Lon | None = None
    lat: Lat | None = None
    # The township or village; found from lon/lat when omitted.
    region_code: str | None = None
    legal_representative: str = Field(default="", max_length=50)
    safety_contact: str = Field(default="", max_length=50)
    safety_phone: Phone | None = None
    employees: int = Field(default=0, ge=0)
    remote_video: bool = False


class EnterpriseUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=2, max_length=200)
    industry: Industry | None = None
    address: str | None = Field(default=None, max_length=300)
    lon: Lon | None = None
    lat: Lat | None = None
    region_code: str | None = None
    legal_representative: str | None = Field(default=None, max_length=50)
    safety_contact: str | None = Field(default=None, max_length=50)
    safety_phone: Phone | None = None
    employees: int | None = Field(default=None, ge=0)
    remote_video: bool | None = None
    status: EnterpriseStatus | None = None


class EnterpriseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    uscc: str
    industry: str
    address: str
    lon: float | None
    lat: float | None
    region_id: int
    region_path: str
    legal_representative: str
    safety_contact: str
    safety_phone: str | None
    employees: int
    remote_video: bool
    status: str
    created_at: datetime
    updated_at: datetime


class DepartmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    short_name: str
    kind: str
    region_path: str | None
    phone: str | None
    duties: str


class PersonCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50)
    phone: Phone
    title: str = Field(default="", max_length=50)
    department_code: str | None = None
    enterprise_id: RecordId | None = None
    region_code: str | None = None


class PersonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    phone: str
    title: str
    department_id: int | None
    enterprise_id: int | None
    region_id: int | None
    region_path: str | None
