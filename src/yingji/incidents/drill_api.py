"""Drill runs API under /api/v1/drills (情景构建 / 桌面推演): thin — parse, call the service, shape. Each
step goes through the real services as the caller, whose rights there apply."""

from __future__ import annotations

from fastapi import APIRouter, Response

from yingji.core.actor import require
from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.incidents import service
from yingji.incidents.drill_scenarios import scenarios
from yingji.incidents.drill_schemas import (
    DrillEvaluationRead,
    DrillRunCreate,
    DrillRunDetail,
    DrillRunRead,
    DrillStepRead,
    EvaluationRowRead,
    ScenarioRead,
)
from yingji.incidents.service.drill_runs import steps
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession, Paging

router = APIRouter(prefix="/drills", tags=["incidents"])


@router.get("/scenarios", response_model=Page[ScenarioRead])
def list_scenarios(user: ApiUser, paging: Paging) -> Page[ScenarioRead]:
    """The scenarios a drill can run: the shipped ones and the district's own."""
    require(user, "incidents.drill.read")
    return Page.sliced([ScenarioRead(code=s.code, title=s.title, summary=s.summary, plan_kind=s.plan_kind,
                         audience=[m["name"] for m in s.audience],
                         steps=[{"kind": t.kind, "name": t.name, "target_minutes": t.target_minutes,
                                 "since": t.since, "basis": t.basis} for t in s.steps])
            for s in scenarios().values()], paging)


@router.get("", response_model=Page[DrillRunRead])
def list_runs(db: DbSession, user: ApiUser, paging: Paging, plan_drill_id: RecordId | None = None
              ) -> Page[DrillRunRead]:
    rows, total = service.list_drill_runs(db=db, actor=user, page=paging, plan_drill_id=plan_drill_id)
    return Page.of(DrillRunRead, rows, total, paging)


def _detail(db, run) -> DrillRunDetail:
    return DrillRunDetail.model_validate({**DrillRunRead.model_validate(run).model_dump(),
                                          "steps": [DrillStepRead.model_validate(s) for s in steps(db, run.id)]})


@router.post("", response_model=DrillRunDetail, status_code=201)
def start_run(body: DrillRunCreate, db: DbSession, user: ApiUser) -> DrillRunDetail:
    """Starts a run of a scenario (the duty room), linked to a plan's 演练 record when given."""
    run = service.start_drill_run(db=db, actor=user, scenario_code=body.scenario, plan_drill_id=body.plan_drill_id)
    return _detail(db, run)


@router.get("/{run_id}", response_model=DrillRunDetail)
def get_run(run_id: RecordId, db: DbSession, user: ApiUser) -> DrillRunDetail:
    return _detail(db, service.get_drill_run(db=db, actor=user, run_id=run_id))


@router.post("/{run_id}/step", response_model=DrillStepRead)
def take_step(run_id: RecordId, db: DbSession, user: ApiUser) -> DrillStepRead:
    """Takes the waiting step through its service as the caller (e.g. the leader signs the warning)."""
    return DrillStepRead.model_validate(service.take_drill_step(db=db, actor=user, run_id=run_id))


@router.post("/{run_id}/finish", response_model=DrillRunDetail)
def finish_run(run_id: RecordId, db: DbSession, user: ApiUser) -> DrillRunDetail:
    """Ends the run: orders released, alarms closed, drill sensors stopped, the plan's 演练 record held."""
    return _detail(db, service.finish_drill_run(db=db, actor=user, run_id=run_id))


@router.get("/{run_id}/evaluation", response_model=DrillEvaluationRead)
def evaluation(run_id: RecordId, db: DbSession, user: ApiUser) -> DrillEvaluationRead:
    """Per step the time taken, and against the scenario's target from its reference step."""
    run, rows = service.evaluate_drill_run(db=db, actor=user, run_id=run_id)
    return DrillEvaluationRead(run=DrillRunRead.model_validate(run),
                               rows=[EvaluationRowRead.model_validate(r) for r in rows])


@router.get("/{run_id}/evaluation.docx")
def evaluation_docx(run_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    """The evaluation as .docx, titled 【演练】."""
    data = service.drill_evaluation_docx(db=db, actor=user, run_id=run_id)
    return downloads.docx(data, f"演练推演评估-{run_id}.docx")
