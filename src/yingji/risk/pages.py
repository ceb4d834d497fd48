"""HTML pages of dual prevention (Jinja2 + HTMX), for duty officers, townships and enterprises alike: what
each sees and may do follows from the service's permission and scope checks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from yingji.core.errors import DomainError, invalid
from yingji.core.pagination import PageParams, page_list
from yingji.registry import service as registry_service
from yingji.risk import enums
from yingji.risk.hazard_pages import router as hazard_router
from yingji.risk.page_helpers import PAGE_SIZE, errors_of, labels, townships
from yingji.risk.public_pages import router as public_router
from yingji.risk.schemas import MajorHazardCreate, RiskPointCreate
from yingji.risk.service import excel_io, hazards, major_hazards, points, supervision
from yingji.web.deps import DbSession, PageUser
from yingji.web.shell import flags_of
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
ENTERPRISES_PER_PAGE = 50
router.include_router(public_router)
router.include_router(hazard_router)


# --- overview: supervision by risk ---------------------------------------------------------------


@router.get("/risk", response_class=HTMLResponse)
def overview(
    request: Request,
    db: DbSession,
    user: PageUser,
    industry: str = "",
    township: str = "",
    level: str = "",
    page: int = 1,
) -> HTMLResponse:
    view = supervision.district_view(db=db, actor=user, industry=industry or None, township_code=township or None)
    paging = PageParams.clamped(page, ENTERPRISES_PER_PAGE)
    rows, shown = page_list([r for r in view["rows"] if not level or (r.level or "none") == level], paging)
    charts = {k: view[k] for k in ("by_level", "by_industry", "by_township", "trend")}
    return render(
        request,
        "risk/overview.html",
        {
            **labels(),
            "view": view,
            "rows": rows,
            "shown": shown,
            "paging": paging,
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
            "flags": flags_of(db, [enterprise_id])[enterprise_id],
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


# --- risk points, major hazard sources -----------------------------------------------------------


def enterprise_names(db, ids: set[int]) -> dict[int, str]:
    return {i: registry_service.enterprise_info(db=db, enterprise_id=i).name for i in ids}


@router.get("/risk/points", response_class=HTMLResponse)
def points_page(request: Request, db: DbSession, user: PageUser, page: int = 1, level: str = "") -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = points.list_points(db=db, actor=user, page=paging, level=level or None)
    names = enterprise_names(db, {p.enterprise_id for p in rows if p.enterprise_id})
    return render(
        request,
        "risk/points.html",
        {
            **labels(),
            "rows": rows,
            "total": total,
            "paging": paging,
            "pages": paging.page_count(total),
            "level": level,
            "names": names,
        },
    )


@router.get("/risk/major-hazards", response_class=HTMLResponse)
def major_page(request: Request, db: DbSession, user: PageUser, page: int = 1) -> HTMLResponse:
    return _major(request, db, user, page=page)


def _major(request, db, user, *, values=None, result=None, message="", errors=None, status=200, page: int = 1):
    paging = PageParams.clamped(page, ENTERPRISES_PER_PAGE)
    rows, total = page_list(major_hazards.list_sources(db=db, actor=user), paging)
    names = enterprise_names(db, {r.enterprise_id for r in rows})
    return render(
        request,
        "risk/major_hazards.html",
        {
            **labels(),
            "rows": rows,
            "total": total,
            "paging": paging,
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
