"""The response from a plan during an incident: the open incidents the user sees, and for one of them the
plans that apply with the triggered response level and its tasks (``/plans/response?incident_id=``). The
incident's own page is the incidents capability's; it links here."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from yingji.core.errors import PermissionDenied
from yingji.core.pagination import PageParams
from yingji.incidents import service as incidents_service
from yingji.plans.pages.common import FormState, post_form, render_page
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
    return _suggestions_page(request, db, user, incident_id)


def _suggestions_page(request: Request, db, user, incident_id: int, state: FormState | None = None,
                      status: int = 200) -> HTMLResponse:
    facts, rows = response.suggestions(db=db, actor=user, incident_id=incident_id)
    return render_page(request, "response.html", {
        "incidents": [], "facts": facts, "rows": rows, "can_adopt": user.can("incidents.command")},
        form=state, status=status)


@router.post("/plans/response/adopt", response_class=HTMLResponse)
async def adopt(request: Request, db: DbSession, user: PageUser, incident_id: int, plan_id: int) -> Response:
    """The 转为事件任务 button: the plan's triggered tasks become the incident's tasks; on to the workspace."""
    async def action(_v: dict[str, Any], _form: FormData) -> str:
        response.adopt_tasks(db=db, actor=user, incident_id=incident_id, plan_id=plan_id)
        return f"/incidents/{incident_id}"

    return await post_form(request, db, "adopt", action,
                           lambda f, s: _suggestions_page(request, db, user, incident_id, f, s))
