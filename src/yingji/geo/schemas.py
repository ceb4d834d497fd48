from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# A ring as ``service.polygon_from_ring`` takes it: three vertices or more, each [lon, lat]. A schema can
# state each as two numbers within ±180; that the second is within ±90 (one bound per position needs
# ``prefixItems``, which generators of test data do not all read) and that the ring does not cross itself
# are checked by the service, which names the vertex.
RING_SCHEMA: dict[str, Any] = {
    "type": "array",
    "minItems": 3,
    "items": {
        "type": "array",
        "minItems": 2,
        "maxItems": 2,
        "items": {"type": "number", "minimum": -180, "maximum": 180},
    },
}


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

    polygon: list[list[float]] = Field(
        description="[[lon, lat], …] in WGS84; closed or not", json_schema_extra=lambda s: s.update(RING_SCHEMA)
    )
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
