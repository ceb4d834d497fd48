"""Public pages, no login (行政执法公示): every draw with its commitment as soon as it is made and its full
record once drawn (downloadable as the JSON that ``yingji enforcement verify-draw`` checks), and the
penalty decisions published with personal data masked."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from yingji.enforcement import enums
from yingji.enforcement.service import cases, credit, draws, plans
from yingji.web import downloads
from yingji.web.deps import DbSession
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/public/enforcement", response_class=HTMLResponse)
def public_index(request: Request, db: DbSession) -> HTMLResponse:
    rows = [draws.view(r, None) for r in draws.public_draws(db=db)]
    return render(request, "enforcement/public_index.html", {"rows": rows, "draw_status": enums.DRAW_STATUS_LABELS,
                                                             "decisions": cases.public_decisions(db=db),
                                                             "plans": plans.public_plans(db=db),
                                                             "listings": credit.public_listings(db=db)})


@router.get("/public/enforcement/plans/{plan_id}", response_class=HTMLResponse)
def public_plan(request: Request, plan_id: int, db: DbSession) -> HTMLResponse:
    return render(request, "enforcement/public_plan.html", {"p": plans.public_plan(db=db, plan_id=plan_id)})


@router.get("/public/enforcement/draws/{draw_no}.json")
def public_record(draw_no: str, db: DbSession) -> Response:
    record = draws.record(draws.public_draw(db=db, draw_no=draw_no))
    body = json.dumps(record, ensure_ascii=False, indent=1)
    return downloads.download(body, f"{draw_no}.json", "application/json; charset=utf-8")


@router.get("/public/enforcement/draws/{draw_no}", response_class=HTMLResponse)
def public_draw(request: Request, draw_no: str, db: DbSession) -> HTMLResponse:
    d = draws.view(draws.public_draw(db=db, draw_no=draw_no), None)
    return render(request, "enforcement/draw.html", {"d": d, "townships": draws.township_names(db), "public": True,
                                                     "labels": {"draw_status": enums.DRAW_STATUS_LABELS}})
