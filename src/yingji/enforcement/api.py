"""JSON API of the enforcement capability under /api/v1/enforcement (thin: parse, call the service, shape)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Response, UploadFile
from fastapi.responses import FileResponse

from yingji.core.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE
from yingji.core.excel import XLSX_MIME
from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.enforcement.case_procedure import STEP_LABELS
from yingji.enforcement.schemas import (
    BandRead,
    CapRead,
    CapUpdate,
    CaseAmount,
    CaseCreate,
    CaseExtension,
    CaseRead,
    CaseStepCreate,
    CaseStepRead,
    ChecklistAnswers,
    ChecklistEntryCreate,
    ChecklistEntryRead,
    ConflictCreate,
    ConflictRead,
    DeadlineRead,
    DocumentCreate,
    DocumentRead,
    DrawCreate,
    DrawRead,
    FindingCreate,
    FindingRead,
    HearingRequest,
    ImportResult,
    InspectionAttachmentRead,
    InspectionCreate,
    InspectionRead,
    InspectorCreate,
    InspectorRead,
    ItemCreate,
    ItemRead,
    ItemUpdate,
    ListingCreate,
    ListingDecision,
    ListingRead,
    ListingRepair,
    PlanCreate,
    PlanRead,
    RedrawCreate,
)
from yingji.enforcement.service import cases, credit, draws, inspections, items, plans, roster
from yingji.enforcement.service.case_file import case_file_pdf
from yingji.web.deps import ApiUser, DbSession, Paging

router = APIRouter(prefix="/enforcement", tags=["enforcement"])


def _xlsx(data: bytes, name: str) -> Response:
    return Response(data, media_type=XLSX_MIME,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


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
    return _xlsx(items.export_items(db=db, actor=user), "items.xlsx")


@router.get("/items/template.xlsx")
def item_template(user: ApiUser) -> Response:
    return _xlsx(items.item_template(), "items-template.xlsx")


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
    return _xlsx(items.export_checklist(db=db, actor=user, industry=industry), "checklists.xlsx")


@router.get("/checklists/template.xlsx")
def checklist_template(user: ApiUser) -> Response:
    return _xlsx(items.checklist_template(), "checklists-template.xlsx")


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


# --- draws -----------------------------------------------------------------------------------------


@router.get("/draws", response_model=Page[DrawRead])
def list_draws(db: DbSession, user: ApiUser, paging: Paging, year: int | None = None) -> Page[Any]:
    rows, total = draws.list_draws(db=db, actor=user, page=paging, year=year)
    return Page(items=[draws.view(r, user) for r in rows], total=total, page=paging.page, page_size=paging.page_size)


@router.post("/draws", response_model=DrawRead, status_code=201)
def commit_draw(body: DrawCreate, db: DbSession, user: ApiUser) -> Any:
    """Publishes the commitment (seed hash and the inputs' hashes); the draw itself is the next call."""
    return draws.view(draws.commit_draw(db=db, actor=user, data=body), user)


@router.get("/draws/{draw_id}", response_model=DrawRead)
def get_draw(draw_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return draws.view(draws.get_draw(db=db, actor=user, draw_id=draw_id), user)


@router.post("/draws/{draw_id}/perform", response_model=DrawRead)
def perform_draw(draw_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return draws.view(draws.perform_draw(db=db, actor=user, draw_id=draw_id), user)


@router.post("/draws/{draw_id}/redraw", response_model=DrawRead, status_code=201)
def redraw(draw_id: RecordId, body: RedrawCreate, db: DbSession, user: ApiUser) -> Any:
    """A new draw replacing this one, with the reason; both stay published."""
    return draws.view(draws.redraw(db=db, actor=user, draw_id=draw_id, data=body), user)


# --- cases -----------------------------------------------------------------------------------------


def case_read(db: Any, case: Any, *, cal: Any = None, steps: list | None = None) -> CaseRead:
    """One case as read; a list passes the calendar and the steps it loaded once for its page."""
    b = cases.band(case)
    return CaseRead(
        id=case.id, case_no=case.case_no, enterprise_id=case.enterprise_id, party=case.party,
        party_name=case.party_name, violation=case.violation, amount_yuan=case.amount_yuan,
        first_offence=case.first_offence, step=case.step, step_label=STEP_LABELS[case.step], filed_at=case.filed_at,
        notified_at=case.notified_at, hearing_requested_at=case.hearing_requested_at, hearing_at=case.hearing_at,
        decided_at=case.decided_at, published_at=case.published_at, extended=case.extended,
        inspector_ids=case.inspector_ids,
        band=BandRead(ok=b.ok, reason=b.reason, low=b.low, high=b.high, waivable=b.waivable),
        deadlines=[DeadlineRead(label=d.rule.label, last_day=str(d.last_day), due_at=d.due_at,
                                provisional=d.provisional, explanation=d.explanation())
                   for d in cases.deadlines(db, case, cal)],
        steps=[CaseStepRead.model_validate(s) for s in (steps if steps is not None else cases.steps(db, case))],
    )


@router.get("/cases", response_model=Page[CaseRead])
def list_cases(db: DbSession, user: ApiUser, paging: Paging, step: str | None = None) -> Page[Any]:
    rows, total = cases.list_cases(db=db, actor=user, page=paging, step=step)
    cal, steps = cases.calendar(db), cases.steps_of(db, [c.id for c in rows])
    items = [case_read(db, c, cal=cal, steps=steps[c.id]) for c in rows]
    return Page(items=items, total=total, page=paging.page, page_size=paging.page_size)


@router.post("/cases", response_model=CaseRead, status_code=201)
def file_case(body: CaseCreate, db: DbSession, user: ApiUser) -> Any:
    return case_read(db, cases.file_case(db=db, actor=user, data=body))


@router.get("/cases/{case_id}", response_model=CaseRead)
def get_case(case_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return case_read(db, cases.get_case(db=db, actor=user, case_id=case_id))


@router.get("/cases/{case_id}/file.pdf")
def case_file(case_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    """The electronic case file (电子卷宗): cover, index and every document, as one PDF."""
    data = case_file_pdf(db=db, actor=user, case_id=case_id)
    return Response(data, media_type=PDF_MEDIA_TYPE, headers={"Content-Disposition": 'inline; filename="case.pdf"'})


@router.put("/cases/{case_id}/amount", response_model=BandRead)
def set_amount(case_id: RecordId, body: CaseAmount, db: DbSession, user: ApiUser) -> Any:
    """The proposed fine; refused (422, with the band) outside the violation's discretion band."""
    b = cases.set_amount(db=db, actor=user, case_id=case_id, data=body)
    return BandRead(ok=b.ok, reason=b.reason, low=b.low, high=b.high, waivable=b.waivable)


@router.post("/cases/{case_id}/steps", response_model=CaseRead)
def take_step(case_id: RecordId, body: CaseStepCreate, db: DbSession, user: ApiUser) -> Any:
    """The next step of the procedure; 409 with the reason for an order the procedure does not allow."""
    return case_read(db, cases.take_step(db=db, actor=user, case_id=case_id, data=body))


@router.post("/cases/{case_id}/hearing-request", response_model=CaseRead)
def request_hearing(case_id: RecordId, body: HearingRequest, db: DbSession, user: ApiUser) -> Any:
    return case_read(db, cases.request_hearing(db=db, actor=user, case_id=case_id, data=body))


@router.post("/cases/{case_id}/extension", response_model=CaseRead)
def extend(case_id: RecordId, body: CaseExtension, db: DbSession, user: ApiUser) -> Any:
    return case_read(db, cases.extend(db=db, actor=user, case_id=case_id, reason=body.reason))


@router.post("/cases/{case_id}/publication", response_model=CaseRead)
def publish_decision(case_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return case_read(db, cases.publish_decision(db=db, actor=user, case_id=case_id))


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
    return Response(data, media_type=DOCX_MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="document-{doc.id}.docx"'})


# --- the annual plan -------------------------------------------------------------------------------


@router.get("/plans", response_model=Page[PlanRead])
def list_plans(db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(plans.list_plans(db=db, actor=user), paging, PlanRead)


@router.post("/plans", response_model=PlanRead, status_code=201)
def draft_plan(body: PlanCreate, db: DbSession, user: ApiUser) -> Any:
    """A draft of the year's plan, computed from risk levels, grades, credit, caps and the inspectors' days."""
    return plans.draft_plan(db=db, actor=user, data=body)


@router.get("/plans/{plan_id}", response_model=PlanRead)
def get_plan(plan_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return plans.get_plan(db=db, actor=user, plan_id=plan_id)


@router.get("/plans/{plan_id}/plan.xlsx")
def export_plan(plan_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    return _xlsx(plans.export_plan(plans.get_plan(db=db, actor=user, plan_id=plan_id)), f"plan-{plan_id}.xlsx")


@router.post("/plans/{plan_id}/publish", response_model=PlanRead)
def publish_plan(plan_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return plans.publish_plan(db=db, actor=user, plan_id=plan_id)


# --- the untrustworthy list ------------------------------------------------------------------------


def listing_read(row: Any) -> ListingRead:
    v = credit.view(row)
    return ListingRead(id=row.id, enterprise_id=row.enterprise_id, party_name=row.party_name, uscc=row.uscc,
                       ground=row.ground, ground_label=v.ground_label, case_id=row.case_id, facts=row.facts,
                       state=v.state, state_label=v.label, notice_no=row.notice_no, noticed_at=row.noticed_at,
                       decision_no=row.decision_no, listed_at=row.listed_at, ends_at=row.ends_at,
                       repair_from=v.repair_from, removed_at=row.removed_at, repair_evidence=row.repair_evidence)


@router.get("/listings", response_model=Page[ListingRead])
def list_listings(db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced([listing_read(r) for r in credit.list_listings(db=db, actor=user)], paging)


@router.get("/listings.xlsx")
def export_listings(db: DbSession, user: ApiUser, all: bool = False) -> Response:
    """The list for joint punishment (联合惩戒): the entries listed now, or every decided one with ``all``."""
    return _xlsx(credit.export_listings(db=db, actor=user, current_only=not all), "untrustworthy.xlsx")


@router.post("/listings", response_model=ListingRead, status_code=201)
def give_notice(body: ListingCreate, db: DbSession, user: ApiUser) -> Any:
    """列入前告知, on one of the rules' cases and a decided penalty case of the enterprise."""
    return listing_read(credit.give_notice(db=db, actor=user, data=body))


@router.get("/listings/{listing_id}", response_model=ListingRead)
def get_listing(listing_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return listing_read(credit.get_listing(db=db, actor=user, listing_id=listing_id))


@router.post("/listings/{listing_id}/decision", response_model=ListingRead)
def decide_listing(listing_id: RecordId, body: ListingDecision, db: DbSession, user: ApiUser) -> Any:
    """The listing decision; 409 before the party's window to state its case has passed."""
    return listing_read(credit.decide(db=db, actor=user, listing_id=listing_id, data=body))


@router.post("/listings/{listing_id}/repair", response_model=ListingRead)
def repair_listing(listing_id: RecordId, body: ListingRepair, db: DbSession, user: ApiUser) -> Any:
    """信用修复: early removal with the evidence; 409 before 12 months on the list."""
    return listing_read(credit.repair(db=db, actor=user, listing_id=listing_id, data=body))


@router.get("/map/listed")
def listed_map(db: DbSession, user: ApiUser) -> dict[str, Any]:
    """The enterprises on the untrustworthy list now, as GeoJSON points (the 一张图 layer)."""
    return credit.map_layer(db=db, actor=user)
