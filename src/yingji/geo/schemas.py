from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class RegionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    level: str
    path: str
    population: int
    approximate: bool
    kind: str | None
    centroid_lon: float | None
    centroid_lat: float | None


class RegionDetail(RegionRead):
    geometry: dict[str, Any] | None


class RegionBrief(BaseModel):
    code: str
    name: str
    level: str
    population: int


class IntersectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    polygon: list[list[float]] = Field(description="[[lon, lat], …] in WGS84; closed or not")
    level: str | None = None


class PopulationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    population: int = Field(ge=0)


class PlaceRead(BaseModel):
    kind: str
    kind_label: str
    name: str
    detail: str
    lon: float
    lat: float
    region_code: str | None
    ref: str | None
