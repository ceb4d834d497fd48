"""Inspections (检查): checklist, findings, attachments, documents (执法文书)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Response, UploadFile
from fastapi.responses import FileResponse

from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.enforcement.schemas import (
    ChecklistAnswers,
    DocumentCreate,
    DocumentRead,
    FindingCreate,
    FindingRead,
    InspectionAttachmentRead,
    InspectionCreate,
    InspectionRead,
)
from yingji.enforcement.service import inspections
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession, Paging

router = APIRouter()


# --- inspections -----------------------------------------------------------------------------------


@router.get("/inspections", response_model=Page[InspectionRead])
def list_inspections(db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(inspections.list_inspections(db=db, actor=user), paging, InspectionRead)


@router.post("/inspections", response_model=InspectionRead, status_code=201)
def start_inspection(body: InspectionCreate, db: DbSession, user: ApiUser) -> Any:
    """Idempotent by ``client_key``: a retried sync answers the inspection it already made."""
    return inspections.start_inspection(db=db, actor=user, data=body)


@router.get("/inspections/{inspection_id}", response_model=InspectionRead)
def get_inspection(inspection_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return inspections.get_inspection(db=db, actor=user, inspection_id=inspection_id)


@router.put("/inspections/{inspection_id}/checklist", response_model=InspectionRead)
def answer_checklist(inspection_id: RecordId, body: ChecklistAnswers, db: DbSession, user: ApiUser) -> Any:
    return inspections.answer_checklist(db=db, actor=user, inspection_id=inspection_id, results=dict(body.results))


@router.get("/inspections/{inspection_id}/findings", response_model=Page[FindingRead])
def list_findings(inspection_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    inspection = inspections.get_inspection(db=db, actor=user, inspection_id=inspection_id)
    return Page.sliced(inspections.findings(db, inspection), paging, FindingRead)


@router.post("/inspections/{inspection_id}/findings", response_model=FindingRead, status_code=201)
def add_finding(inspection_id: RecordId, body: FindingCreate, db: DbSession, user: ApiUser) -> Any:
    """A finding, made a hidden hazard in dual prevention; idempotent by ``client_key``."""
    return inspections.add_finding(db=db, actor=user, inspection_id=inspection_id, data=body)


@router.get("/inspections/{inspection_id}/attachments", response_model=Page[InspectionAttachmentRead])
def list_inspection_attachments(inspection_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    inspection = inspections.get_inspection(db=db, actor=user, inspection_id=inspection_id)
    return Page.sliced(inspections.attachments_of(db, inspection), paging, InspectionAttachmentRead)


@router.post("/inspections/{inspection_id}/attachments", response_model=InspectionAttachmentRead, status_code=201)
async def add_inspection_attachment(
    inspection_id: RecordId, db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()],
    client_key: Annotated[str, Form()], kind: Annotated[str, Form()],
    finding_client_key: Annotated[str, Form()] = "", inspector_id: Annotated[int | None, Form()] = None,
    signer_name: Annotated[str, Form(max_length=100)] = "",
) -> Any:
    """A finding's photo (``finding_client_key``), an inspector's signature (``inspector_id``) or the
    enterprise's acknowledgement (``signer_name``) as PNG/JPEG; idempotent by ``client_key``."""
    return inspections.add_attachment(db=db, actor=user, inspection_id=inspection_id, client_key=client_key,
                                      kind=kind, data=await file.read(), filename=file.filename or "photo",
                                      finding_client_key=finding_client_key, inspector_id=inspector_id,
                                      signer_name=signer_name)


@router.get("/inspections/{inspection_id}/attachments/{attachment_id}")
def inspection_attachment_file(inspection_id: RecordId, attachment_id: RecordId, db: DbSession,
                               user: ApiUser) -> FileResponse:
    row, path = inspections.attachment_file(db=db, actor=user, inspection_id=inspection_id,
                                            attachment_id=attachment_id)
    return FileResponse(path, media_type=row.content_type, filename=row.filename)


@router.get("/inspections/{inspection_id}/documents", response_model=Page[DocumentRead])
def list_documents(inspection_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    inspection = inspections.get_inspection(db=db, actor=user, inspection_id=inspection_id)
    return Page.sliced(inspections.documents_of(db, inspection), paging, DocumentRead)


@router.post("/inspections/{inspection_id}/documents", response_model=DocumentRead, status_code=201)
def issue_document(inspection_id: RecordId, body: DocumentCreate, db: DbSession, user: ApiUser) -> Any:
    """A numbered document; 409 when the one it depends on has not been issued (复查 only after an order)."""
    return inspections.issue_document(db=db, actor=user, inspection_id=inspection_id, data=body)


@router.get("/documents/{document_id}.docx")
def document_docx(document_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    doc, data = inspections.document_docx(db=db, actor=user, document_id=document_id)
    return downloads.docx(data, f"document-{doc.id}.docx")
