"""Enforceable items, checklists (执法事项、检查表) and the roster (执法人员、回避、上限)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Response, UploadFile

from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.enforcement.schemas import (
    CapRead,
    CapUpdate,
    ChecklistEntryCreate,
    ChecklistEntryRead,
    ConflictCreate,
    ConflictRead,
    ImportResult,
    InspectorCreate,
    InspectorRead,
    ItemCreate,
    ItemRead,
    ItemUpdate,
)
from yingji.enforcement.service import items, roster
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession, Paging

router = APIRouter()


# --- enforceable items and checklists --------------------------------------------------------------


@router.get("/items", response_model=Page[ItemRead])
def list_items(db: DbSession, user: ApiUser, paging: Paging, status: str | None = None,
               industry: str | None = None) -> Page[Any]:
    rows, total = items.list_items(db=db, actor=user, page=paging, status=status, industry=industry)
    return Page.of(ItemRead, rows, total, paging)


@router.post("/items", response_model=ItemRead, status_code=201)
def create_item(body: ItemCreate, db: DbSession, user: ApiUser) -> Any:
    return items.create_item(db=db, actor=user, data=body)


@router.get("/items.xlsx")
def export_items(db: DbSession, user: ApiUser) -> Response:
    return downloads.xlsx(items.export_items(db=db, actor=user), "items.xlsx")


@router.get("/items/template.xlsx")
def item_template(user: ApiUser) -> Response:
    return downloads.xlsx(items.item_template(), "items-template.xlsx")


@router.post("/items/import", response_model=ImportResult)
async def import_items(db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> Any:
    """All or nothing: one bad row and nothing is imported; every bad row is named."""
    return ImportResult(imported=items.import_items(db=db, actor=user, data=await file.read()))


@router.get("/items/{item_id}", response_model=ItemRead)
def get_item(item_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return items.get_item(db=db, actor=user, item_id=item_id)


@router.patch("/items/{item_id}", response_model=ItemRead)
def update_item(item_id: RecordId, body: ItemUpdate, db: DbSession, user: ApiUser) -> Any:
    return items.update_item(db=db, actor=user, item_id=item_id, data=body)


@router.post("/items/{item_id}/publish", response_model=ItemRead)
def publish_item(item_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return items.publish_item(db=db, actor=user, item_id=item_id)


@router.post("/items/{item_id}/withdraw", response_model=ItemRead)
def withdraw_item(item_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return items.withdraw_item(db=db, actor=user, item_id=item_id)


@router.get("/checklists.xlsx")
def export_checklist(db: DbSession, user: ApiUser, industry: str | None = None) -> Response:
    return downloads.xlsx(items.export_checklist(db=db, actor=user, industry=industry), "checklists.xlsx")


@router.get("/checklists/template.xlsx")
def checklist_template(user: ApiUser) -> Response:
    return downloads.xlsx(items.checklist_template(), "checklists-template.xlsx")


@router.post("/checklists/import", response_model=ImportResult)
async def import_checklist(db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> Any:
    return ImportResult(imported=items.import_checklist(db=db, actor=user, data=await file.read()))


@router.get("/checklists/{industry}", response_model=Page[ChecklistEntryRead])
def checklist(industry: str, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(items.checklist(db=db, actor=user, industry=industry), paging, ChecklistEntryRead)


@router.put("/checklists", response_model=ChecklistEntryRead)
def save_entry(body: ChecklistEntryCreate, db: DbSession, user: ApiUser) -> Any:
    return items.save_entry(db=db, actor=user, data=body)


# --- roster, conflicts, caps -----------------------------------------------------------------------


@router.get("/inspectors", response_model=Page[InspectorRead])
def list_inspectors(db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(roster.list_inspectors(db=db, actor=user), paging, InspectorRead)


@router.post("/inspectors", response_model=InspectorRead, status_code=201)
def add_inspector(body: InspectorCreate, db: DbSession, user: ApiUser) -> Any:
    return roster.add_inspector(db=db, actor=user, data=body)


@router.get("/conflicts", response_model=Page[ConflictRead])
def list_conflicts(db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(roster.list_conflicts(db=db, actor=user), paging, ConflictRead)


@router.post("/conflicts", response_model=ConflictRead, status_code=201)
def declare_conflict(body: ConflictCreate, db: DbSession, user: ApiUser) -> Any:
    return roster.declare_conflict(db=db, actor=user, data=body)


@router.get("/caps", response_model=Page[CapRead])
def list_caps(db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(roster.list_caps(db=db, actor=user), paging, CapRead)


@router.put("/caps/{cap_id}", response_model=CapRead)
def update_cap(cap_id: RecordId, body: CapUpdate, db: DbSession, user: ApiUser) -> Any:
    return roster.update_cap(db=db, actor=user, cap_id=cap_id, data=body)
