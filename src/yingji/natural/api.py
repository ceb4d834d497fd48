"""JSON API of the natural capability under /api/v1/natural (thin: parse, call the service, shape)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, Response, UploadFile

from yingji.core import files
from yingji.core.actor import require
from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.natural import census as census_data
from yingji.natural import kinds
from yingji.natural.schemas import (
    CensusImportRead,
    CensusImportResult,
    EvacuationCreate,
    EvacuationRead,
    FireWatchCreate,
    FireWatchRead,
    HouseholdCreate,
    HouseholdRead,
    ImportResult,
    MonitorCreate,
    MonitorRead,
    PatrolCreate,
    PatrolRead,
    PointCreate,
    PointRead,
    PointUpdate,
    SendRequest,
    SensorLinks,
    UploadRead,
)
from yingji.natural.service import (
    cards,
    census,
    evacuations,
    excel,
    figures,
    maps,
    patrols,
    people,
    points,
    sensors,
    warn,
    watches,
    zoning_grid,
)
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession, Paging
from yingji.web.layers import layer_response

router = APIRouter(prefix="/natural", tags=["natural"])

# The 一张图 layers below are kept until a table they read is written (``web.layers.layer_response``).
GEOJSON_ANSWER = {200: {"content": {"application/geo+json": {}}}}
POINT_TABLES = ("natural_points", "natural_monitors")
WATCH_TABLES = ("natural_fire_watches", "natural_points")  # the forest areas are points of forest_fire
ZONING_TABLES = ("natural_points", "natural_monitors", "natural_census_features", "regions")


@router.get("/kinds")
def list_kinds(user: ApiUser) -> dict[str, Any]:
    """The kinds of hazard point (data): category, label, whether 险情 is graded, extra attributes."""
    return {"categories": kinds.categories(),
            "kinds": [{"key": k.key, "category": k.category, "label": k.label, "graded": k.graded,
                       "attributes": k.attributes} for k in kinds.kinds().values()]}


@router.get("/points", response_model=Page[PointRead])
def list_points(db: DbSession, user: ApiUser, paging: Paging, kind: str | None = None, category: str | None = None,
                status: str | None = None, grade: str | None = None, region_code: str | None = None,
                q: str | None = None, monitored: Literal["yes", "no"] | None = None) -> Page[Any]:
    rows, total = points.list_points(db=db, actor=user, page=paging, kind=kind, category=category, status=status,
                                     grade=grade, region_code=region_code, q=q, monitored=monitored)
    return Page.of(PointRead, rows, total, paging)


@router.post("/points", response_model=PointRead, status_code=201)
def create_point(body: PointCreate, db: DbSession, user: ApiUser) -> Any:
    return points.create_point(db=db, actor=user, data=body)


@router.get("/points/template.xlsx")
def points_template(user: ApiUser) -> Response:
    return downloads.xlsx(excel.template(), "natural-points-template.xlsx")


@router.get("/points/export.xlsx")
def export_points(db: DbSession, user: ApiUser, kind: str | None = None, category: str | None = None) -> Response:
    return downloads.xlsx(excel.export_points(db=db, actor=user, kind=kind, category=category), "natural-points.xlsx")


@router.post("/points/import", response_model=ImportResult)
async def import_points(db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> Any:
    """Every row or none: a bad row is named (row number and column) and nothing is imported."""
    return ImportResult(imported=excel.import_points(db=db, actor=user, data=await file.read()))


@router.get("/points/{point_id}", response_model=PointRead)
def read_point(point_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return points.read_point(db=db, actor=user, point_id=point_id)


@router.patch("/points/{point_id}", response_model=PointRead)
def update_point(point_id: RecordId, body: PointUpdate, db: DbSession, user: ApiUser) -> Any:
    return points.update_point(db=db, actor=user, point_id=point_id, data=body)


@router.get("/points/{point_id}/monitors", response_model=Page[MonitorRead])
def list_monitors(point_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(people.monitors(db=db, actor=user, point_id=point_id), paging, MonitorRead)


@router.post("/points/{point_id}/monitors", response_model=MonitorRead, status_code=201)
def add_monitor(point_id: RecordId, body: MonitorCreate, db: DbSession, user: ApiUser) -> Any:
    return people.add_monitor(db=db, actor=user, point_id=point_id, data=body)


@router.delete("/points/{point_id}/monitors/{monitor_id}", status_code=204)
def remove_monitor(point_id: RecordId, monitor_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    people.remove_monitor(db=db, actor=user, point_id=point_id, monitor_id=monitor_id)
    return Response(status_code=204)


@router.get("/points/{point_id}/households", response_model=Page[HouseholdRead])
def list_households(point_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(people.households(db=db, actor=user, point_id=point_id), paging, HouseholdRead)


@router.post("/points/{point_id}/households", response_model=HouseholdRead, status_code=201)
def add_household(point_id: RecordId, body: HouseholdCreate, db: DbSession, user: ApiUser) -> Any:
    return people.add_household(db=db, actor=user, point_id=point_id, data=body)


@router.get("/points/{point_id}/patrols", response_model=Page[PatrolRead])
def list_patrols(point_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(patrols.list_patrols(db=db, actor=user, point_id=point_id), paging, PatrolRead)


@router.post("/points/{point_id}/patrols", response_model=PatrolRead, status_code=201)
def record_patrol(point_id: RecordId, body: PatrolCreate, db: DbSession, user: ApiUser) -> Any:
    return patrols.record_patrol(db=db, actor=user, point_id=point_id, data=body)


@router.post("/photos", response_model=UploadRead, status_code=201)
async def upload_photo(db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> Any:
    """A patrol photo (JPEG/PNG); link it to the patrol by id next."""
    row = patrols.upload_photo(db=db, actor=user, data=await file.read(), filename=file.filename or "photo")
    return UploadRead(id=row.id, filename=row.filename, content_type=files.media_type(row), size=row.size)


@router.get("/map/points", response_class=Response, responses=GEOJSON_ANSWER)
def map_points(request: Request, db: DbSession, user: ApiUser, category: str | None = None) -> Response:
    """GeoJSON of the hazard points and areas (the 一张图 layer group), optionally of one category; with an
    ETag (``If-None-Match`` → 304)."""
    require(user, "natural.read")
    return layer_response(request, db, user, layer="natural.points", params=(category,), reads=POINT_TABLES,
                          build=lambda: maps.map_points(db=db, actor=user, category=category))


@router.get("/points/{point_id}/households/{household_id}/card")
def household_card(point_id: RecordId, household_id: RecordId, db: DbSession, user: ApiUser, kind: str = "prevention",
                   format: str = "docx") -> Response:
    """防灾明白卡 (``kind=prevention``) or 避险明白卡 (``kind=evacuation``) of a household, .docx or PDF."""
    name, media, data = cards.household_card(db=db, actor=user, point_id=point_id, household_id=household_id,
                                             kind=kind, fmt=format)
    return downloads.download(data, name, media)


@router.put("/points/{point_id}/sensors", response_model=list[int])
def link_sensors(point_id: RecordId, body: SensorLinks, db: DbSession, user: ApiUser) -> Any:
    return sensors.link_sensors(db=db, actor=user, point_id=point_id, sensor_ids=body.sensor_ids)


@router.get("/points/{point_id}/sensors", response_model=Page[dict[str, Any]])
def point_sensors(point_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    """The linked sensors with their latest reading and open alarms (monitoring)."""
    return Page.sliced(sensors.point_sensors(db=db, actor=user, point_id=point_id), paging)


@router.get("/points/{point_id}/evacuations", response_model=Page[EvacuationRead])
def list_evacuations(point_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(evacuations.list_evacuations(db=db, actor=user, point_id=point_id), paging, EvacuationRead)


@router.post("/points/{point_id}/evacuations", response_model=EvacuationRead, status_code=201)
def record_evacuation(point_id: RecordId, body: EvacuationCreate, db: DbSession, user: ApiUser) -> Any:
    return evacuations.record_evacuation(db=db, actor=user, point_id=point_id, data=body)


@router.get("/warnings/{warning_id}/threatened")
def threatened(warning_id: RecordId, db: DbSession, user: ApiUser) -> dict[str, Any]:
    """The hazard points inside a warning's area, the people they threaten and their monitors."""
    warning, found = warn.threatened_by_warning(db=db, actor=user, warning_id=warning_id)
    return {"points": [{"id": p.id, "code": p.code, "name": p.name, "kind": p.kind, "people": p.people,
                        "households": p.households} for p in found.points],
            "people": found.people, "households": found.households,
            "recipients": [{"role": r.role, "name": r.name, "phone": r.phone, "point_id": r.point_id}
                           for r in found.reached],
            "exposed": census.exposed_in(db=db, actor=user, geometry=warning.area_geometry)}


