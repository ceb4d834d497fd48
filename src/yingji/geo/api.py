from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from yingji.core.actor import require
from yingji.core.pagination import Page, PageParams
from yingji.geo import service
from yingji.geo.enums import RegionLevel
from yingji.geo.schemas import IntersectRequest, PopulationUpdate, RegionBrief, RegionDetail, RegionRead
from yingji.web.deps import ApiUser, DbSession

router = APIRouter(prefix="/geo", tags=["geo"])
Paging = Annotated[PageParams, Depends()]


def _brief(info: service.RegionInfo) -> RegionBrief:
    return RegionBrief(code=info.code, name=info.name, level=info.level, population=info.population)


@router.get("/regions", response_model=Page[RegionRead])
def list_regions(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    level: RegionLevel | None = None,
    parent: str | None = None,
    q: str | None = None,
) -> Page[RegionRead]:
    rows, total = service.list_regions(db=db, actor=user, level=level, parent_code=parent, q=q, page=paging)
    return Page.of(RegionRead, rows, total, paging)


@router.get("/regions/{code}", response_model=RegionDetail)
def get_region(code: str, db: DbSession, user: ApiUser) -> RegionDetail:
    require(user, "geo.read")
    return RegionDetail.model_validate(service.get_region(db=db, code=code))


@router.patch("/regions/{code}", response_model=RegionRead)
def update_population(code: str, body: PopulationUpdate, db: DbSession, user: ApiUser) -> RegionRead:
    return RegionRead.model_validate(service.set_population(db=db, actor=user, code=code, population=body.population))


@router.get("/boundaries")
def boundaries(db: DbSession, user: ApiUser, level: RegionLevel = RegionLevel.township) -> dict[str, Any]:
    """GeoJSON FeatureCollection of every region at one level."""
    require(user, "geo.read")
    return service.boundaries(db=db, level=level)


@router.get("/locate", response_model=Page[RegionBrief])
def locate(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
    level: RegionLevel | None = None,
) -> Page[RegionBrief]:
    """Regions containing the point, district first (boundary points belong to both sides)."""
    require(user, "geo.read")
    return Page.sliced([_brief(i) for i in service.locate(db=db, lon=lon, lat=lat, level=level)], paging)


@router.post("/intersect", response_model=list[RegionBrief])
def intersect(body: IntersectRequest, db: DbSession, user: ApiUser) -> list[RegionBrief]:
    """Regions that a polygon touches or overlaps."""
    require(user, "geo.read")
    polygon = service.polygon_from_ring(body.polygon)
    return [_brief(i) for i in service.intersecting(db=db, geometry=polygon, level=body.level)]
