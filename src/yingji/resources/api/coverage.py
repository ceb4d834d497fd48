"""Nearest resources by road, shelter coverage, the road import and the map layers (service.coverage,
service.maps)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile

from yingji.core.actor import require
from yingji.core.errors import NotFound
from yingji.core.validation import RecordId, Stated, stated_codes
from yingji.resources import service
from yingji.resources.enums import NearestKind
from yingji.resources.schemas import (
    NearestResult,
)
from yingji.resources.service.coverage import MAX_K
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession
from yingji.web.layers import layer_response

router = APIRouter()


@router.get("/nearest", response_model=NearestResult)
def nearest(
    db: DbSession,
    user: ApiUser,
    lon: Annotated[float, Stated(minimum=-180, maximum=180)],
    lat: Annotated[float, Stated(minimum=-90, maximum=90)],
    kind: stated_codes(lambda: list(NearestKind.__members__)),
    k: Annotated[int, Stated(minimum=1, maximum=MAX_K)] = 5,
    material_id: RecordId | None = None,
    min_quantity: float = 0,
    team_kind: str | None = None,
    speciality: str | None = None,
    mode: stated_codes(lambda: ["drive", "walk"]) | None = None,
) -> Any:
    return service.nearest(
        db=db,
        actor=user,
        lon=lon,
        lat=lat,
        kind=kind,
        k=k,
        material_id=material_id,
        min_quantity=min_quantity,
        team_kind=team_kind,
        speciality=speciality,
        mode=mode,
    )


@router.get("/coverage")
def coverage(db: DbSession, user: ApiUser) -> dict[str, Any]:
    return service.coverage(db=db, actor=user)


@router.get("/coverage.xlsx")
def coverage_xlsx(db: DbSession, user: ApiUser) -> Response:
    data = service.coverage_export(db=db, actor=user)
    return downloads.xlsx(data, "coverage.xlsx")


@router.post("/roads")
def import_roads(db: DbSession, user: ApiUser, file: UploadFile = File(...)) -> dict[str, Any]:
    """Replaces the road graph with an OpenStreetMap XML extract (.osm) or a GeoJSON file of roads."""
    n = service.import_roads(db=db, actor=user, name=file.filename or "", data=file.file.read())
    return {"edges": n}


@router.get("/map/{layer}.geojson", response_class=Response,
            responses={200: {"content": {"application/geo+json": {}}}})
def map_layer(request: Request, layer: str, db: DbSession, user: ApiUser) -> Response:
    """Teams, shelters, warehouses or the coverage of villages, with an ETag (``If-None-Match`` → 304)."""
    if layer not in service.MAP_READS:
        raise NotFound(service.MAP_LAYER_MISSING)
    require(user, "resources.read")
    return layer_response(request, db, user, layer=f"resources.{layer}", reads=service.MAP_READS[layer],
                          build=lambda: service.map_layer(db=db, actor=user, layer=layer))
