"""JSON API of the resources capability under /api/v1/resources (thin: parse, call the service, shape)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, File, Response, UploadFile

from yingji.core.excel import XLSX_MIME
from yingji.core.pagination import Page, PageParams
from yingji.resources import service
from yingji.resources.schemas import (
    AgreementCreate,
    AgreementRead,
    AssessmentCreate,
    AssessmentRead,
    DocumentCreate,
    DocumentRead,
    EquipmentCreate,
    EquipmentRead,
    ExpertCreate,
    ExpertRead,
    LineRead,
    MaterialCreate,
    MaterialRead,
    MemberCreate,
    MemberRead,
    MovementRead,
    NearestResult,
    OccupancyUpdate,
    ShelterCreate,
    ShelterRead,
    ShelterUpdate,
    StockRow,
    TeamCreate,
    TeamRead,
    TeamStatusUpdate,
    TeamUpdate,
    WarehouseCreate,
    WarehouseRead,
)
from yingji.web.deps import ApiUser, DbSession, Paging

router = APIRouter(prefix="/resources", tags=["resources"])


def _page(model: Any, rows: list[Any], total: int, paging: PageParams) -> dict[str, Any]:
    return {
        "items": [model.model_validate(r) for r in rows],
        "total": total,
        "page": paging.page,
        "page_size": paging.page_size,
    }


# --- teams ---------------------------------------------------------------------------------------


@router.get("/teams", response_model=Page[TeamRead])
def list_teams(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    kind: str | None = None,
    status: str | None = None,
    speciality: str | None = None,
    approval: str | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    rows, total = service.list_teams(
        db=db, actor=user, page=paging, kind=kind, status=status, speciality=speciality, approval=approval, q=q
    )
    return _page(TeamRead, rows, total, paging)


@router.post("/teams", response_model=TeamRead, status_code=201)
def create_team(body: TeamCreate, db: DbSession, user: ApiUser) -> Any:
    return service.create_team(db=db, actor=user, data=body)


@router.post("/teams/volunteer", response_model=TeamRead, status_code=201)
def register_volunteer_team(body: TeamCreate, db: DbSession, user: ApiUser) -> Any:
    return service.register_volunteer_team(db=db, actor=user, data=body)


@router.post("/teams/{team_id}/approval", response_model=TeamRead)
def decide_volunteer_team(team_id: int, db: DbSession, user: ApiUser, approve: bool = Body(embed=True)) -> Any:
    return service.decide_volunteer_team(db=db, actor=user, team_id=team_id, approve=approve)


@router.get("/teams/{team_id}", response_model=TeamRead)
def get_team(team_id: int, db: DbSession, user: ApiUser) -> Any:
    return service.get_team(db=db, actor=user, team_id=team_id)


@router.patch("/teams/{team_id}", response_model=TeamRead)
def update_team(team_id: int, body: TeamUpdate, db: DbSession, user: ApiUser) -> Any:
    return service.update_team(db=db, actor=user, team_id=team_id, data=body)


@router.put("/teams/{team_id}/status", response_model=TeamRead)
def set_team_status(team_id: int, body: TeamStatusUpdate, db: DbSession, user: ApiUser) -> Any:
    return service.set_team_status(db=db, actor=user, team_id=team_id, data=body)


@router.post("/teams/{team_id}/status-link")
def issue_status_link(team_id: int, db: DbSession, user: ApiUser) -> dict[str, str]:
    token = service.issue_status_link(db=db, actor=user, team_id=team_id)
    return {"url": f"/resources/team-status/{token}", "token": token}


@router.put("/team-status/{token}", response_model=TeamRead)
def set_status_by_token(token: str, body: TeamStatusUpdate, db: DbSession) -> Any:
    """The team's own link: no account, the secret in the URL is the credential."""
    return service.set_status_by_token(db=db, token=token, data=body)


