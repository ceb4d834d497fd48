"""Warehouses, materials, stock, documents (receipt, issue, transfer, reversal), alerts and agreements
(service.warehouses, service.stock, service.alerts)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.resources import service
from yingji.resources.schemas import (
    AgreementCreate,
    AgreementRead,
    DocumentCreate,
    DocumentRead,
    LineRead,
    MaterialCreate,
    MaterialRead,
    MovementRead,
    StockRow,
    WarehouseCreate,
    WarehouseRead,
)
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope

router = APIRouter()


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
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    warehouse_id: RecordId | None = None,
    material_id: RecordId | None = None,
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
def get_document(
    document: Annotated[Any, in_scope(service.get_document, "document_id")],
    db: DbSession,
    user: ApiUser,
) -> DocumentRead:
    return _document(db, document)


@router.post("/documents/{document_id}/post", response_model=DocumentRead)
def post_document(document_id: RecordId, db: DbSession, user: ApiUser) -> DocumentRead:
    return _document(db, service.post_document(db=db, actor=user, document_id=document_id))


@router.post("/documents/{document_id}/receive", response_model=DocumentRead)
def receive_transfer(document_id: RecordId, db: DbSession, user: ApiUser) -> DocumentRead:
    return _document(db, service.receive_transfer(db=db, actor=user, document_id=document_id))


@router.post("/documents/{document_id}/reverse", response_model=DocumentRead, status_code=201)
def reverse_document(
    document_id: RecordId, db: DbSession, user: ApiUser, reason: str = Body(embed=True)
) -> DocumentRead:
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
