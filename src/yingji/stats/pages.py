"""HTML pages of the statistics capability: the indicators of 专栏1 (each year's figure linked to its
records), the yearly inputs (edit and Excel import), all the plan's rates, the plan's tasks with their
progress and the evaluation reports; and, from their own modules, the duty-room wall (``screen_pages``) and
the statistical reports with the generic table export (``reports_pages``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from yingji.core.errors import DomainError, PermissionDenied, invalid
from yingji.core.i18n import validation_details
from yingji.stats import reports_pages, screen_pages
from yingji.stats.indicators import rounded
from yingji.stats.schemas import ProgressCreate, YearInputWrite
from yingji.stats.service import figures, inputs, rates, tasks
from yingji.stats.service.common import this_year
from yingji.web.deps import DbSession, PageUser
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
for _module in (screen_pages, reports_pages):
    router.include_router(_module.router)


def _render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    return render(request, f"stats/{name}", {"fmt": _fmt, "pct": _pct, **ctx}, status_code=status)


def _fmt(v: Any, places: int = 4) -> str:
    if v is None:
        return "缺"
    return f"{rounded(Decimal(str(v)), places).normalize():,f}"


def _pct(v: float | None) -> str:
    return "无数据" if v is None else f"{v * 100:.1f}%"


def _errors(exc: Exception) -> tuple[str, list[dict[str, str]]]:
    if isinstance(exc, ValidationError):
        details = validation_details(list(exc.errors()))
        return "输入有误", [{"field": d["field"], "message": d["message"]} for d in details]
    assert isinstance(exc, DomainError)
    return exc.message, [{"field": d.field, "message": d.message} for d in exc.details]


@router.get("/stats", response_class=HTMLResponse)
def indicators_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    if not user.can("stats.read"):
        raise PermissionDenied("无权查看统计指标")
    rows, years = figures.indicators(db=db, actor=user)
    return _render(request, "indicators.html", {"rows": rows, "years": years, "tab": "indicators",
                                                "labels": figures.FIGURE_LABELS, "missing_label": figures.missing_label,
                                                "can_records": user.can("incidents.read")})


@router.get("/stats/records/{year}/{figure}", response_class=HTMLResponse)
def records_page(request: Request, db: DbSession, user: PageUser, year: int, figure: str) -> HTMLResponse:
    if not 2000 <= year <= 2100:
        raise invalid("year", "年份无效")
    rows = figures.records(db=db, actor=user, year_=year, figure=figure)
    return _render(request, "records.html", {"rows": rows, "year": year, "label": figures.FIGURE_LABELS[figure],
                                             "figure": figure, "tab": "indicators"})


def _inputs(request: Request, db: Any, user: Any, *, message: str = "", errors: list | None = None,
            status: int = 200) -> HTMLResponse:
    return _render(request, "inputs.html", {"rows": inputs.list_inputs(db=db, actor=user), "message": message,
                                            "errors": errors or [], "can_edit": user.can("stats.inputs"),
                                            "yi": inputs.YI, "tab": "inputs", "this_year": this_year()}, status)


@router.get("/stats/inputs", response_class=HTMLResponse)
def inputs_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _inputs(request, db, user)


def _optional(form: Any, key: str) -> str | None:
    v = str(form.get(key) or "").strip().replace(",", "")
    return v or None


@router.post("/stats/inputs", response_class=HTMLResponse)
async def save_input(request: Request, db: DbSession, user: PageUser) -> Response:
    form = await request.form()
    try:
        try:
            year = int(str(form.get("year") or ""))
        except ValueError:
            raise invalid("year", "须为年份") from None
        try:
            gdp = _optional(form, "gdp_yi")
            data = YearInputWrite(gdp_yi=Decimal(gdp) if gdp else None, population=_optional(form, "population"),
                                  vehicles=_optional(form, "vehicles"), source=str(form.get("source") or ""))
        except InvalidOperation:
            raise invalid("gdp_yi", "须为数字") from None
        with db.begin_nested():
            inputs.set_input(db=db, actor=user, year=year, data=data)
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, PermissionDenied):
            raise
        message, errors = _errors(exc)
        return _inputs(request, db, user, message=message, errors=errors, status=422)
    return RedirectResponse("/stats/inputs", status_code=303)


@router.post("/stats/inputs/import", response_class=HTMLResponse)
async def import_inputs(request: Request, db: DbSession, user: PageUser) -> Response:
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    try:
        with db.begin_nested():
            n = inputs.import_xlsx(db=db, actor=user, data=data)
    except DomainError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        message, errors = _errors(exc)
        return _inputs(request, db, user, message=message, errors=errors, status=422)
    return _inputs(request, db, user, message=f"已导入 {n} 个年份")


@router.get("/stats/rates", response_class=HTMLResponse)
def rates_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    rows = rates.gather(db=db, actor=user)
    years = sorted({y for r in rows for y in r.trend})
    return _render(request, "rates.html", {"rows": rows, "years": years, "tab": "rates"})


@router.get("/stats/tasks", response_class=HTMLResponse)
def tasks_page(request: Request, db: DbSession, user: PageUser, lead: str = "", status: str = "",
               message: str = "") -> HTMLResponse:
    rows = tasks.list_tasks(db=db, actor=user)
    leads = sorted({p.task.lead for p in rows})
    shown = [p for p in rows if (not lead or p.task.lead == lead) and (not status or p.status == status)]
    return _render(request, "tasks.html", {"rows": shown, "all": rows, "summary": tasks.summary(rows), "leads": leads,
                                           "lead": lead, "status": status, "labels": tasks.STATUS_LABELS,
                                           "tab": "tasks", "message": message,
                                           "can_load": user.can("stats.tasks")})


@router.post("/stats/tasks/load", response_class=HTMLResponse)
async def load_tasks(request: Request, db: DbSession, user: PageUser) -> Response:
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    try:
        text = data.decode("utf-8") if data else None
    except UnicodeDecodeError:
        text = "\x00"
    try:
        with db.begin_nested():
            n = tasks.load_tasks(db=db, actor=user, text=text)
    except DomainError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        rows = tasks.list_tasks(db=db, actor=user)
        return _render(request, "tasks.html", {"rows": rows, "all": rows, "summary": tasks.summary(rows),
                                               "leads": [], "lead": "", "status": "", "labels": tasks.STATUS_LABELS,
                                               "tab": "tasks", "message": exc.message,
                                               "errors": _errors(exc)[1], "can_load": True}, 422)
    return RedirectResponse(f"/stats/tasks?message=已载入 {n} 项任务", status_code=303)


def _task(request: Request, db: Any, user: Any, task_id: int, *, message: str = "", errors: list | None = None,
          status: int = 200) -> HTMLResponse:
    progress, history = tasks.get_task(db=db, actor=user, task_id=task_id)
    return _render(request, "task.html", {"p": progress, "history": history, "labels": tasks.STATUS_LABELS,
                                          "can_report": user.can("stats.progress"), "message": message,
                                          "errors": errors or [], "tab": "tasks", "this_year": this_year()},
                   status)


@router.get("/stats/tasks/{task_id}", response_class=HTMLResponse)
def task_page(request: Request, db: DbSession, user: PageUser, task_id: int) -> HTMLResponse:
    return _task(request, db, user, task_id)


@router.post("/stats/tasks/{task_id}/progress", response_class=HTMLResponse)
async def report_progress(request: Request, db: DbSession, user: PageUser, task_id: int) -> Response:
    form = await request.form()
    try:
        with db.begin_nested():
            ids = []
            for upload in form.getlist("files"):
                if isinstance(upload, UploadFile) and upload.filename:
                    row = tasks.store_evidence(db=db, actor=user, data=await upload.read(), filename=upload.filename)
                    ids.append(row.id)
            value = _optional(form, "value")
            try:
                data = ProgressCreate(year=str(form.get("year") or this_year()), status=str(form.get("status") or ""),
                                      value=Decimal(value) if value else None, note=str(form.get("note") or ""),
                                      department=str(form.get("department") or ""), attachment_ids=ids)
            except InvalidOperation:
                raise invalid("value", "须为数字") from None
            tasks.report_progress(db=db, actor=user, task_id=task_id, data=data)
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, PermissionDenied):
            raise
        message, errors = _errors(exc)
        return _task(request, db, user, task_id, message=message, errors=errors, status=422)
    return RedirectResponse(f"/stats/tasks/{task_id}", status_code=303)
