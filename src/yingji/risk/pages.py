"""HTML pages of dual prevention (Jinja2 + HTMX), for duty officers, townships and enterprises alike: what
each sees and may do follows from the service's permission and scope checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from yingji.core import files
from yingji.core.clock import LOCAL_TZ
from yingji.core.errors import DomainError, invalid
from yingji.core.i18n import validation_details
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.registry import service as registry_service
from yingji.registry.enums import INDUSTRY_LABELS
from yingji.risk import enums
from yingji.risk.public_pages import router as public_router
from yingji.risk.schemas import FiveAssurances, HazardCreate, MajorHazardCreate, ReportDecision, RiskPointCreate
from yingji.risk.service import escalation, excel_io, hazards, major_hazards, points, reports, supervision
from yingji.web.deps import DbSession, PageUser
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(public_router)
PAGE_SIZE = 50


def labels() -> dict[str, Any]:
    return {
        "level_labels": enums.LEVEL_LABELS,
        "level_short": enums.LEVEL_SHORT,
        "industry_labels": INDUSTRY_LABELS,
        "grade_labels": enums.HAZARD_GRADE_LABELS,
        "status_labels": enums.HAZARD_STATUS_LABELS,
        "source_labels": enums.HAZARD_SOURCE_LABELS,
        "action_labels": enums.ACTION_LABELS,
        "major_labels": enums.MAJOR_GRADE_LABELS,
        "report_labels": enums.REPORT_STATUS_LABELS,
        "method_labels": enums.METHOD_LABELS,
        "unit_labels": enums.UNIT_TYPE_LABELS,
    }


def local_deadline(value: str | None, field: str = "deadline") -> datetime | None:
    """A date from a form (Asia/Shanghai) → the end of that day in UTC."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise invalid(field, "日期格式应为 2026-06-01") from None
    return datetime.combine(day, time(23, 59), tzinfo=LOCAL_TZ).astimezone(UTC)


def errors_of(exc: Exception) -> tuple[str, dict[str, str]]:
    if isinstance(exc, ValidationError):
        details = validation_details(list(exc.errors()))
        return "输入有误，请更正标红的项目", {d["field"]: d["message"] for d in details}
    assert isinstance(exc, DomainError)
    return exc.message, {d.field: d.message for d in exc.details}


async def photo_ids(db, form: FormData, user, field: str = "photo") -> list[int]:
    ids = []
    for item in form.getlist(field):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read()
            if data:
                ids.append(files.store(db, data=data, filename=item.filename, field=field, uploaded_by=user.id).id)
    return ids


def townships(db) -> list:
    return geo_service.region_infos(db=db, level="township")


# --- overview: supervision by risk ---------------------------------------------------------------


@router.get("/risk", response_class=HTMLResponse)
def overview(
    request: Request, db: DbSession, user: PageUser, industry: str = "", township: str = "", level: str = ""
) -> HTMLResponse:
    view = supervision.district_view(db=db, actor=user, industry=industry or None, township_code=township or None)
    rows = [r for r in view["rows"] if not level or (r.level or "none") == level]
    charts = {k: view[k] for k in ("by_level", "by_industry", "by_township", "trend")}
    return render(
        request,
        "risk/overview.html",
        {
            **labels(),
            "view": view,
            "rows": rows[:300],
            "shown": len(rows),
            "charts": charts,
            "counts": supervision.open_counts(db=db, actor=user),
            "townships": townships(db),
            "filters": {"industry": industry, "township": township, "level": level},
        },
    )


