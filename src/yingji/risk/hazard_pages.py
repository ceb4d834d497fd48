"""Pages of the hidden-hazard closed loop and of the public-report leads."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from yingji.core.errors import DomainError, invalid
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.registry import service as registry_service
from yingji.risk import enums
from yingji.risk.page_helpers import PAGE_SIZE, errors_of, labels, local_deadline, photo_ids
from yingji.risk.schemas import FiveAssurances, HazardCreate, ReportDecision
from yingji.risk.service import escalation, hazards, reports
from yingji.web.deps import DbSession, PageUser
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


# --- hidden hazards ------------------------------------------------------------------------------


@router.get("/risk/hazards", response_class=HTMLResponse)
def hazards_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    page: int = 1,
    status: str = "",
    grade: str = "",
    overdue: str = "",
    supervised: str = "",
) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = hazards.list_hazards(
        db=db,
        actor=user,
        page=paging,
        status=status or None,
        grade=grade or None,
        overdue=overdue == "1" or None,
        supervised=True if supervised == "1" else None,
    )
    query = f"status={status}&grade={grade}&overdue={overdue}&supervised={supervised}"
    return render(
        request,
        "risk/hazards.html",
        {
            **labels(),
            "rows": rows,
            "total": total,
            "paging": paging,
            "pages": paging.page_count(total),
            "filters": {"status": status, "grade": grade, "overdue": overdue, "supervised": supervised},
            "query": query,
            "is_overdue": hazards.is_overdue,
        },
    )


def _new_form(request, db, user, *, values=None, errors=None, message="", status=200):
    enterprises = []
    if user.enterprise_id is None:
        enterprises, _ = registry_service.list_enterprises(db=db, actor=user, page=PageParams(page=1, page_size=500))
    return render(
        request,
        "risk/hazard_form.html",
        {
            **labels(),
            "values": values or {},
            "errors": errors or {},
            "message": message,
            "enterprises": enterprises,
            "villages": [v for v in geo_service.region_infos(db=db, level="village")],
        },
        status_code=status,
    )


@router.get("/risk/hazards/new", response_class=HTMLResponse)
def new_hazard_form(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _new_form(request, db, user, values={"enterprise_id": str(user.enterprise_id or "")})


@router.post("/risk/hazards/new", response_class=HTMLResponse)
async def create_hazard(request: Request, db: DbSession, user: PageUser) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}
    try:
        with db.begin_nested():
            enterprise_id = user.enterprise_id or (
                int(values["enterprise_id"]) if values.get("enterprise_id") else None
            )
            data = HazardCreate(
                enterprise_id=enterprise_id,
                region_code=values.get("region_code") or None,
                place=values.get("place", ""),
                title=values.get("title", ""),
                description=values.get("description", ""),
                grade=values.get("grade") or "general",
                source=values.get("source") or None,
                deadline=local_deadline(values.get("deadline")),
                responsible_person=values.get("responsible_person", ""),
                responsible_phone=values.get("responsible_phone") or None,
                attachment_ids=await photo_ids(db, form, user),
            )
            hazard = hazards.create_hazard(db=db, actor=user, data=data)
    except (ValidationError, DomainError) as exc:
        message, errors = errors_of(exc)
        return _new_form(request, db, user, values=values, errors=errors, message=message, status=422)
    return RedirectResponse(f"/risk/hazards/{hazard.id}", status_code=303)


def _detail(request, db, user, hazard_id: int, *, message: str = "", errors=None, status=200):
    h = hazards.get_hazard(db=db, actor=user, hazard_id=hazard_id)
    enterprise = registry_service.enterprise_info(db=db, enterprise_id=h.enterprise_id) if h.enterprise_id else None
    actions = [a for a in hazards.allowed_actions(h.status) if user.can(hazards.ACTION_PERMISSION[a])]
    return render(
        request,
        "risk/hazard.html",
        {
            **labels(),
            "h": h,
            "enterprise": enterprise,
            "events": hazards.events(db=db, actor=user, hazard_id=hazard_id),
            "actions": actions,
            "overdue": hazards.is_overdue(h),
            "missing": hazards.missing_five_assurances(h),
            "five_fields": hazards.FIVE_FIELDS,
            "notices": escalation.list_notices(db=db, actor=user, hazard_id=h.id),
            "message": message,
            "errors": errors or {},
        },
        status_code=status,
    )


@router.get("/risk/hazards/{hazard_id}", response_class=HTMLResponse)
def hazard_page(request: Request, db: DbSession, user: PageUser, hazard_id: int) -> HTMLResponse:
    return _detail(request, db, user, hazard_id)


@router.post("/risk/hazards/{hazard_id}/{step}", response_class=HTMLResponse)
async def hazard_step(request: Request, db: DbSession, user: PageUser, hazard_id: int, step: str) -> Response:
    form = await request.form()
    v = {k: val for k, val in form.items() if isinstance(val, str)}
    try:
        with db.begin_nested():
            if step == "five-assurances":
                hazards.set_five_assurances(
                    db=db,
                    actor=user,
                    hazard_id=hazard_id,
                    data=FiveAssurances(
                        responsibility=v.get("responsibility", ""),
                        measures=v.get("measures", ""),
                        funds=v.get("funds") or None,
                        deadline=local_deadline(v.get("deadline")),
                        plan=v.get("plan", ""),
                    ),
                )
            elif step == "supervise":
                hazards.supervise(
                    db=db,
                    actor=user,
                    hazard_id=hazard_id,
                    supervising_unit=v.get("supervising_unit", ""),
                    note=v.get("note", ""),
                )
            elif step in {a.value for a in enums.HazardAction}:
                hazards.transition(
                    db=db,
                    actor=user,
                    hazard_id=hazard_id,
                    action=step,
                    note=v.get("note", ""),
                    attachment_ids=await photo_ids(db, form, user),
                    grade=v.get("grade") or None,
                    deadline=local_deadline(v.get("deadline")),
                )
            else:
                raise invalid("action", "操作无效")
    except (ValidationError, DomainError) as exc:
        message, errors = errors_of(exc)
        return _detail(
            request, db, user, hazard_id, message=message, errors=errors, status=getattr(exc, "status_code", 422)
        )
    return RedirectResponse(f"/risk/hazards/{hazard_id}", status_code=303)


# --- public reports (staff side) -----------------------------------------------------------------


@router.get("/risk/reports", response_class=HTMLResponse)
def reports_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    status: str = "pending",
    message: str = "",
    errors: dict | None = None,
    code: int = 200,
) -> HTMLResponse:
    rows, total = reports.list_reports(db=db, actor=user, page=PageParams(page=1, page_size=200), status=status or None)
    return render(
        request,
        "risk/reports.html",
        {
            **labels(),
            "rows": rows,
            "total": total,
            "status": status,
            "message": message,
            "errors": errors or {},
        },
        status_code=code,
    )


@router.post("/risk/reports/{report_id}", response_class=HTMLResponse)
async def decide_report(request: Request, db: DbSession, user: PageUser, report_id: int) -> Response:
    form = await request.form()
    v = {k: val for k, val in form.items() if isinstance(val, str)}
    try:
        with db.begin_nested():
            report = reports.decide(
                db=db,
                actor=user,
                report_id=report_id,
                data=ReportDecision(
                    accept=v.get("accept") == "1",
                    note=v.get("note", ""),
                    title=v.get("title", ""),
                    grade=v.get("grade") or "general",
                    deadline=local_deadline(v.get("deadline")),
                ),
            )
    except (ValidationError, DomainError) as exc:
        message, errors = errors_of(exc)
        return reports_page(request, db, user, message=message, errors=errors, code=422)
    target = f"/risk/hazards/{report.hazard_id}" if report.hazard_id else "/risk/reports"
    return RedirectResponse(target, status_code=303)
