"""HTML pages of the plans capability: the registry with search, a plan, the bureau's filing queue, the
drill gaps and the training rates (Jinja2, Simplified Chinese; no inline scripts)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from yingji.core.pagination import PageParams
from yingji.plans import enums
from yingji.plans.service import drills, filings, registry, revision, training
from yingji.plans.service.common import region_names
from yingji.plans.training import CATEGORY_LABELS
from yingji.web.deps import DbSession, PageUser
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
LABELS = {
    "kind": enums.PLAN_KIND_LABELS,
    "level": enums.LEVEL_LABELS,
    "filing": enums.FILING_STATUS_LABELS,
    "drill_kind": enums.DRILL_KIND_LABELS,
    "drill_status": enums.DRILL_STATUS_LABELS,
    "materials": enums.FILING_MATERIALS,
    "checklist": enums.FILING_CHECKLIST,
    "eval_parts": enums.EVALUATION_PARTS,
    "category": CATEGORY_LABELS,
    "cert": enums.CERTIFICATE_KIND_LABELS,
}


def _render(request: Request, name: str, ctx: dict[str, Any]) -> HTMLResponse:
    return render(request, f"plans/{name}", {"labels": LABELS, **ctx})


@router.get("/plans", response_class=HTMLResponse)
def registry_page(request: Request, db: DbSession, user: PageUser, page: int = 1, kind: str = "", q: str = "",
                  region_code: str = "") -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = registry.list_plans(db=db, actor=user, page=paging, kind=kind or None, q=q or None,
                                      region_code=region_code or None)
    due = revision.evaluations_due(db=db, actor=user, states=("overdue", "due_soon"))
    return _render(request, "plans.html", {"rows": rows, "total": total, "paging": paging, "kind": kind, "q": q,
                                           "due": due[:20], "names": region_names(db)})


@router.get("/plans/filings", response_class=HTMLResponse)
def filings_page(request: Request, db: DbSession, user: PageUser, page: int = 1, status: str = "") -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = filings.list_filings(db=db, actor=user, page=paging, status=status or None)
    return _render(request, "filings.html", {"rows": rows, "total": total, "paging": paging, "status": status})


@router.get("/plans/drills", response_class=HTMLResponse)
def drills_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    gaps = drills.drill_gaps(db=db, actor=user)
    recent, _ = drills.list_drills(db=db, actor=user, page=PageParams(page_size=30))
    return _render(request, "drills.html", {"gaps": gaps, "recent": recent})


@router.get("/plans/training", response_class=HTMLResponse)
def training_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _render(request, "training.html", {"rates": training.rates(db=db, actor=user),
                                              "expiring": training.expiring_certificates(db=db, actor=user)[:50]})


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, plan_id: int, db: DbSession, user: PageUser) -> HTMLResponse:
    plan = registry.read_plan(db=db, actor=user, plan_id=plan_id)
    plan_drills, _ = drills.list_drills(db=db, actor=user, page=PageParams(page_size=50), plan_id=plan.id)
    history, _ = filings.list_filings(db=db, actor=user, page=PageParams(page_size=50), plan_id=plan.id)
    return _render(request, "plan.html", {
        "plan": plan,
        "versions": registry.versions(db=db, actor=user, plan_id=plan.id),
        "state": filings.filing_state(db=db, actor=user, plan_id=plan.id),
        "history": history,
        "evaluation": revision.evaluation_due(db=db, actor=user, plan_id=plan.id),
        "triggers": revision.list_triggers(db=db, actor=user, plan_id=plan.id),
        "drills": plan_drills,
    })
