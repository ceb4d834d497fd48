"""Pages of drill runs (情景构建 / 桌面推演): ``/drills`` lists the runs and starts one (from a plan's 演练
record: ``/drills?plan_drill_id=``), ``/drills/{id}`` shows each step with its times, takes the waiting
step, finishes the run, and shows the evaluation with its .docx. Everything on them is marked 演练."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yingji.core.errors import DomainError
from yingji.core.pagination import PageParams
from yingji.incidents import service
from yingji.incidents.drill_scenarios import LABELS, scenarios
from yingji.incidents.service.drill_runs import steps
from yingji.web.deps import DbSession, PageUser
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


def _list(request: Request, db, user, *, plan_drill_id: int | None, message: str = "", status: int = 200):
    rows, total = service.list_drill_runs(db=db, actor=user, page=PageParams(page=1, page_size=100))
    return render(request, "incidents/drills.html", {
        "user": user, "rows": rows, "total": total, "scenarios": list(scenarios().values()),
        "plan_drill_id": plan_drill_id, "message": message, "can_start": user.can("incidents.drill")},
        status_code=status)


@router.get("/drills", response_class=HTMLResponse)
def drill_list(request: Request, db: DbSession, user: PageUser, plan_drill_id: int | None = None) -> Response:
    return _list(request, db, user, plan_drill_id=plan_drill_id)


@router.post("/drills", response_class=HTMLResponse)
async def drill_start(request: Request, db: DbSession, user: PageUser) -> Response:
    form = await request.form()
    plan = str(form.get("plan_drill_id") or "").strip()
    try:
        with db.begin_nested():
            run = service.start_drill_run(db=db, actor=user, scenario_code=str(form.get("scenario") or ""),
                                          plan_drill_id=int(plan) if plan.isdigit() else None)
    except DomainError as exc:
        return _list(request, db, user, plan_drill_id=int(plan) if plan.isdigit() else None, message=exc.message,
                     status=exc.status_code)
    return RedirectResponse(f"/drills/{run.id}", status_code=303)


def _detail(request: Request, db, user, run_id: int, *, message: str = "", status: int = 200):
    run, rows = service.evaluate_drill_run(db=db, actor=user, run_id=run_id)
    return render(request, "incidents/drill.html", {
        "user": user, "run": run, "steps": steps(db, run.id), "rows": rows, "kind_labels": LABELS,
        "message": message, "can_finish": user.can("incidents.drill")}, status_code=status)


@router.get("/drills/{run_id}", response_class=HTMLResponse)
def drill_detail(request: Request, db: DbSession, user: PageUser, run_id: int) -> Response:
    return _detail(request, db, user, run_id)


@router.post("/drills/{run_id}/{action}", response_class=HTMLResponse)
async def drill_action(request: Request, db: DbSession, user: PageUser, run_id: int, action: str) -> Response:
    do = {"step": service.take_drill_step, "finish": service.finish_drill_run}.get(action)
    if do is None:
        return _detail(request, db, user, run_id, message="未知操作", status=404)
    try:
        with db.begin_nested():
            do(db=db, actor=user, run_id=run_id)
    except DomainError as exc:
        return _detail(request, db, user, run_id, message=exc.message, status=exc.status_code)
    return RedirectResponse(f"/drills/{run_id}", status_code=303)
