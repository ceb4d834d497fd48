"""HTML pages of the resources capability (Jinja2 + HTMX, Simplified Chinese, usable on a phone): the
overview and the dashboard card here, one module per sub-domain of the service (teams, stock, shelters)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from yingji.resources import service
from yingji.resources.pages import shelters, stock, teams
from yingji.resources.pages.common import render_page
from yingji.web.deps import DbSession, PageUser

router = APIRouter(include_in_schema=False)


@router.get("/resources", response_class=HTMLResponse)
def overview(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return render_page(
        request,
        "overview.html",
        {
            "teams": service.team_counts(db=db, actor=user),
            "cert": service.certification(db=db, actor=user),
            "shelters": service.shelter_totals(db=db, actor=user),
            "alerts": service.list_alerts(db=db, actor=user),
            "warehouses": service.list_warehouses(db=db, actor=user),
            "expiring": service.expiring_certificates(db=db, actor=user)[:20],
        },
    )


@router.get("/resources/cards", response_class=HTMLResponse)
def dashboard_card(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    if not user.can("resources.read"):
        return HTMLResponse("")
    return render_page(
        request,
        "_card.html",
        {
            "teams": service.team_counts(db=db, actor=user),
            "shelters": service.shelter_totals(db=db, actor=user),
            "alerts": service.list_alerts(db=db, actor=user, limit=5),
            "cert": service.certification(db=db, actor=user),
        },
    )


# After the overview's own routes, in the order the pages were always matched.
for _module in (teams, stock, shelters):
    router.include_router(_module.router)
