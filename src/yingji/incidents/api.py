"""Incidents and duty-room API under /api/v1/incidents and /api/v1/duty: thin — parse, call the service,
shape. Lists answer {items,total,page,page_size}; a change made on a stale version answers 409."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile

from yingji.core.actor import require
from yingji.core.clock import utcnow
from yingji.core.pagination import Page
from yingji.core.validation import RecordId, stated_codes
from yingji.incidents import command_api, drill_api, service
from yingji.incidents.report_schemas import (
    AffectedAreaUpdate,
    DisasterReportCreate,
    DisasterReportRead,
    ImpactRequest,
    StabilisedRequest,
)
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
from yingji.incidents.service import after_action
from yingji.incidents.service import disaster as disaster_service
from yingji.incidents.service import impact as impact_service
from yingji.incidents.service import proposals as proposal_service
from yingji.incidents.service.common import STATUS_LABELS
from yingji.web import downloads
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
    return downloads.xlsx(service.template(), "值班表模板.xlsx")


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


# --- impact estimate, disaster reports (灾情报送), after-action report ---------------------------------------


@incidents.post("/impact")
def impact_estimate(body: ImpactRequest, db: DbSession, user: ApiUser) -> dict:
    """Impact estimate of an area drawn freely: people, villages, enterprises, schools and crowded places,
    shelters, major hazard sources, risk points inside; needs of the people per day against the stock
    that can reach it, with the shortfall. A bad polygon is a 422 naming ``area``."""
    require(user, "incidents.estimate")
    area = impact_service.parse_area(body.area)
    return impact_service.estimate(db=db, actor=user, area=area, people=body.people, days=body.days)


@incidents.put("/{incident_id}/affected-area")
def set_affected_area(incident_id: RecordId, body: AffectedAreaUpdate, db: DbSession, user: ApiUser) -> dict:
    """Stores the incident's affected area (GeoJSON Polygon / MultiPolygon); drawn again, it replaces it."""
    row = impact_service.set_affected_area(db=db, actor=user, incident_id=incident_id, geometry=body.area)
    return {"incident_id": row.incident_id, "area": row.geometry, "updated_at": row.updated_at,
            "updated_by": row.updated_by}


@incidents.get("/{incident_id}/impact")
def incident_impact(incident_id: RecordId, db: DbSession, user: ApiUser, people: int | None = None,
                    days: int = 1) -> dict:
    """The impact estimate of the incident's stored affected area (422 ``area`` when none is drawn)."""
    return impact_service.incident_impact(db=db, actor=user, incident_id=incident_id, people=people, days=days)


def _disaster_read(row) -> DisasterReportRead:
    out = DisasterReportRead.model_validate(row)
    out.kind_label = disaster_service.KIND_LABELS[row.kind]
    return out


@incidents.get("/{incident_id}/disaster-reports", response_model=Page[DisasterReportRead])
def list_disaster_reports(
    incident_id: RecordId, db: DbSession, user: ApiUser, paging: Paging
) -> Page[DisasterReportRead]:
    rows = disaster_service.list_reports(db=db, actor=user, incident_id=incident_id)
    return Page.sliced([_disaster_read(r) for r in rows], paging)


@incidents.post("/{incident_id}/disaster-reports", response_model=DisasterReportRead, status_code=201)
def submit_disaster_report(incident_id: RecordId, body: DisasterReportCreate, db: DbSession,
                           user: ApiUser) -> DisasterReportRead:
    """初报 / 续报 / 核报 per township plus ``district``; each inconsistency is a 422 naming
    ``figures.<area>.<indicator>`` (a lowered figure without a reason, deaths and missing above the people
    affected, townships not adding up to the district). Fulfils the report owed; late, it is 迟报."""
    return _disaster_read(disaster_service.submit(db=db, actor=user, incident_id=incident_id, data=body))


@incidents.post("/{incident_id}/stabilised", response_model=IncidentRead)
def declare_stabilised(incident_id: RecordId, body: StabilisedRequest, db: DbSession, user: ApiUser) -> IncidentRead:
    """灾情稳定: no more 续报 owed; the 核报 falls due."""
    incident = disaster_service.declare_stabilised(db=db, actor=user, incident_id=incident_id, version=body.version,
                                                   at=body.at)
    return IncidentRead.model_validate(incident)


@incidents.get("/disaster-reports/{report_id}")
def disaster_report_json(report_id: RecordId, db: DbSession, user: ApiUser) -> dict:
    """The report as JSON for exchange: every area with every indicator, and the reasons."""
    row, incident = disaster_service.get_report(db=db, actor=user, report_id=report_id)
    return disaster_service.as_json(db, row, incident)


@incidents.get("/disaster-reports/{report_id}/xlsx")
def disaster_report_xlsx(report_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    """自然灾害损失情况统计快报表 (xlsx): townships as rows, the district total last."""
    row, incident = disaster_service.get_report(db=db, actor=user, report_id=report_id)
    name = f"灾情{disaster_service.KIND_LABELS[row.kind]}第{row.number}号-{incident.id}.xlsx"
    return downloads.xlsx(disaster_service.as_xlsx(db, row, incident), name)


@incidents.get("/{incident_id}/report.docx")
def after_action_docx(incident_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    """The incident report (事件总结报告) as .docx: facts, map, figures, 灾情, reports made, orders, timeline."""
    data = after_action.as_docx(db=db, actor=user, incident_id=incident_id)
    return downloads.docx(data, f"事件总结报告-{incident_id}.docx")


@incidents.get("/{incident_id}/report.pdf")
def after_action_pdf(incident_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    """The same report as PDF (the CJK font embedded)."""
    data = after_action.as_pdf(db=db, actor=user, incident_id=incident_id)
    return downloads.download(data, f"事件总结报告-{incident_id}.pdf", downloads.PDF_MEDIA_TYPE)


@incidents.get("/{incident_id}/map.png")
def incident_map(incident_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    """The map picture of the report: township outlines, the affected area, the incident's place."""
    return Response(after_action.map_png(db=db, actor=user, incident_id=incident_id), media_type="image/png")


router = APIRouter()
router.include_router(incidents)
router.include_router(duty)
router.include_router(command_api.router)  # the command workspace and dispatch
router.include_router(drill_api.router)  # drill runs (情景构建 / 桌面推演)
