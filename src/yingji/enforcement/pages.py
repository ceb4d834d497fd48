"""HTML pages of the enforcement capability for the bureau and its officers: the enforceable items and
checklists, the draws (each with its commitment, pool, roster and result) and the caps. The public pages
(draw records, decisions) are in ``public_pages.py``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from yingji.core.pagination import PageParams
from yingji.enforcement import enums
from yingji.enforcement import public_pages as _public
from yingji.enforcement.case_procedure import STEP_LABELS, case_rules
from yingji.enforcement.service import cases, credit, draws, figures, inspections, items, plans, roster
from yingji.enforcement.service.items import industry_choices
from yingji.web.deps import DbSession, PageUser
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(_public.router)
PAGE_SIZE = 50


def labels() -> dict[str, Any]:
    return {"kind": enums.ITEM_KIND_LABELS, "item_status": enums.ITEM_STATUS_LABELS,
            "draw_status": enums.DRAW_STATUS_LABELS, "grade": enums.GRADE_LABELS,
            "industry": {v: k for k, v in industry_choices().items()}}


def _render(request: Request, name: str, ctx: dict[str, Any]) -> HTMLResponse:
    return render(request, f"enforcement/{name}", {"labels": labels(), **ctx})


@router.get("/enforcement", response_class=HTMLResponse)
def items_page(request: Request, db: DbSession, user: PageUser, page: int = 1, industry: str = "") -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = items.list_items(db=db, actor=user, page=paging, industry=industry or None)
    return _render(request, "items.html", {"rows": rows, "total": total, "paging": paging, "industry": industry})


@router.get("/enforcement/checklists/{industry}", response_class=HTMLResponse)
def checklist_page(request: Request, industry: str, db: DbSession, user: PageUser) -> HTMLResponse:
    return _render(request, "checklist.html", {"industry": industry,
                                               "rows": items.checklist(db=db, actor=user, industry=industry)})


@router.get("/enforcement/draws", response_class=HTMLResponse)
def draws_page(request: Request, db: DbSession, user: PageUser, page: int = 1) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = draws.list_draws(db=db, actor=user, page=paging)
    caps = roster.list_caps(db=db, actor=user)
    return _render(request, "draws.html", {"rows": [draws.view(r, user) for r in rows], "total": total,
                                           "paging": paging, "caps": caps})


@router.get("/enforcement/draws/{draw_id}", response_class=HTMLResponse)
def draw_page(request: Request, draw_id: int, db: DbSession, user: PageUser) -> HTMLResponse:
    d = draws.view(draws.get_draw(db=db, actor=user, draw_id=draw_id), user)
    return _render(request, "draw.html", {"d": d, "townships": draws.township_names(db), "public": False})


@router.get("/enforcement/cases", response_class=HTMLResponse)
def cases_page(request: Request, db: DbSession, user: PageUser, page: int = 1, step: str = "") -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = cases.list_cases(db=db, actor=user, page=paging, step=step or None)
    return _render(request, "cases.html", {"rows": rows, "total": total, "paging": paging, "step": step,
                                           "steps": STEP_LABELS})


@router.get("/enforcement/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, db: DbSession, user: PageUser) -> HTMLResponse:
    case = cases.get_case(db=db, actor=user, case_id=case_id)
    return _render(request, "case.html", {"c": case, "band": cases.band(case), "deadlines": cases.deadlines(db, case),
                                          "history": cases.steps(db, case), "steps": STEP_LABELS,
                                          "violation": case_rules()["bands"].get(case.violation, {})})


@router.get("/enforcement/figures", response_class=HTMLResponse)
def figures_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _render(request, "figures.html", {"f": figures.figures(db=db, actor=user), "steps": STEP_LABELS})


PLAN_STATUS = {"draft": "草稿", "published": "已公布", "superseded": "已被新计划取代"}


@router.get("/enforcement/plans", response_class=HTMLResponse)
def plans_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _render(request, "plans.html", {"rows": plans.list_plans(db=db, actor=user), "status": PLAN_STATUS})


@router.get("/enforcement/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, plan_id: int, db: DbSession, user: PageUser) -> HTMLResponse:
    return _render(request, "plan.html", {"p": plans.get_plan(db=db, actor=user, plan_id=plan_id),
                                          "status": PLAN_STATUS})


@router.get("/enforcement/listings", response_class=HTMLResponse)
def listings_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    rows = [credit.view(r) for r in credit.list_listings(db=db, actor=user)]
    return _render(request, "listings.html", {"rows": rows})


@router.get("/enforcement/inspections/{inspection_id}/phone", response_class=HTMLResponse)
def inspection_phone_page(request: Request, inspection_id: int, db: DbSession, user: PageUser) -> HTMLResponse:
    """The inspection on a phone: checklist, findings with photo and GPS, signatures, the enterprise's
    acknowledgement; the draft kept in the browser and synced when online (``inspection-phone.js``)."""
    v = inspections.phone_view(db=db, actor=user, inspection_id=inspection_id)
    row = v["inspection"]
    data = {
        "inspection_id": row.id,
        "api": f"/api/v1/enforcement/inspections/{row.id}",
        "csrf": request.state.csrf_token,
        "inspectors": [{"id": i.id, "name": i.name} for i in v["inspectors"]],
        "synced_findings": [f.client_key for f in v["findings"]],
    }
    return _render(request, "phone.html", {"v": v, "page_data": data})


@router.get("/enforcement/inspections", response_class=HTMLResponse)
def inspections_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    rows = inspections.list_inspections(db=db, actor=user)[:PAGE_SIZE * 4]
    names = {r.enterprise_id: inspections.enterprise_name(db, r.enterprise_id) for r in rows}
    return _render(request, "inspections.html", {"rows": rows, "names": names,
                                                 "can_record": user.can("enforcement.inspections.write")})
