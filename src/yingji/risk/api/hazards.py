"""Hidden hazards and their rectification loop, attachments and notices (service.hazards, escalation)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import FileResponse

from yingji.core import files
from yingji.core.errors import NotFound, PermissionDenied
from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.risk.api.common import hazard_read
from yingji.risk.enums import HazardGrade, HazardStatus
from yingji.risk.schemas import (
    FiveAssurances,
    HazardCreate,
    HazardDetail,
    HazardEventRead,
    HazardRead,
    SuperviseRequest,
    TransitionRequest,
)
from yingji.risk.service import escalation, hazards
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope

router = APIRouter()


@router.get("/hazards", response_model=Page[HazardRead])
def list_hazards(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    status: HazardStatus | None = None,
    grade: HazardGrade | None = None,
    enterprise_id: RecordId | None = None,
    overdue: bool | None = None,
    supervised: bool | None = None,
) -> Page[HazardRead]:
    rows, total = hazards.list_hazards(
        db=db,
        actor=user,
        page=paging,
        status=status,
        grade=grade,
        enterprise_id=enterprise_id,
        overdue=overdue,
        supervised=supervised,
    )
    return Page(items=[hazard_read(h) for h in rows], total=total, page=paging.page, page_size=paging.page_size)


@router.post("/hazards", response_model=HazardRead, status_code=201)
def create_hazard(body: HazardCreate, db: DbSession, user: ApiUser) -> HazardRead:
    return hazard_read(hazards.create_hazard(db=db, actor=user, data=body))


@router.get("/hazards/{hazard_id}", response_model=HazardDetail)
def get_hazard(
    h: Annotated[Any, in_scope(hazards.get_hazard, "hazard_id")],
    db: DbSession,
    user: ApiUser,
) -> HazardDetail:
    events = [HazardEventRead.model_validate(e) for e in hazards.events(db=db, actor=user, hazard_id=h.id)]
    return hazard_read(h, HazardDetail, events=events)


@router.post("/hazards/{hazard_id}/transitions", response_model=HazardRead)
def transition(hazard_id: RecordId, body: TransitionRequest, db: DbSession, user: ApiUser) -> HazardRead:
    h = hazards.transition(
        db=db,
        actor=user,
        hazard_id=hazard_id,
        action=body.action,
        note=body.note,
        attachment_ids=body.attachment_ids,
        grade=body.grade,
        deadline=body.deadline,
    )
    return hazard_read(h)


@router.put("/hazards/{hazard_id}/five-assurances", response_model=HazardRead)
def five_assurances(hazard_id: RecordId, body: FiveAssurances, db: DbSession, user: ApiUser) -> HazardRead:
    return hazard_read(hazards.set_five_assurances(db=db, actor=user, hazard_id=hazard_id, data=body))


@router.post("/hazards/{hazard_id}/supervise", response_model=HazardRead)
def supervise(hazard_id: RecordId, body: SuperviseRequest, db: DbSession, user: ApiUser) -> HazardRead:
    h = hazards.supervise(
        db=db, actor=user, hazard_id=hazard_id, supervising_unit=body.supervising_unit, note=body.note
    )
    return hazard_read(h)


@router.get("/hazards/{hazard_id}/attachments/{attachment_id}")
def hazard_attachment(hazard_id: RecordId, attachment_id: RecordId, db: DbSession, user: ApiUser) -> FileResponse:
    if not any(attachment_id in e.attachment_ids for e in hazards.events(db=db, actor=user, hazard_id=hazard_id)):
        raise NotFound("附件不存在")
    row, path = files.load(db, attachment_id)
    return FileResponse(path, media_type=row.content_type, filename=row.filename)


@router.post("/attachments", status_code=201)
async def upload(db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> dict:
    """A photo (JPEG/PNG/WebP) for a hazard step; pass its id in ``attachment_ids``."""
    if not any(user.can(p) for p in ("risk.hazard.report", "risk.hazard.rectify", "risk.hazard.manage")):
        raise PermissionDenied("没有上传附件的权限")
    row = files.store(db, data=await file.read(), filename=file.filename or "photo", uploaded_by=user.id)
    return {"id": row.id, "content_type": row.content_type, "size": row.size}


@router.get("/notices")
def notices(db: DbSession, user: ApiUser, paging: Paging, hazard_id: RecordId | None = None) -> Page[dict[str, Any]]:
    rows = [
        {
            "id": n.id,
            "hazard_id": n.ref_id,
            "kind": n.kind,
            "recipient": n.addressee,
            "message": n.body,
            "created_at": n.created_at.isoformat(),
        }
        for n in escalation.list_notices(db=db, actor=user, hazard_id=hazard_id)
    ]
    return Page.sliced(rows, paging)


