"""Team pages: lists, a team, volunteer registration, status (also through a team's own link), experts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yingji.core.clock import utcnow
from yingji.core.errors import DomainError
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.resources import service
from yingji.resources.pages.common import LABELS, PAGE_SIZE, form_model, render_page
from yingji.resources.schemas import TeamCreate, TeamStatusUpdate
from yingji.web.deps import DbSession, MaybePageUser, PageUser, check_anonymous_csrf, in_scope
from yingji.web.templating import render_anonymous_form

router = APIRouter(include_in_schema=False)


@router.get("/resources/teams", response_class=HTMLResponse)
def teams_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    page: int = 1,
    kind: str = "",
    status: str = "",
    q: str = "",
    approval: str = "",
) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = service.list_teams(
        db=db, actor=user, page=paging, kind=kind or None, status=status or None, q=q or None, approval=approval or None
    )
    return render_page(
        request,
        "teams.html",
        {
            "rows": rows,
            "total": total,
            "paging": paging,
            "pages": paging.page_count(total),
            "filters": {"kind": kind, "status": status, "q": q, "approval": approval},
        },
    )


@router.get("/resources/teams/volunteer", response_class=HTMLResponse)
def volunteer_form(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return render_page(request, "volunteer_form.html", {"values": {}, "regions": _own_regions(db, user)})


@router.post("/resources/teams/volunteer", response_class=HTMLResponse)
async def volunteer_register(request: Request, db: DbSession, user: PageUser) -> Response:
    """志愿者组织登记 (township, village officer, bureau): it waits for the bureau's approval."""
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if k != "csrf_token" and str(v).strip()}
    try:
        data = form_model(TeamCreate, {**values, "kind": "volunteer"})
        team = service.register_volunteer_team(db=db, actor=user, data=data)
    except DomainError as exc:
        return render_page(
            request,
            "volunteer_form.html",
            {"values": values, "regions": _own_regions(db, user), "message": exc.message},
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/resources/teams/{team.id}", status_code=303)


def _own_regions(db: DbSession, user: Any) -> list[Any]:

    return [
        r
        for r in geo_service.region_infos(db=db)
        if r.level in ("township", "village")
        and (user.scope_path is None or r.path == user.scope_path or r.path.startswith(user.scope_path + "/"))
    ]


@router.get("/resources/teams/{team_id}", response_class=HTMLResponse)
def team_page(
    request: Request,
    team: Annotated[Any, in_scope(service.get_team, "team_id", page=True)],
    db: DbSession,
    user: PageUser,
    link: str = "",
) -> HTMLResponse:
    return render_page(
        request,
        "team.html",
        {
            "t": team,
            "members": service.list_members(db=db, actor=user, team_id=team.id),
            "equipment": service.list_equipment(db=db, actor=user, team_id=team.id),
            "link": link,
            "today": utcnow().date(),
        },
    )


@router.post("/resources/teams/{team_id}/status", response_class=HTMLResponse)
def team_status(
    request: Request, db: DbSession, user: PageUser, team_id: int, status: str = Form(), note: str = Form("")
) -> HTMLResponse:
    data = form_model(TeamStatusUpdate, {"status": status, "note": note})
    team = service.set_team_status(db=db, actor=user, team_id=team_id, data=data)
    return render_page(request, "_team_row.html", {"t": team})


@router.post("/resources/teams/{team_id}/approval")
def team_approval(db: DbSession, user: PageUser, team_id: int, decision: str = Form()) -> Response:
    service.decide_volunteer_team(db=db, actor=user, team_id=team_id, approve=decision == "approve")
    return RedirectResponse("/resources/teams?approval=pending", status_code=303)


@router.post("/resources/teams/{team_id}/status-link", response_class=HTMLResponse)
def team_status_link(request: Request, db: DbSession, user: PageUser, team_id: int) -> HTMLResponse:
    token = service.issue_status_link(db=db, actor=user, team_id=team_id)
    team = service.get_team(db=db, actor=user, team_id=team_id)
    return team_page(
        request, team, db, user, link=str(request.base_url).rstrip("/") + f"/resources/team-status/{token}"
    )


@router.get("/resources/team-status/{token}", response_class=HTMLResponse)
def own_status_form(request: Request, db: DbSession, user: MaybePageUser, token: str) -> HTMLResponse:
    team = service.team_by_status_token(db=db, token=token)
    return render_anonymous_form(request, "resources/own_status.html", {"t": team, "labels": LABELS})


@router.post("/resources/team-status/{token}", response_class=HTMLResponse)
def own_status_set(
    request: Request,
    db: DbSession,
    token: str,
    status: str = Form(),
    note: str = Form(""),
    csrf_token: str = Form(""),
) -> HTMLResponse:
    check_anonymous_csrf(request, csrf_token)
    data = form_model(TeamStatusUpdate, {"status": status, "note": note})
    team = service.set_status_by_token(db=db, token=token, data=data)
    return render_anonymous_form(request, "resources/own_status.html", {"t": team, "labels": LABELS, "saved": True})


@router.get("/resources/experts", response_class=HTMLResponse)
def experts_page(
    request: Request, db: DbSession, user: PageUser, speciality: str = "", q: str = "", page: int = 1
) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = service.list_experts(db=db, actor=user, page=paging, speciality=speciality or None, q=q or None)
    return render_page(
        request,
        "experts.html",
        {"rows": rows, "total": total, "paging": paging, "filters": {"speciality": speciality, "q": q}},
    )
