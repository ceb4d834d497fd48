"""Incidents and duty-room API under /api/v1/incidents and /api/v1/duty: thin — parse, call the service,
shape. Lists answer {items,total,page,page_size}; a change made on a stale version answers 409."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Response, UploadFile

from yingji.core.actor import require
from yingji.core.clock import utcnow
from yingji.core.excel import XLSX_MIME
from yingji.core.pagination import Page
from yingji.core.validation import RecordId, stated_codes
from yingji.incidents import service
from yingji.incidents.schemas import (
    CasualtyUpdate,
    CloseRequest,
    DeadlinesRequest,
    DueRead,
    DutyAssignmentRead,
    DutyItemCreate,
    DutyItemRead,
    FulfilRequest,
    GradeRead,
    GradeRequest,
    HandoverCreate,
    HandoverRead,
    IncidentCreate,
    IncidentDetail,
    IncidentRead,
    KindRead,
    MergeRequest,
    ObligationRead,
    OnDutyRead,
    ProposalRead,
)
from yingji.incidents.service import proposals as proposal_service
from yingji.incidents.service.common import STATUS_LABELS
from yingji.web.deps import ApiUser, DbSession, Paging

incidents = APIRouter(prefix="/incidents", tags=["incidents"])
duty = APIRouter(prefix="/duty", tags=["duty"])


@incidents.get("/kinds", response_model=Page[KindRead])
def list_kinds(user: ApiUser, paging: Paging) -> Page[KindRead]:
    """The four classes of 突发事件 with their kinds and how each is graded."""
    return Page.sliced(service.kinds(), paging)


@incidents.post("/grade", response_model=GradeRead)
def grade(body: GradeRequest, user: ApiUser) -> GradeRead:
    """Grades an incident from its figures: accidents I–IV (国务院令第493号 第三条, any one criterion,
    "以上" inclusive), 较大涉险事故 (令21 第二十六条), natural disasters by the relief plan's triggers."""
    return service.grade(request=body)


@incidents.post("/deadlines", response_model=list[DueRead])
def deadlines(body: DeadlinesRequest, db: DbSession, user: ApiUser) -> list[DueRead]:
    """Every report the incident owes and its deadline (the deployment's rule table and legal clock)."""
    return service.deadlines(db=db, request=body)


# --- recorded incidents ----------------------------------------------------------------------------


@incidents.get("", response_model=Page[IncidentRead])
def list_incidents(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    status: stated_codes(lambda: list(STATUS_LABELS)) | None = None,
    kind: str | None = None,
    grade: str | None = None,
    drill: bool | None = None,
    region_code: str | None = None,
    since: datetime | None = None,
) -> Page[IncidentRead]:
    rows, total = service.list_incidents(db=db, actor=user, page=paging, status=status, kind=kind, grade=grade,
                                         drill=drill, region_code=region_code, since=since)
    return Page.of(IncidentRead, rows, total, paging)


@incidents.post("", response_model=IncidentRead, status_code=201)
def report_incident(body: IncidentCreate, db: DbSession, user: ApiUser) -> IncidentRead:
    """接报: a new incident from its first report, graded, with every report it owes."""
    return IncidentRead.model_validate(service.report_incident(db=db, actor=user, data=body))


@incidents.get("/proposals", response_model=Page[ProposalRead])
def list_proposals(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    status: stated_codes(lambda: list(proposal_service.STATUSES)) | None = "pending",
) -> Page[ProposalRead]:
    """Alarms proposed as incidents, waiting for the duty officer."""
    rows, total = service.list_proposals(db=db, actor=user, page=paging, status=status)
    return Page.of(ProposalRead, rows, total, paging)


@incidents.post("/proposals/{proposal_id}/accept", response_model=IncidentRead, status_code=201)
def accept_proposal(proposal_id: RecordId, body: IncidentCreate, db: DbSession, user: ApiUser) -> IncidentRead:
    return IncidentRead.model_validate(service.accept(db=db, actor=user, proposal_id=proposal_id, data=body))


@incidents.post("/proposals/{proposal_id}/dismiss", response_model=ProposalRead)
def dismiss_proposal(proposal_id: RecordId, db: DbSession, user: ApiUser) -> ProposalRead:
    return ProposalRead.model_validate(service.dismiss(db=db, actor=user, proposal_id=proposal_id))


def detail_read(db, user, incident_id: RecordId) -> IncidentDetail:
    d = service.detail(db=db, actor=user, incident_id=incident_id)
    base = IncidentRead.model_validate(d.pop("incident")).model_dump()
    return IncidentDetail.model_validate({**base, **d})


@incidents.get("/{incident_id}", response_model=IncidentDetail)
def get_incident(incident_id: RecordId, db: DbSession, user: ApiUser) -> IncidentDetail:
    """The incident with its reports, casualty changes, grade history, obligations and timeline."""
    return detail_read(db, user, incident_id)