@router.post("/warnings/{warning_id}/send")
def send_to_threatened(warning_id: RecordId, body: SendRequest, db: DbSession, user: ApiUser) -> dict[str, Any]:
    """Publishes the approved warning to exactly the threatened people and monitors of the points inside."""
    n = warn.send_to_threatened(db=db, actor=user, warning_id=warning_id, confirm_unreached=body.confirm_unreached)
    return {"warning_id": warning_id, "phones": n}


@router.get("/coverage")
def coverage(db: DbSession, user: ApiUser) -> dict[str, Any]:
    """群测群防 coverage, forest-fire monitoring coverage (with the uncovered forest as GeoJSON) and the
    points relocated or treated per year; each with the link to its records."""
    return {"community": figures.community_coverage(db=db, actor=user),
            "forest_fire": figures.fire_coverage(db=db, actor=user),
            "treated_per_year": figures.treated_per_year(db=db, actor=user)}


@router.get("/map/fire-watches", response_class=Response, responses=GEOJSON_ANSWER)
def map_fire_watches(request: Request, db: DbSession, user: ApiUser) -> Response:
    require(user, "natural.read")
    return layer_response(request, db, user, layer="natural.fire_watches", reads=("natural_fire_watches",),
                          build=lambda: figures.watch_layer(db=db, actor=user))


