"""JSON API of the plans capability under /api/v1/plans (thin: parse, call the service, shape)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Response, UploadFile
from fastapi.responses import FileResponse

from yingji.core import files
from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.plans.schemas import (
    ActionRead,
    AdoptTasks,
    CertificateCreate,
    CertificateRead,
    CourseCreate,
    CourseRead,
    DrillCreate,
    DrillEvaluation,
    DrillRead,
    DrillRecord,
    EvaluationCreate,
    FilingCreate,
    FilingDecision,
    FilingRead,
    PlanCreate,
    PlanRead,
    TraineeCreate,
    TraineeRead,
    TriggerCreate,
    UploadRead,
    VersionCreate,
    VersionRead,
)
from yingji.plans.service import drills, filings, registry, response, revision, training
from yingji.plans.service.certificate import filing_certificate
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession, Paging

router = APIRouter(prefix="/plans", tags=["plans"])


def filing_read(v: filings.FilingView) -> FilingRead:
    f = v.filing
    return FilingRead(id=f.id, plan_id=f.plan_id, plan_title=v.plan.title, plan_code=v.plan.code,
                      owner_name=v.plan.owner_name, version_id=f.version_id, materials=f.materials,
                      checklist=f.checklist, status=v.status, submitted_at=f.submitted_at, due_at=f.due_at,
                      due_last_day=v.due_last_day, working_days_left=v.working_days_left,
                      provisional=v.provisional, decided_at=f.decided_at, reasons=f.reasons,
                      certificate_no=f.certificate_no)


# --- plans ---------------------------------------------------------------------------------------


@router.get("", response_model=Page[PlanRead])
def list_plans(db: DbSession, user: ApiUser, paging: Paging, kind: str | None = None, owner_type: str | None = None,
               region_code: str | None = None, area_code: str | None = None, incident_kind: str | None = None,
               q: str | None = None) -> Page[Any]:
    rows, total = registry.list_plans(db=db, actor=user, page=paging, kind=kind, owner_type=owner_type,
                                      region_code=region_code, area_code=area_code, incident_kind=incident_kind, q=q)
    return Page.of(PlanRead, rows, total, paging)


@router.post("", response_model=PlanRead, status_code=201)
def create_plan(body: PlanCreate, db: DbSession, user: ApiUser) -> Any:
    return registry.create_plan(db=db, actor=user, data=body)


@router.post("/files", response_model=UploadRead, status_code=201)
async def upload(db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> Any:
    """A plan document or filing material (.docx / .pdf) or a drill photo; link it by id next."""
    row = registry.upload_document(db=db, actor=user, data=await file.read(), filename=file.filename or "upload")
    return UploadRead(id=row.id, filename=row.filename, content_type=files.media_type(row), size=row.size)


@router.get("/filings", response_model=Page[FilingRead])
def list_filings(db: DbSession, user: ApiUser, paging: Paging, status: str | None = None,
                 plan_id: RecordId | None = None) -> Page[Any]:
    rows, total = filings.list_filings(db=db, actor=user, page=paging, status=status, plan_id=plan_id)
    return Page(items=[filing_read(v) for v in rows], total=total, page=paging.page, page_size=paging.page_size)


@router.post("/filings", response_model=FilingRead, status_code=201)
def submit_filing(body: FilingCreate, db: DbSession, user: ApiUser) -> Any:
    return filing_read(filings.view(db, filings.submit(db=db, actor=user, data=body)))


@router.get("/filings/{filing_id}", response_model=FilingRead)
def get_filing(filing_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return filing_read(filings.view(db, filings.get_filing(db=db, actor=user, filing_id=filing_id)))


@router.post("/filings/{filing_id}/decision", response_model=FilingRead)
def decide_filing(filing_id: RecordId, body: FilingDecision, db: DbSession, user: ApiUser) -> Any:
    return filing_read(filings.view(db, filings.decide(db=db, actor=user, filing_id=filing_id, data=body)))


@router.get("/filings/{filing_id}/certificate.docx")
def certificate(filing_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    name, data = filing_certificate(db=db, actor=user, filing_id=filing_id)
    return downloads.docx(data, name)


@router.get("/evaluations/due")
def evaluations_due(db: DbSession, user: ApiUser, paging: Paging) -> Page[Any]:
    rows = revision.evaluations_due(db=db, actor=user)
    items = [{"plan_id": r.plan.id, "title": r.plan.title, "owner_name": r.plan.owner_name, "due_on": r.due_on,
              "reason": r.reason, "state": r.state} for r in rows]
    return Page.sliced(items, paging)


@router.get("/drills", response_model=Page[DrillRead])
def list_drills(db: DbSession, user: ApiUser, paging: Paging, plan_id: RecordId | None = None,
                status: str | None = None) -> Page[Any]:
    rows, total = drills.list_drills(db=db, actor=user, page=paging, plan_id=plan_id, status=status)
    return Page.of(DrillRead, rows, total, paging)


@router.post("/drills", response_model=DrillRead, status_code=201)
def create_drill(body: DrillCreate, db: DbSession, user: ApiUser) -> Any:
    return drills.create_drill(db=db, actor=user, data=body)


@router.get("/drills/gaps")
def drill_gaps(db: DbSession, user: ApiUser, paging: Paging) -> Page[Any]:
    rows = drills.drill_gaps(db=db, actor=user, only_gaps=True)
    items = [{"unit_name": g.unit_name, "plan_id": g.plan.id if g.plan else None, "rule": g.rule.label,
              "status": g.status, "missed_period": g.missed_period, "due_by": g.due_by, "last_drill": g.last_drill}
             for g in rows]
    return Page.sliced(items, paging)


@router.get("/drills/{drill_id}", response_model=DrillRead)
def get_drill(drill_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return drills.get_drill(db=db, actor=user, drill_id=drill_id)


@router.put("/drills/{drill_id}/record", response_model=DrillRead)
def record_drill(drill_id: RecordId, body: DrillRecord, db: DbSession, user: ApiUser) -> Any:
    return drills.record_drill(db=db, actor=user, drill_id=drill_id, data=body)


@router.put("/drills/{drill_id}/evaluation", response_model=DrillRead)
def evaluate_drill(drill_id: RecordId, body: DrillEvaluation, db: DbSession, user: ApiUser) -> Any:
    return drills.evaluate_drill(db=db, actor=user, drill_id=drill_id, data=body)


@router.get("/drills/{drill_id}/actions", response_model=Page[ActionRead])
def drill_actions(drill_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(drills.actions(db=db, actor=user, drill_id=drill_id), paging, ActionRead)


# --- response from a plan during an incident -----------------------------------------------------


def suggestion_item(s: response.Suggestion) -> dict[str, Any]:
    level = s.level or {}
    return {"plan_id": s.plan.id, "code": s.plan.code, "title": s.plan.title, "kind": s.plan.kind,
            "owner_name": s.plan.owner_name, "why": s.why, "level": level.get("level"),
            "level_label": level.get("label"), "trigger": level.get("trigger"), "tasks": s.tasks,
            "unknown_conditions": s.unknown}


@router.get("/suggestions")
def suggestions(incident_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Page[Any]:
    """The plans that apply to an incident (its kind, place, enterprise), each with the response level its
    triggers give for the incident's figures and grade, and that level's tasks; triggered ones first."""
    _facts, rows = response.suggestions(db=db, actor=user, incident_id=incident_id)
    return Page.sliced([suggestion_item(s) for s in rows], paging)


@router.post("/suggestions/adopt")
def adopt_tasks(body: AdoptTasks, db: DbSession, user: ApiUser) -> dict[str, Any]:
    """The triggered level's tasks of an applicable plan become the incident's tasks in one step (the
    incidents capability's command right applies); tasks already adopted from it are not added again."""
    created, skipped = response.adopt_tasks(db=db, actor=user, incident_id=body.incident_id, plan_id=body.plan_id)
    return {"created": [{"id": t.id, "title": t.title, "assignee": t.assignee, "detail": t.detail}
                        for t in created], "skipped": skipped}


# --- training ------------------------------------------------------------------------------------


@router.get("/training/rates")
def rates(db: DbSession, user: ApiUser, paging: Paging, on: date | None = None) -> Page[Any]:
    items = [{"key": r.rate.rule.key, "label": r.rate.rule.label, "target": r.rate.rule.target,
              "value": r.rate.value, "reached": r.rate.reached, "population": r.rate.population, "met": r.rate.met,
              "unknown": r.rate.unknown, "met_ids": r.rate.met_ids, "unmet_ids": r.rate.unmet_ids,
              "unknown_ids": r.rate.unknown_ids} for r in training.rates(db=db, actor=user, on=on)]
    return Page.sliced(items, paging)


@router.get("/training/trainees", response_model=Page[TraineeRead])
def list_trainees(db: DbSession, user: ApiUser, paging: Paging, category: str | None = None) -> Page[Any]:
    rows, total = training.list_trainees(db=db, actor=user, page=paging, category=category)
    return Page.of(TraineeRead, rows, total, paging)


@router.post("/training/trainees", response_model=TraineeRead, status_code=201)
def create_trainee(body: TraineeCreate, db: DbSession, user: ApiUser) -> Any:
    return training.create_trainee(db=db, actor=user, data=body)


@router.post("/training/courses", response_model=CourseRead, status_code=201)
def create_course(body: CourseCreate, db: DbSession, user: ApiUser) -> Any:
    return training.create_course(db=db, actor=user, data=body)


@router.post("/training/certificates", response_model=CertificateRead, status_code=201)
def add_certificate(body: CertificateCreate, db: DbSession, user: ApiUser) -> Any:
    return training.add_certificate(db=db, actor=user, data=body)


# --- one plan (after the fixed paths above) ------------------------------------------------------


@router.get("/{plan_id}", response_model=PlanRead)
def get_plan(plan_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return registry.read_plan(db=db, actor=user, plan_id=plan_id)


@router.get("/{plan_id}/versions", response_model=Page[VersionRead])
def list_versions(plan_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(registry.versions(db=db, actor=user, plan_id=plan_id), paging, VersionRead)


@router.post("/{plan_id}/versions", response_model=VersionRead, status_code=201)
def add_version(plan_id: RecordId, body: VersionCreate, db: DbSession, user: ApiUser) -> Any:
    return registry.add_version(db=db, actor=user, plan_id=plan_id, data=body)


@router.get("/{plan_id}/files/{attachment_id}")
def plan_file(plan_id: RecordId, attachment_id: RecordId, db: DbSession, user: ApiUser) -> FileResponse:
    row, path = registry.plan_attachment(db=db, actor=user, plan_id=plan_id, attachment_id=attachment_id)
    return FileResponse(path, media_type=files.media_type(row), filename=row.filename)


@router.post("/{plan_id}/triggers", status_code=201)
def add_trigger(plan_id: RecordId, body: TriggerCreate, db: DbSession, user: ApiUser) -> dict[str, Any]:
    row = revision.add_trigger(db=db, actor=user, plan_id=plan_id, data=body)
    return {"id": row.id, "code": row.code, "occurred_on": row.occurred_on}


@router.post("/{plan_id}/evaluations", status_code=201)
def record_evaluation(plan_id: RecordId, body: EvaluationCreate, db: DbSession, user: ApiUser) -> dict[str, Any]:
    row = revision.record_evaluation(db=db, actor=user, plan_id=plan_id, data=body)
    return {"id": row.id, "evaluated_on": row.evaluated_on, "conclusion": row.conclusion}


@router.get("/{plan_id}/evaluation")
def evaluation(plan_id: RecordId, db: DbSession, user: ApiUser) -> dict[str, Any]:
    r = revision.evaluation_due(db=db, actor=user, plan_id=plan_id)
    return {"due_on": r.due_on, "reason": r.reason, "state": r.state}
