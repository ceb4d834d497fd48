"""The response from a plan during an incident: the open incidents the user sees, and for one of them the
plans that apply with the triggered response level and its tasks (``/plans/response?incident_id=``). The
incident's own page is the incidents capability's; it links here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from yingji.core.errors import PermissionDenied
from yingji.core.pagination import PageParams
from yingji.incidents import service as incidents_service
from yingji.plans.pages.common import render_page
from yingji.plans.service import response
from yingji.web.deps import DbSession, PageUser

router = APIRouter(include_in_schema=False)


@router.get("/plans/response", response_class=HTMLResponse)
def response_page(request: Request, db: DbSession, user: PageUser, incident_id: int | None = None) -> HTMLResponse:
    if incident_id is None:
        try:
            open_incidents, _ = incidents_service.list_incidents(db=db, actor=user, page=PageParams(page_size=50),
                                                                 status="open")
        except PermissionDenied:
            open_incidents = []
        return render_page(request, "response.html", {"incidents": open_incidents, "facts": None, "rows": []})
    facts, rows = response.suggestions(db=db, actor=user, incident_id=incident_id)
    return render_page(request, "response.html", {"incidents": [], "facts": facts, "rows": rows})