@incidents.post("/{incident_id}/casualties", response_model=IncidentRead)
def change_casualties(incident_id: RecordId, body: CasualtyUpdate, db: DbSession, user: ApiUser) -> IncidentRead:
    """New counts with their source; the grade follows. A stale ``version`` answers 409 and changes nothing."""
    return IncidentRead.model_validate(service.change_casualties(db=db, actor=user, incident_id=incident_id, data=body))


@incidents.post("/{incident_id}/merge", response_model=IncidentRead)
def merge(incident_id: RecordId, body: MergeRequest, db: DbSession, user: ApiUser) -> IncidentRead:
    """Merges a duplicate report of the same event into this incident; both reports are kept."""
    kept = service.merge(db=db, actor=user, incident_id=incident_id, duplicate_id=body.duplicate_id,
                         version=body.version)
    return IncidentRead.model_validate(kept)


@incidents.post("/{incident_id}/close", response_model=IncidentRead)
def close(incident_id: RecordId, body: CloseRequest, db: DbSession, user: ApiUser) -> IncidentRead:
    incident = service.close(db=db, actor=user, incident_id=incident_id, version=body.version, summary=body.summary)
    return IncidentRead.model_validate(incident)


@incidents.get("/{incident_id}/obligations", response_model=Page[ObligationRead])
def obligations(incident_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Page[ObligationRead]:
    """Every report the incident owes: deadline, status, 迟报 minutes; ``overdue`` when open and past due."""
    return Page.sliced(detail_read(db, user, incident_id).obligations, paging)


@incidents.post("/obligations/{obligation_id}/fulfil", response_model=ObligationRead)
def fulfil(obligation_id: RecordId, body: FulfilRequest, db: DbSession, user: ApiUser) -> ObligationRead:
    """Records the report as made (now or at ``at``); after its deadline it is 迟报 with the minutes late."""
    o = service.fulfil(db=db, actor=user, obligation_id=obligation_id, at=body.at, text=body.note)
    return ObligationRead.model_validate(o)


# --- duty room ----------------------------------------------------------------------------------------


@duty.get("/now", response_model=OnDutyRead)
def on_duty(db: DbSession, user: ApiUser) -> OnDutyRead:
    """Who is on duty now (the duty day starts at the handover time) and what is open."""
    require(user, "incidents.duty.read")
    shift = service.on_duty_now(db)
    counts = service.open_counts(db)
    return OnDutyRead(
        day=shift.day, starts_at=shift.starts_at, ends_at=shift.ends_at,
        leaders=[DutyAssignmentRead.model_validate(a) for a in shift.leaders],
        officers=[DutyAssignmentRead.model_validate(a) for a in shift.officers],
        townships=[DutyAssignmentRead.model_validate(a) for a in shift.townships],
        open_items=[DutyItemRead.model_validate(i) for i in service.open_items(db)], **counts,
    )


@duty.get("/roster", response_model=Page[DutyAssignmentRead])
def roster(db: DbSession, user: ApiUser, paging: Paging, start: date | None = None,
           end: date | None = None) -> Page[DutyAssignmentRead]:
    """The roster between two days (default: this duty day and the next 30)."""
    start = start or service.duty_day(utcnow())
    if end is None:
        end = start + timedelta(days=30) if start < date.max - timedelta(days=30) else date.max
    rows = service.roster(db=db, actor=user, start=start, end=end)
    return Page.sliced(rows, paging, DutyAssignmentRead)


@duty.get("/roster/template")
def roster_template(user: ApiUser) -> Response:
    require(user, "incidents.duty.read")
    return Response(service.template(), media_type=XLSX_MIME,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote('值班表模板.xlsx')}"})


@duty.post("/roster/import")
async def import_roster(db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> dict:
    """All or nothing: each day in the file replaces that day's roster; any bad row refuses the file."""
    require(user, "incidents.duty.manage")
    return service.import_roster(db=db, actor=user, data=await file.read())


@duty.get("/handovers", response_model=Page[HandoverRead])
def list_handovers(db: DbSession, user: ApiUser, paging: Paging) -> Page[HandoverRead]:
    return Page.sliced(service.handovers(db=db, actor=user, limit=200), paging, HandoverRead)


@duty.post("/handovers", response_model=HandoverRead, status_code=201)
def hand_over(body: HandoverCreate, db: DbSession, user: ApiUser) -> HandoverRead:
    """交接班: closes what the shift finished and carries every open item to the next."""
    h = service.hand_over(db=db, actor=user, to_name=body.to_name, note=body.note, close_ids=body.close_ids,
                          new_items=body.new_items)
    return HandoverRead.model_validate(h)


@duty.post("/items", response_model=DutyItemRead, status_code=201)
def add_item(body: DutyItemCreate, db: DbSession, user: ApiUser) -> DutyItemRead:
    item = service.add_item(db=db, actor=user, text=body.text, incident_id=body.incident_id)
    return DutyItemRead.model_validate(item)


@duty.post("/items/{item_id}/close", response_model=DutyItemRead)
def close_item(item_id: RecordId, db: DbSession, user: ApiUser) -> DutyItemRead:
    return DutyItemRead.model_validate(service.close_item(db=db, actor=user, item_id=item_id))


router = APIRouter()
router.include_router(incidents)
router.include_router(duty)
