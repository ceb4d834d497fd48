"""Pages of filing (备案): the bureau's queue with the working days left, submitting a plan with its
第二十七条 materials (one file per material) and the check — accept with every checklist item passed, or
return with reasons — both from the plan's page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from yingji.core.pagination import PageParams
from yingji.plans.enums import FILING_CHECKLIST, FILING_MATERIALS
from yingji.plans.pages.common import PAGE_SIZE, listed, post_form, render_page, uploads
from yingji.plans.pages.registry import plan_page_response
from yingji.plans.schemas import FilingCreate, FilingDecision
from yingji.plans.service import filings
from yingji.plans.service.common import writable_plan
from yingji.web.deps import DbSession, PageUser

router = APIRouter(include_in_schema=False)
plan_router = APIRouter(include_in_schema=False)


@router.get("/plans/filings", response_class=HTMLResponse)
def filings_page(request: Request, db: DbSession, user: PageUser, page: int = 1, status: str = "") -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = filings.list_filings(db=db, actor=user, page=paging, status=status or None)
    return render_page(request, "filings.html", {"rows": rows, "total": total, "paging": paging, "status": status})


@router.post("/plans/filings/{filing_id}/decision", response_class=HTMLResponse)
async def decide(request: Request, filing_id: int, db: DbSession, user: PageUser) -> Response:
    plan_id = filings.get_filing(db=db, actor=user, filing_id=filing_id).plan_id

    async def action(v: dict[str, Any], _form: FormData) -> str:
        passed = set(listed(v.get("checklist")))
        filings.decide(db=db, actor=user, filing_id=filing_id, data=FilingDecision(
            decision=v.get("decision", ""), checklist={k: k in passed for k in FILING_CHECKLIST},
            reasons=v.get("reasons", "")))
        return f"/plans/{plan_id}#filing"

    return await post_form(request, db, "decision",
                           action, lambda f, s: plan_page_response(request, db, user, plan_id, f, s))


@plan_router.post("/plans/{plan_id}/filings", response_class=HTMLResponse)
async def submit(request: Request, plan_id: int, db: DbSession, user: PageUser) -> Response:
    async def action(_v: dict[str, Any], form: FormData) -> str:
        writable_plan(db, user, plan_id, "plans.filing.submit")  # refusal before storing anything
        materials: dict[str, int] = {}
        for key in FILING_MATERIALS:
            ids = await uploads(db, user, form, f"materials.{key}")
            if ids:
                materials[key] = ids[0]
        filings.submit(db=db, actor=user, data=FilingCreate(plan_id=plan_id, materials=materials))  # type: ignore[arg-type]
        return f"/plans/{plan_id}#filing"

    return await post_form(request, db, "filing", action,
                           lambda f, s: plan_page_response(request, db, user, plan_id, f, s))