def _uncovered_forest(db: DbSession, user: ApiUser) -> dict[str, Any]:
    geom = figures.fire_coverage(db=db, actor=user)["uncovered"]
    features = [{"type": "Feature", "geometry": geom, "properties": {"name": "未覆盖林区"}}] if geom else []
    return {"type": "FeatureCollection", "features": features}


@router.get("/map/uncovered-forest", response_class=Response, responses=GEOJSON_ANSWER)
def map_uncovered_forest(request: Request, db: DbSession, user: ApiUser) -> Response:
    """The forest outside every camera's, lookout's and patrol route's range (GeoJSON)."""
    require(user, "natural.read")
    return layer_response(request, db, user, layer="natural.uncovered_forest", reads=WATCH_TABLES,
                          build=lambda: _uncovered_forest(db, user))


@router.post("/fire-watches", response_model=FireWatchRead, status_code=201)
def create_fire_watch(body: FireWatchCreate, db: DbSession, user: ApiUser) -> Any:
    return watches.create_fire_watch(db=db, actor=user, data=body)


@router.get("/map/zoning", response_class=Response, responses=GEOJSON_ANSWER)
def map_zoning(request: Request, db: DbSession, user: ApiUser, by: Literal["village", "cell"] = "village") -> Response:
    """Risk zoning per village or per grid cell (hazard × exposure × vulnerability, data/zoning.toml) as
    GeoJSON; also the export (saved as ``natural-zoning-<by>.geojson``)."""
    require(user, "natural.read")
    build = figures.zoning if by == "village" else zoning_grid.zoning_cells
    disposition = downloads.content_disposition(f"natural-zoning-{by}.geojson", inline=True)
    return layer_response(request, db, user, layer="natural.zoning", params=(by,), reads=ZONING_TABLES,
                          build=lambda: build(db=db, actor=user), headers={"Content-Disposition": disposition})


@router.get("/map/zoning.png")
def map_zoning_picture(db: DbSession, user: ApiUser, by: Literal["village", "cell"] = "cell") -> Response:
    """The zoning as a map picture (PNG drawn on the server: township outlines, levels, legend)."""
    png = zoning_grid.zoning_picture(db=db, actor=user, by=by)
    return downloads.download(png, f"natural-zoning-{by}.png", "image/png", inline=True)


@router.get("/census/kinds")
def census_kinds(user: ApiUser) -> dict[str, Any]:
    """The risk-census layers and kinds (data/census_layers.toml) with the fields each kind carries."""
    return {"layers": census_data.layers(),
            "kinds": [{"key": k.key, "layer": k.layer, "label": k.label,
                       "fields": [{"key": f.key, "label": f.label, "type": f.type, "required": f.required}
                                  for f in k.fields]} for k in census_data.census_kinds().values()]}


@router.get("/census/template.xlsx")
def census_template(user: ApiUser, kind: str) -> Response:
    return downloads.xlsx(census_data.template(census_data.census_kind(kind)), f"census-{kind}-template.xlsx")


@router.post("/census/import", response_model=CensusImportResult)
async def import_census(db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()],
                        kind: Annotated[str, Form(max_length=40)],
                        crs: Annotated[str | None, Form(max_length=2000)] = None) -> Any:
    """A census layer from Excel (.xlsx), GeoJSON, a zipped Shapefile or a GeoPackage, converted to WGS84
    from the CRS said here (EPSG code, WKT, or GCJ-02) or carried by the file; every feature or none, a bad
    one named with its field. Replaces the earlier features of the kind within the importer's scope."""
    return census.import_census(db=db, actor=user, kind=kind, data=await file.read(), filename=file.filename or "",
                                said_crs=crs)


@router.get("/census/imports", response_model=Page[CensusImportRead])
def census_imports(db: DbSession, user: ApiUser, paging: Paging) -> Page[Any]:
    """The census imports within the caller's scope, newest first, with the CRS each converted from."""
    rows, total = census.imports(db=db, actor=user, page=paging)
    return Page.of(CensusImportRead, rows, total, paging)


@router.get("/map/census", response_class=Response, responses=GEOJSON_ANSWER)
def map_census(request: Request, db: DbSession, user: ApiUser, layer: str | None = None,
               kind: str | None = None) -> Response:
    """Census features (WGS84 GeoJSON) of a layer or kind, in the actor's scope."""
    require(user, "natural.read")
    return layer_response(request, db, user, layer="natural.census", params=(layer, kind),
                          reads=("natural_census_features",),
                          build=lambda: census.layer_geojson(db=db, actor=user, kind=kind, layer=layer))
