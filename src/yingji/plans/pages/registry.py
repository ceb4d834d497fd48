"""Pages of the plan registry: the list with search, registering a plan, one plan with its forms
(a new version, a revision trigger, an evaluation, a drill, a filing and its check) and the overview of
evaluations due or overdue by owner and township. The ``/plans/{id}`` routes are included last."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from yingji.core.actor import Actor
from yingji.core.errors import DomainError
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.plans.pages.common import (
    PAGE_SIZE,
    FormState,
    day,
    lines,
    listed,
    opt,
    post_form,
    render_page,
    trigger_of,
    uploads,
    words,
)
from yingji.plans.schemas import CommandRole, EvaluationCreate, PlanCreate, ResponseLevel, TriggerCreate, VersionCreate
from yingji.plans.service import drills, filings, registry, revision
from yingji.plans.service.common import region_names, writable_plan
from yingji.registry import service as registry_service
from yingji.web.deps import DbSession, PageUser

router = APIRouter(include_in_schema=False)
plan_router = APIRouter(include_in_schema=False)  # /plans/{plan_id}…: after every fixed path


@router.get("/plans", response_class=HTMLResponse)
def registry_page(request: Request, db: DbSession, user: PageUser, page: int = 1, kind: str = "", q: str = "",
                  region_code: str = "") -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = registry.list_plans(db=db, actor=user, page=paging, kind=kind or None, q=q or None,
                                      region_code=region_code or None)
    due = revision.evaluations_due(db=db, actor=user, states=("overdue", "due_soon"))
    return render_page(request, "plans.html", {"rows": rows, "total": total, "paging": paging, "kind": kind,
                                               "q": q, "due": due[:20], "names": region_names(db)})


# --- the overview of evaluations due (point 3) ---------------------------------------------------


@router.get("/plans/evaluations", response_class=HTMLResponse)
def evaluations_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    rows = revision.evaluations_due(db=db, actor=user, states=("overdue", "due_soon"))
    names = region_names(db)
    groups: dict[tuple[str, str], list[Any]] = {}
    for r in rows:
        groups.setdefault((revision.township_of(r.plan.region_path), r.plan.owner_type), []).append(r)
    table = [{"township": names.get(t, t), "owner_type": o, "overdue": sum(r.state == "overdue" for r in rs),
              "due_soon": sum(r.state == "due_soon" for r in rs), "rows": rs}
             for (t, o), rs in sorted(groups.items())]
    return render_page(request, "evaluations.html", {"table": table, "total": len(rows),
                                                     "remind_days": revision.REMIND_DAYS})


# --- registering a plan --------------------------------------------------------------------------


def _choices(db: Session, user: Actor) -> dict[str, Any]:
    """What the registering form offers: the places, the departments and the enterprises the user sees."""
    try:
        enterprises, _ = registry_service.list_enterprises(db=db, actor=user, page=PageParams(page_size=500))
    except DomainError:
        enterprises = []
    try:
        departments, _ = registry_service.list_departments(db=db, actor=user)
    except DomainError:
        departments = []
    regions = [r for r in geo_service.region_infos(db=db) if r.level in ("township", "village")]
    return {"enterprises": [(e.id, e.name) for e in enterprises],
            "departments": [(d.code, d.name) for d in departments],
            "regions": [(r.code, r.name) for r in regions]}


def _new(request: Request, db: Session, user: Actor, form: FormState | None = None, status: int = 200) -> HTMLResponse:
    return render_page(request, "plan_new.html", _choices(db, user), form=form, status=status)


@router.get("/plans/new", response_class=HTMLResponse)
def new_plan_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _new(request, db, user)


def plan_data(v: dict[str, Any]) -> PlanCreate:
    """The registering form → the API's shape. Response levels one a line:
    ``级别 | 名称 | 启动条件 (名称=值; …) | 任务、任务``; the command structure ``角色 | 岗位 | 人员``."""
    levels = [ResponseLevel(level=lv, label=label, trigger=trigger_of(cond, "response_levels"), tasks=words(tasks))
              for lv, label, cond, tasks in lines(v.get("response_levels"), "response_levels", 4)]
    command = [CommandRole(role=r, post=p, person=n) for r, p, n in lines(v.get("command"), "command", 3)]
    return PlanCreate(
        title=v.get("title", ""), kind=v.get("kind", ""), enterprise_id=opt(v.get("enterprise_id")),
        department_code=opt(v.get("department_code")), region_code=opt(v.get("region_code")),
        incident_kinds=words(v.get("incident_kinds")), area_codes=words(v.get("area_codes")),
        response_levels=levels, command=command, summary=v.get("summary", ""),
        published_on=day(v.get("published_on"), "published_on"),
        responsible_person=v.get("responsible_person", ""), responsible_phone=opt(v.get("responsible_phone")),
    )


@router.post("/plans/new", response_class=HTMLResponse)
async def create_plan(request: Request, db: DbSession, user: PageUser) -> Response:
    async def action(v: dict[str, Any], _form: FormData) -> str:
        return f"/plans/{registry.create_plan(db=db, actor=user, data=plan_data(v)).id}"

    return await post_form(request, db, "plan", action, lambda f, s: _new(request, db, user, f, s))


# --- one plan ------------------------------------------------------------------------------------


def plan_page_response(request: Request, db: Session, user: Actor, plan_id: int, form: FormState | None = None,
                       status: int = 200) -> HTMLResponse:
    plan = registry.read_plan(db=db, actor=user, plan_id=plan_id)
    plan_drills, _ = drills.list_drills(db=db, actor=user, page=PageParams(page_size=50), plan_id=plan.id)
    history, _ = filings.list_filings(db=db, actor=user, page=PageParams(page_size=50), plan_id=plan.id)
    return render_page(request, "plan.html", {
        "plan": plan,
        "versions": registry.versions(db=db, actor=user, plan_id=plan.id),
        "state": filings.filing_state(db=db, actor=user, plan_id=plan.id),
        "history": history,
        "evaluation": revision.evaluation_due(db=db, actor=user, plan_id=plan.id),
        "triggers": revision.list_triggers(db=db, actor=user, plan_id=plan.id),
        "evaluations": revision.list_evaluations(db=db, actor=user, plan_id=plan.id),
        "drills": plan_drills,
        "required_materials": filings.required_materials(plan),
        "can_check": filings.may_check(user, plan),
    }, form=form, status=status)


@plan_router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, plan_id: int, db: DbSession, user: PageUser) -> HTMLResponse:
    return plan_page_response(request, db, user, plan_id)


def _on_plan(request: Request, db: Session, user: Actor, plan_id: int):
    return lambda f, s: plan_page_response(request, db, user, plan_id, f, s)


@plan_router.post("/plans/{plan_id}/versions", response_class=HTMLResponse)
async def add_version(request: Request, plan_id: int, db: DbSession, user: PageUser) -> Response:
    async def action(v: dict[str, Any], form: FormData) -> str:
        writable_plan(db, user, plan_id)  # refusal before storing anything
        ids = await uploads(db, user, form, "attachment_ids")
        registry.add_version(db=db, actor=user, plan_id=plan_id, data=VersionCreate(
            attachment_ids=ids, note=v.get("note", ""), changed_parts=listed(v.get("changed_parts")),
            published_on=day(v.get("published_on"), "published_on")))
        return f"/plans/{plan_id}#versions"

    return await post_form(request, db, "version", action, _on_plan(request, db, user, plan_id))


@plan_router.post("/plans/{plan_id}/triggers", response_class=HTMLResponse)
async def add_trigger(request: Request, plan_id: int, db: DbSession, user: PageUser) -> Response:
    async def action(v: dict[str, Any], _form: FormData) -> str:
        revision.add_trigger(db=db, actor=user, plan_id=plan_id, data=TriggerCreate(
            code=v.get("code", ""), occurred_on=day(v.get("occurred_on"), "occurred_on"), note=v.get("note", "")))
        return f"/plans/{plan_id}#evaluation"

    return await post_form(request, db, "trigger", action, _on_plan(request, db, user, plan_id))


@plan_router.post("/plans/{plan_id}/evaluations", response_class=HTMLResponse)
async def record_evaluation(request: Request, plan_id: int, db: DbSession, user: PageUser) -> Response:
    async def action(v: dict[str, Any], _form: FormData) -> str:
        revision.record_evaluation(db=db, actor=user, plan_id=plan_id, data=EvaluationCreate(
            evaluated_on=day(v.get("evaluated_on"), "evaluated_on"), conclusion=v.get("conclusion", ""),
            note=v.get("note", "")))
        return f"/plans/{plan_id}#evaluation"

    return await post_form(request, db, "evaluation", action, _on_plan(request, db, user, plan_id))
