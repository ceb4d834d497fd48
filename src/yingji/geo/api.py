from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile

from yingji.core.actor import Actor, require
from yingji.core.errors import NotFound
from yingji.core.pagination import Page
from yingji.core.validation import stated_codes
from yingji.geo import lines, places, service
from yingji.geo.enums import RegionLevel
from yingji.geo.schemas import IntersectRequest, PlaceRead, PopulationUpdate, RegionBrief, RegionDetail, RegionRead
from yingji.web.deps import ApiUser, DbSession, Paging, api_user, page_user_optional
from yingji.web.layers import layer_response

router = APIRouter(prefix="/geo", tags=["geo"])


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


@router.get("/boundaries", response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
def boundaries(request: Request, db: DbSession, user: ApiUser, level: RegionLevel = RegionLevel.township) -> Response:
    """GeoJSON FeatureCollection of every region at one level, with an ETag (``If-None-Match`` → 304)."""
    require(user, "geo.read")
    return layer_response(request, db, user, layer=service.BOUNDARIES_LAYER,
                          params=(level.value,), build=lambda: service.boundaries(db=db, level=level))


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


def _maybe_user(request: Request, db: DbSession) -> Actor | None:
    """A bearer token or a session if there is one; visitors of the public pages have neither."""
    if request.headers.get("authorization"):
        return api_user(request, db)
    return page_user_optional(request, db)


MaybeUser = Annotated[Actor | None, Depends(_maybe_user, scope="function")]


@router.get("/places", response_model=Page[PlaceRead])
def search_places(
    db: DbSession,
    user: MaybeUser,
    paging: Paging,
    q: Annotated[str, Query(max_length=places.MAX_QUERY)] = "",
    kind: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=30)] = 10,
) -> Page[PlaceRead]:
    """Places whose name or address contains ``q`` (villages, townships, enterprises, shelters …), each
    with its WGS84 position, best matches first. Without a login only public kinds (regions, shelters)
    answer."""
    found = places.search(db=db, actor=user, q=q, limit=limit, kinds=kind)
    return Page.sliced([p.as_dict() for p in found], paging, PlaceRead)


Layer = stated_codes(lambda: list(lines.LAYERS))


@router.get("/lines/{layer}.geojson")
def line_layer(layer: Layer, db: DbSession, user: ApiUser) -> dict[str, Any]:
    """Roads or rivers for the map (GeoJSON, WGS84)."""
    require(user, "geo.read")
    if layer not in lines.LAYERS:
        raise NotFound("没有这个图层")
    return lines.layer_geojson(db=db, layer=layer)


@router.post("/lines/{layer}")
def import_line_layer(
    layer: Layer,
    db: DbSession,
    user: ApiUser,
    file: UploadFile = File(...),
    crs: Annotated[str, Form()] = "wgs84",
) -> dict[str, Any]:
    """Replaces the roads or rivers drawn on the map with an .osm, .geojson or zipped Shapefile."""
    require(user, "geo.import")
    n = lines.import_lines(db=db, layer=layer, name=file.filename or "", data=file.file.read(), crs=crs)
    return {"layer": layer, "imported": n}