@router.get("/risk/card", response_class=HTMLResponse)
def card(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    rows = supervision.enterprise_risks(db=db, actor=user)
    by_level = {lv: sum(1 for r in rows if r.level == lv) for lv in enums.RiskLevel}
    return render(
        request,
        "risk/card.html",
        {**labels(), "by_level": by_level, "counts": supervision.open_counts(db=db, actor=user)},
    )


@router.get("/risk/enterprises/{enterprise_id}", response_class=HTMLResponse)
def enterprise_page(request: Request, db: DbSession, user: PageUser, enterprise_id: int) -> HTMLResponse:
    return _enterprise(request, db, user, enterprise_id)


def _enterprise(request, db, user, enterprise_id: int, *, values=None, errors=None, message="", status=200):
    risk = supervision.enterprise_risk(db=db, actor=user, enterprise_id=enterprise_id)
    pts, _ = points.list_points(db=db, actor=user, page=PageParams(page=1, page_size=500), enterprise_id=enterprise_id)
    hz, _ = hazards.list_hazards(db=db, actor=user, page=PageParams(page=1, page_size=100), enterprise_id=enterprise_id)
    return render(
        request,
        "risk/enterprise.html",
        {
            **labels(),
            "risk": risk,
            "points": pts,
            "hazards": hz,
            "is_overdue": hazards.is_overdue,
            "sources": major_hazards.list_sources(db=db, actor=user, enterprise_id=enterprise_id),
            "values": values or {},
            "errors": errors or {},
            "message": message,
        },
        status_code=status,
    )


@router.post("/risk/enterprises/{enterprise_id}/points", response_class=HTMLResponse)
async def add_point(request: Request, db: DbSession, user: PageUser, enterprise_id: int) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}
    method = values.get("method", "lec")
    keys = ("L", "E", "C") if method == "lec" else ("likelihood", "severity")
    grading: dict[str, Any] = {"method": method, **{k: values.get(k) for k in keys}}
    if method == "matrix":
        grading = {k: (int(v) if isinstance(v, str) and v.isdigit() else v) for k, v in grading.items()}
    try:
        with db.begin_nested():
            data = RiskPointCreate(
                enterprise_id=enterprise_id,
                grading=grading,
                **{
                    k: values.get(k, "")
                    for k in ("name", "location", "activity", "hazards", "controls", "responsible_person")
                },
            )
            points.create_point(db=db, actor=user, data=data)
    except (ValidationError, DomainError) as exc:
        message, errors = errors_of(exc)
        return _enterprise(request, db, user, enterprise_id, values=values, errors=errors, message=message, status=422)
    return RedirectResponse(f"/risk/enterprises/{enterprise_id}#points", status_code=303)


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
    paging = PageParams(page=max(page, 1), page_size=PAGE_SIZE)
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
            "pages": max(1, -(-total // PAGE_SIZE)),
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


# --- risk points, major hazard sources -----------------------------------------------------------


@router.get("/risk/points", response_class=HTMLResponse)
def points_page(request: Request, db: DbSession, user: PageUser, page: int = 1, level: str = "") -> HTMLResponse:
    paging = PageParams(page=max(page, 1), page_size=PAGE_SIZE)
    rows, total = points.list_points(db=db, actor=user, page=paging, level=level or None)
    ids = {p.enterprise_id for p in rows if p.enterprise_id}
    names = {i: registry_service.enterprise_info(db=db, enterprise_id=i).name for i in ids}
    return render(
        request,
        "risk/points.html",
        {
            **labels(),
            "rows": rows,
            "total": total,
            "paging": paging,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "level": level,
            "names": names,
        },
    )


@router.get("/risk/major-hazards", response_class=HTMLResponse)
def major_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _major(request, db, user)


def _major(request, db, user, *, values=None, result=None, message="", errors=None, status=200):
    rows = major_hazards.list_sources(db=db, actor=user)
    ids = {r.enterprise_id for r in rows}
    if user.enterprise_id:
        ids.add(user.enterprise_id)
    names = {i: registry_service.enterprise_info(db=db, enterprise_id=i).name for i in ids}
    return render(
        request,
        "risk/major_hazards.html",
        {
            **labels(),
            "rows": rows,
            "names": names,
            "values": values or {},
            "result": result,
            "message": message,
            "errors": errors or {},
        },
        status_code=status,
    )


@router.post("/risk/major-hazards", response_class=HTMLResponse)
async def major_assess(request: Request, db: DbSession, user: PageUser) -> Response:
    form = await request.form()
    v = {k: val for k, val in form.items() if isinstance(val, str)}
    subs = []
    for i in range(6):
        name, cas, qty = v.get(f"name{i}", "").strip(), v.get(f"cas{i}", "").strip(), v.get(f"qty{i}", "").strip()
        if name or cas or qty:
            subs.append(
                {
                    "name": name or None,
                    "cas": cas or None,
                    "quantity_t": qty,
                    "symbol": v.get(f"symbol{i}", "").strip() or None,
                }
            )
    people = v.get("exposed_people", "0")
    payload = {
        "unit_type": v.get("unit_type"),
        "substances": subs,
        "exposed_people": int(people) if people.isdigit() else people,
    }
    try:
        with db.begin_nested():
            result = major_hazards.assess(actor=user, payload=payload)
            if v.get("save") == "1":
                eid = user.enterprise_id or (int(v["enterprise_id"]) if v.get("enterprise_id", "").isdigit() else 0)
                if not eid:
                    raise invalid("enterprise_id", "保存须填写企业编号")
                major_hazards.create_source(
                    db=db,
                    actor=user,
                    data=MajorHazardCreate(
                        enterprise_id=eid,
                        name=v.get("unit_name") or "未命名单元",
                        unit_type=payload["unit_type"],
                        substances=subs,
                        exposed_people=payload["exposed_people"],
                    ),
                )
                return RedirectResponse("/risk/major-hazards", status_code=303)
    except (ValidationError, DomainError) as exc:
        message, errors = errors_of(exc)
        return _major(request, db, user, values=v, message=message, errors=errors, status=422)
    return _major(request, db, user, values=v, result=result.as_dict())


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


# --- Excel ---------------------------------------------------------------------------------------


@router.get("/risk/import", response_class=HTMLResponse)
def import_page(request: Request, user: PageUser) -> HTMLResponse:
    return render(request, "risk/import.html", {**labels(), "kinds": excel_io.KINDS})


@router.post("/risk/import/{kind}", response_class=HTMLResponse)
async def import_upload(request: Request, db: DbSession, user: PageUser, kind: str) -> HTMLResponse:
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    try:
        with db.begin_nested():
            n = excel_io.import_rows(db=db, actor=user, kind=kind, data=data)
    except DomainError as exc:
        return render(
            request,
            "risk/import.html",
            {
                **labels(),
                "kinds": excel_io.KINDS,
                "kind": kind,
                "message": exc.message,
                "details": exc.details,
            },
            status_code=exc.status_code,
        )
    return render(request, "risk/import.html", {**labels(), "kinds": excel_io.KINDS, "kind": kind, "imported": n})
