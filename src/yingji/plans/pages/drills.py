"""Pages of drills: the frequency gaps and recent drills, planning a drill (from its plan's page), one drill
with its record (attendance, the time of each step, photos) and its AQ/T 9009 evaluation, whose findings
become follow-up actions with owners and deadlines."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from yingji.core.actor import Actor
from yingji.core.clock import LOCAL_TZ
from yingji.core.errors import invalid
from yingji.core.pagination import PageParams
from yingji.plans.pages.common import FormState, day, lines, opt, post_form, render_page, uploads
from yingji.plans.pages.registry import plan_page_response
from yingji.plans.schemas import DrillCreate, DrillEvaluation, DrillRecord, DrillStep, FollowUp
from yingji.plans.service import drills
from yingji.web.deps import DbSession, PageUser

router = APIRouter(include_in_schema=False)
plan_router = APIRouter(include_in_schema=False)


@router.get("/plans/drills", response_class=HTMLResponse)
def drills_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    gaps = drills.drill_gaps(db=db, actor=user)
    recent, _ = drills.list_drills(db=db, actor=user, page=PageParams(page_size=30))
    return render_page(request, "drills.html", {"gaps": gaps, "recent": recent})


def drill_page_response(request: Request, db: Session, user: Actor, drill_id: int, form: FormState | None = None,
                        status: int = 200) -> HTMLResponse:
    drill = drills.get_drill(db=db, actor=user, drill_id=drill_id)
    return render_page(request, "drill.html", {"drill": drill, "actions": drills.actions(db=db, actor=user,
                                                                                          drill_id=drill.id)},
                       form=form, status=status)


@router.get("/plans/drills/{drill_id}", response_class=HTMLResponse)
def drill_page(request: Request, drill_id: int, db: DbSession, user: PageUser) -> HTMLResponse:
    return drill_page_response(request, db, user, drill_id)


def participants(text: Any) -> list[dict[str, str]]:
    """One a line: ``姓名或单位 | 角色`` (the role may be left out)."""
    out = []
    for line in str(text or "").splitlines():
        name, _, role = line.replace("｜", "|").partition("|")
        if name.strip():
            out.append({"name": name.strip()[:100], "role": role.strip()[:60]})
    return out


def steps(text: Any, held_on: Any) -> list[DrillStep]:
    """One a line: ``步骤 | 10:05`` (on the drill's day) or ``步骤 | 2026-11-30 10:05``, Beijing time."""
    out = []
    for n, (name, at) in enumerate(lines(text, "steps", 2), start=1):
        try:
            if len(at) <= 5 and held_on is not None:
                moment = datetime.combine(held_on, time.fromisoformat(at))
            else:
                moment = datetime.fromisoformat(at)
        except ValueError:
            raise invalid("steps", f"第 {n} 行的时间应写成 10:05 或 2026-11-30 10:05") from None
        out.append(DrillStep(name=name, at=moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)))
    return out


@plan_router.post("/plans/{plan_id}/drills", response_class=HTMLResponse)
async def create_drill(request: Request, plan_id: int, db: DbSession, user: PageUser) -> Response:
    async def action(v: dict[str, Any], _form: FormData) -> str:
        drill = drills.create_drill(db=db, actor=user, data=DrillCreate(
            plan_id=plan_id, kind=v.get("kind", ""), scenario=v.get("scenario", ""),
            planned_on=day(v.get("planned_on"), "planned_on"), participants=participants(v.get("participants"))))
        return f"/plans/drills/{drill.id}"

    return await post_form(request, db, "drill", action,
                           lambda f, s: plan_page_response(request, db, user, plan_id, f, s))


@router.post("/plans/drills/{drill_id}/record", response_class=HTMLResponse)
async def record(request: Request, drill_id: int, db: DbSession, user: PageUser) -> Response:
    async def action(v: dict[str, Any], form: FormData) -> str:
        drills.writable_drill(db=db, actor=user, drill_id=drill_id)  # refusal before storing photos
        held_on = day(v.get("held_on"), "held_on")
        photos = await uploads(db, user, form, "photo_ids")
        existing = drills.get_drill(db=db, actor=user, drill_id=drill_id).photo_ids
        drills.record_drill(db=db, actor=user, drill_id=drill_id, data=DrillRecord(
            held_on=held_on, attendance=opt(v.get("attendance")), steps=steps(v.get("steps"), held_on),
            photo_ids=[*existing, *photos], reported_to_county=v.get("reported_to_county") == "on"))
        return f"/plans/drills/{drill_id}"

    return await post_form(request, db, "record", action,
                           lambda f, s: drill_page_response(request, db, user, drill_id, f, s))


@router.post("/plans/drills/{drill_id}/evaluation", response_class=HTMLResponse)
async def evaluate(request: Request, drill_id: int, db: DbSession, user: PageUser) -> Response:
    async def action(v: dict[str, Any], _form: FormData) -> str:
        follow_ups = [FollowUp(finding=f, action=a, owner=o, due_on=day(d, "actions"))  # type: ignore[arg-type]
                      for f, a, o, d in lines(v.get("actions"), "actions", 4)]
        problems = [p.strip() for p in str(v.get("problems", "")).splitlines() if p.strip()]
        drills.evaluate_drill(db=db, actor=user, drill_id=drill_id, data=DrillEvaluation(
            preparation=v.get("preparation", ""), execution=v.get("execution", ""), effect=v.get("effect", ""),
            problems=problems, actions=follow_ups, requires_revision=v.get("requires_revision") == "on"))
        return f"/plans/drills/{drill_id}"

    return await post_form(request, db, "evaluation", action,
                           lambda f, s: drill_page_response(request, db, user, drill_id, f, s))