@router.get("/teams/{team_id}/members", response_model=Page[MemberRead])
def list_members(team_id: int, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(service.list_members(db=db, actor=user, team_id=team_id), paging, MemberRead)


@router.post("/teams/{team_id}/members", response_model=MemberRead, status_code=201)
def add_member(team_id: int, body: MemberCreate, db: DbSession, user: ApiUser) -> Any:
    return service.add_member(db=db, actor=user, team_id=team_id, data=body)


@router.delete("/teams/{team_id}/members/{member_id}", status_code=204)
def remove_member(team_id: int, member_id: int, db: DbSession, user: ApiUser) -> Response:
    service.remove_member(db=db, actor=user, team_id=team_id, member_id=member_id)
    return Response(status_code=204)


@router.get("/teams/{team_id}/equipment", response_model=Page[EquipmentRead])
def list_equipment(team_id: int, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(service.list_equipment(db=db, actor=user, team_id=team_id), paging, EquipmentRead)


@router.post("/teams/{team_id}/equipment", response_model=EquipmentRead, status_code=201)
def add_equipment(team_id: int, body: EquipmentCreate, db: DbSession, user: ApiUser) -> Any:
    return service.add_equipment(db=db, actor=user, team_id=team_id, data=body)


@router.get("/certification")
def certification(db: DbSession, user: ApiUser) -> dict[str, Any]:
    """持证上岗率 of the members the user can see."""
    return service.certification(db=db, actor=user)


@router.get("/experts", response_model=Page[ExpertRead])
def list_experts(
    db: DbSession, user: ApiUser, paging: Paging, speciality: str | None = None, q: str | None = None
) -> dict[str, Any]:
    rows, total = service.list_experts(db=db, actor=user, page=paging, speciality=speciality, q=q)
    return _page(ExpertRead, rows, total, paging)


@router.post("/experts", response_model=ExpertRead, status_code=201)
def create_expert(body: ExpertCreate, db: DbSession, user: ApiUser) -> Any:
    return service.create_expert(db=db, actor=user, data=body)


# --- warehouses, materials, documents ------------------------------------------------------------


@router.get("/warehouses", response_model=Page[WarehouseRead])
def list_warehouses(db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(service.list_warehouses(db=db, actor=user), paging, WarehouseRead)


@router.post("/warehouses", response_model=WarehouseRead, status_code=201)
def create_warehouse(body: WarehouseCreate, db: DbSession, user: ApiUser) -> Any:
    return service.create_warehouse(db=db, actor=user, data=body)


@router.get("/materials", response_model=Page[MaterialRead])
def list_materials(
    db: DbSession, user: ApiUser, paging: Paging, category: str | None = None, q: str | None = None
) -> Any:
    return Page.sliced(service.list_materials(db=db, actor=user, category=category, q=q), paging, MaterialRead)


@router.post("/materials", response_model=MaterialRead, status_code=201)
def create_material(body: MaterialCreate, db: DbSession, user: ApiUser) -> Any:
    return service.create_material(db=db, actor=user, data=body)


@router.get("/stock", response_model=Page[StockRow])
def stock(
    db: DbSession, user: ApiUser, paging: Paging, warehouse_id: int | None = None, material_id: int | None = None
) -> Any:
    rows = service.stock(db=db, actor=user, warehouse_id=warehouse_id, material_id=material_id)
    return Page.sliced(rows, paging, StockRow)


def _document(db: DbSession, doc: Any) -> DocumentRead:
    out = DocumentRead.model_validate(doc)
    out.lines = [LineRead.model_validate(x) for x in service.document_lines(db, doc.id)]
    out.movements = [MovementRead.model_validate(x) for x in service.document_movements(db, doc.id)]
    return out


@router.post("/documents", response_model=DocumentRead, status_code=201)
def create_document(body: DocumentCreate, db: DbSession, user: ApiUser) -> DocumentRead:
    return _document(db, service.create_document(db=db, actor=user, data=body))


@router.get("/documents/in-transit", response_model=Page[DocumentRead])
def in_transit(db: DbSession, user: ApiUser, paging: Paging) -> Page[DocumentRead]:
    page = Page.sliced(service.in_transit(db=db, actor=user), paging)
    page.items = [_document(db, d) for d in page.items]
    return page


@router.get("/documents/{document_id}", response_model=DocumentRead)
def get_document(document_id: int, db: DbSession, user: ApiUser) -> DocumentRead:
    return _document(db, service.get_document(db=db, actor=user, document_id=document_id))


@router.post("/documents/{document_id}/post", response_model=DocumentRead)
def post_document(document_id: int, db: DbSession, user: ApiUser) -> DocumentRead:
    return _document(db, service.post_document(db=db, actor=user, document_id=document_id))


@router.post("/documents/{document_id}/receive", response_model=DocumentRead)
def receive_transfer(document_id: int, db: DbSession, user: ApiUser) -> DocumentRead:
    return _document(db, service.receive_transfer(db=db, actor=user, document_id=document_id))


@router.post("/documents/{document_id}/reverse", response_model=DocumentRead, status_code=201)
def reverse_document(document_id: int, db: DbSession, user: ApiUser, reason: str = Body(embed=True)) -> DocumentRead:
    return _document(db, service.reverse_document(db=db, actor=user, document_id=document_id, reason=reason))


@router.get("/alerts")
def list_alerts(db: DbSession, user: ApiUser, paging: Paging, open_only: bool = True) -> Page[dict[str, Any]]:
    rows = [
        {
            "id": a.id,
            "kind": a.kind,
            "warehouse_id": a.ref_id,
            "message": a.body,
            "created_at": a.created_at,
            "acknowledged_at": a.closed_at,
        }
        for a in service.list_alerts(db=db, actor=user, open_only=open_only)
    ]
    return Page.sliced(rows, paging)


@router.get("/agreements", response_model=Page[AgreementRead])
def list_agreements(db: DbSession, user: ApiUser, paging: Paging, kind: str | None = None) -> Any:
    return Page.sliced(service.list_agreements(db=db, actor=user, kind=kind), paging, AgreementRead)


@router.post("/agreements", response_model=AgreementRead, status_code=201)
def create_agreement(body: AgreementCreate, db: DbSession, user: ApiUser) -> Any:
    return service.create_agreement(db=db, actor=user, data=body)


# --- shelters ------------------------------------------------------------------------------------


@router.get("/shelters", response_model=Page[ShelterRead])
def list_shelters(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    level: str | None = None,
    condition: str | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    rows, total = service.list_shelters(db=db, actor=user, page=paging, level=level, condition=condition, q=q)
    return _page(ShelterRead, rows, total, paging)


@router.post("/shelters", response_model=ShelterRead, status_code=201)
def create_shelter(body: ShelterCreate, db: DbSession, user: ApiUser) -> Any:
    return service.create_shelter(db=db, actor=user, data=body)


@router.get("/shelters/{shelter_id}", response_model=ShelterRead)
def get_shelter(shelter_id: int, db: DbSession, user: ApiUser) -> Any:
    return service.get_shelter(db=db, actor=user, shelter_id=shelter_id)


@router.patch("/shelters/{shelter_id}", response_model=ShelterRead)
def update_shelter(shelter_id: int, body: ShelterUpdate, db: DbSession, user: ApiUser) -> Any:
    return service.update_shelter(db=db, actor=user, shelter_id=shelter_id, data=body)


@router.post("/shelters/{shelter_id}/assessments", response_model=AssessmentRead, status_code=201)
def assess_shelter(shelter_id: int, body: AssessmentCreate, db: DbSession, user: ApiUser) -> Any:
    return service.assess_shelter(db=db, actor=user, shelter_id=shelter_id, data=body)


@router.get("/shelters/{shelter_id}/assessments", response_model=Page[AssessmentRead])
def list_assessments(shelter_id: int, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(service.assessments(db=db, actor=user, shelter_id=shelter_id), paging, AssessmentRead)


@router.put("/shelters/{shelter_id}/occupancy", response_model=ShelterRead)
def set_occupancy(shelter_id: int, body: OccupancyUpdate, db: DbSession, user: ApiUser) -> Any:
    return service.set_occupancy(db=db, actor=user, shelter_id=shelter_id, data=body)


# --- analysis, map, Excel ------------------------------------------------------------------------


@router.get("/nearest", response_model=NearestResult)
def nearest(
    db: DbSession,
    user: ApiUser,
    lon: float,
    lat: float,
    kind: str,
    k: int = 5,
    material_id: int | None = None,
    min_quantity: float = 0,
    team_kind: str | None = None,
    speciality: str | None = None,
    mode: str | None = None,
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
    return _xlsx(data, "coverage.xlsx")


@router.post("/roads")
def import_roads(db: DbSession, user: ApiUser, file: UploadFile = File(...)) -> dict[str, Any]:
    """Replaces the road graph with an OpenStreetMap XML extract (.osm) or a GeoJSON file of roads."""
    n = service.import_roads(db=db, actor=user, name=file.filename or "", data=file.file.read())
    return {"edges": n}


@router.get("/map/{layer}.geojson")
def map_layer(layer: str, db: DbSession, user: ApiUser) -> dict[str, Any]:
    return service.map_layer(db=db, actor=user, layer=layer)


def _xlsx(data: bytes, filename: str) -> Response:
    return Response(data, media_type=XLSX_MIME, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/excel/{sheet}/template")
def excel_template(sheet: str, user: ApiUser) -> Response:
    return _xlsx(service.template(sheet), f"{sheet}-template.xlsx")


@router.get("/excel/{sheet}")
def excel_export(sheet: str, db: DbSession, user: ApiUser) -> Response:
    return _xlsx(service.export_sheet(db=db, actor=user, name=sheet), f"{sheet}.xlsx")


@router.post("/excel/{sheet}")
def excel_import(sheet: str, db: DbSession, user: ApiUser, file: UploadFile = File(...)) -> dict[str, int]:
    return {"imported": service.import_sheet(db=db, actor=user, name=sheet, data=file.file.read())}
