"""HTML pages of the resources capability (Jinja2 + HTMX, Simplified Chinese, usable on a phone)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from yingji.core.clock import utcnow
from yingji.core.errors import DomainError, invalid
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.resources import enums, service
from yingji.resources.schemas import DocumentCreate, LineIn, OccupancyUpdate, TeamCreate, TeamStatusUpdate
from yingji.web.deps import DbSession, MaybePageUser, PageUser, check_anonymous_csrf
from yingji.web.templating import render, render_anonymous_form

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
LABELS = {
    "team_kind": enums.TEAM_KIND_LABELS,
    "station_class": enums.FIRE_STATION_CLASS_LABELS,
    "speciality": enums.SPECIALITY_LABELS,
    "team_status": enums.TEAM_STATUS_LABELS,
    "approval": enums.APPROVAL_LABELS,
    "warehouse_level": enums.WAREHOUSE_LEVEL_LABELS,
    "category": enums.MATERIAL_CATEGORY_LABELS,
    "doc_kind": enums.DOCUMENT_KIND_LABELS,
    "doc_status": enums.DOCUMENT_STATUS_LABELS,
    "shelter_kind": enums.SHELTER_KIND_LABELS,
    "shelter_level": enums.SHELTER_LEVEL_LABELS,
    "condition": enums.SHELTER_CONDITION_LABELS,
    "agreement_kind": enums.AGREEMENT_KIND_LABELS,
}


def _render(request: Request, name: str, ctx: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    return render(request, f"resources/{name}", {"labels": LABELS, **(ctx or {})}, status_code=status_code)


@router.get("/resources", response_class=HTMLResponse)
def overview(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _render(
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
    return _render(
        request,
        "_card.html",
        {
            "teams": service.team_counts(db=db, actor=user),
            "shelters": service.shelter_totals(db=db, actor=user),
            "alerts": service.list_alerts(db=db, actor=user, limit=5),
            "cert": service.certification(db=db, actor=user),
        },
    )


# --- teams ---------------------------------------------------------------------------------------


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
    return _render(
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
    return _render(request, "volunteer_form.html", {"values": {}, "regions": _own_regions(db, user)})


@router.post("/resources/teams/volunteer", response_class=HTMLResponse)
async def volunteer_register(request: Request, db: DbSession, user: PageUser) -> Response:
    """志愿者组织登记 (township, village officer, bureau): it waits for the bureau's approval."""
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if k != "csrf_token" and str(v).strip()}
    try:
        data = _model(TeamCreate, {**values, "kind": "volunteer"})
        team = service.register_volunteer_team(db=db, actor=user, data=data)
    except DomainError as exc:
        return _render(
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
def team_page(request: Request, db: DbSession, user: PageUser, team_id: int, link: str = "") -> HTMLResponse:
    team = service.get_team(db=db, actor=user, team_id=team_id)
    return _render(
        request,
        "team.html",
        {
            "t": team,
            "members": service.list_members(db=db, actor=user, team_id=team_id),
            "equipment": service.list_equipment(db=db, actor=user, team_id=team_id),
            "link": link,
            "today": utcnow().date(),
        },
    )


@router.post("/resources/teams/{team_id}/status", response_class=HTMLResponse)
def team_status(
    request: Request, db: DbSession, user: PageUser, team_id: int, status: str = Form(), note: str = Form("")
) -> HTMLResponse:
    data = _model(TeamStatusUpdate, {"status": status, "note": note})
    team = service.set_team_status(db=db, actor=user, team_id=team_id, data=data)
    return _render(request, "_team_row.html", {"t": team})


@router.post("/resources/teams/{team_id}/approval")
def team_approval(db: DbSession, user: PageUser, team_id: int, decision: str = Form()) -> Response:
    service.decide_volunteer_team(db=db, actor=user, team_id=team_id, approve=decision == "approve")
    return RedirectResponse("/resources/teams?approval=pending", status_code=303)


@router.post("/resources/teams/{team_id}/status-link", response_class=HTMLResponse)
def team_status_link(request: Request, db: DbSession, user: PageUser, team_id: int) -> HTMLResponse:
    token = service.issue_status_link(db=db, actor=user, team_id=team_id)
    return team_page(
        request, db, user, team_id, link=str(request.base_url).rstrip("/") + f"/resources/team-status/{token}"
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
    data = _model(TeamStatusUpdate, {"status": status, "note": note})
    team = service.set_status_by_token(db=db, token=token, data=data)
    return render_anonymous_form(request, "resources/own_status.html", {"t": team, "labels": LABELS, "saved": True})


@router.get("/resources/experts", response_class=HTMLResponse)
def experts_page(request: Request, db: DbSession, user: PageUser, speciality: str = "", q: str = "") -> HTMLResponse:
    rows, total = service.list_experts(
        db=db, actor=user, page=PageParams(page=1, page_size=500), speciality=speciality or None, q=q or None
    )
    return _render(
        request, "experts.html", {"rows": rows, "total": total, "filters": {"speciality": speciality, "q": q}}
    )


# --- warehouses ----------------------------------------------------------------------------------


@router.get("/resources/warehouses", response_class=HTMLResponse)
def warehouses_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _render(
        request,
        "warehouses.html",
        {
            "rows": service.list_warehouses(db=db, actor=user),
            "transit": service.in_transit(db=db, actor=user),
            "alerts": service.list_alerts(db=db, actor=user),
            "agreements": service.list_agreements(db=db, actor=user),
        },
    )


@router.get("/resources/warehouses/{warehouse_id}", response_class=HTMLResponse)
def warehouse_page(request: Request, db: DbSession, user: PageUser, warehouse_id: int, error: str = "") -> HTMLResponse:
    return _render(
        request,
        "warehouse.html",
        {
            "w": service.get_warehouse(db=db, actor=user, warehouse_id=warehouse_id),
            "stock": service.stock(db=db, actor=user, warehouse_id=warehouse_id),
            "documents": service.list_documents(db=db, actor=user, warehouse_id=warehouse_id),
            "materials": service.list_materials(db=db, actor=user),
            "warehouses": service.list_warehouses(db=db, actor=user),
            "error": error,
        },
    )


@router.post("/resources/warehouses/{warehouse_id}/documents", response_class=HTMLResponse)
async def book(request: Request, db: DbSession, user: PageUser, warehouse_id: int) -> Response:
    """One-line documents from the warehouse page, created and posted in one step: 出库 (earliest expiry
    first), 调拨 (in transit until received), 验收入库 (with the acceptance check), 捐赠入库."""
    form = await request.form()
    value = {k: str(v).strip() for k, v in form.items() if k != "csrf_token" and str(v).strip()}
    kind = value.get("kind", "")
    if kind not in ("issue", "transfer", "receipt", "donation"):
        raise invalid("kind", "请选择出库、调拨、验收入库或捐赠入库")
    try:
        qty = Decimal(value.get("quantity", ""))
    except InvalidOperation:
        raise invalid("quantity", "数量须为数字") from None
    line = {"material_id": value.get("material_id"), "quantity": qty}
    if kind in ("receipt", "donation"):
        line |= {k: value.get(k) for k in ("batch_no", "production_date", "expiry_date")}
    body: dict[str, Any] = {
        "kind": kind,
        "warehouse_id": warehouse_id,
        "counterparty": value.get("counterparty", ""),
        "reason": value.get("reason", ""),
        "lines": [_model(LineIn, line)],
    }
    if kind == "transfer":
        body["to_warehouse_id"] = value.get("to_warehouse_id")
    if kind == "receipt":
        body["acceptance"] = {"inspector": value.get("inspector", ""), "passed": value.get("passed") == "on"}
    doc = service.create_document(db=db, actor=user, data=_model(DocumentCreate, body))
    service.post_document(db=db, actor=user, document_id=doc.id)
    return RedirectResponse(f"/resources/warehouses/{warehouse_id}", status_code=303)


@router.post("/resources/documents/{document_id}/reverse")
def reverse(db: DbSession, user: PageUser, document_id: int, reason: str = Form("")) -> Response:
    rev = service.reverse_document(db=db, actor=user, document_id=document_id, reason=reason)
    return RedirectResponse(f"/resources/warehouses/{rev.warehouse_id}", status_code=303)


@router.post("/resources/documents/{document_id}/receive")
def receive(db: DbSession, user: PageUser, document_id: int) -> Response:
    doc = service.receive_transfer(db=db, actor=user, document_id=document_id)
    return RedirectResponse(f"/resources/warehouses/{doc.to_warehouse_id}", status_code=303)


# --- shelters and coverage -----------------------------------------------------------------------


@router.get("/resources/shelters", response_class=HTMLResponse)
def shelters_page(
    request: Request, db: DbSession, user: PageUser, level: str = "", condition: str = ""
) -> HTMLResponse:
    rows, total = service.list_shelters(
        db=db, actor=user, page=PageParams(page=1, page_size=500), level=level or None, condition=condition or None
    )
    return _render(
        request, "shelters.html", {"rows": rows, "total": total, "filters": {"level": level, "condition": condition}}
    )


@router.post("/resources/shelters/{shelter_id}/occupancy", response_class=HTMLResponse)
def shelter_occupancy(
    request: Request,
    db: DbSession,
    user: PageUser,
    shelter_id: int,
    occupancy: int = Form(),
    open: str = Form(""),
) -> HTMLResponse:
    data = _model(OccupancyUpdate, {"occupancy": occupancy, "open": open == "on"})
    shelter = service.set_occupancy(db=db, actor=user, shelter_id=shelter_id, data=data)
    return _render(request, "_shelter_row.html", {"s": shelter})


@router.get("/resources/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, db: DbSession, user: PageUser, only: str = "") -> HTMLResponse:
    result = service.coverage(db=db, actor=user)
    rows = [r for r in result["rows"] if r["outside"]] if only == "outside" else result["rows"]
    return _render(
        request,
        "coverage.html",
        {
            **result,
            "rows": rows,
            "only": only,
            "outside": sum(r["outside"] for r in result["rows"]),
            "all": len(result["rows"]),
        },
    )


@router.get("/resources/nearest", response_class=HTMLResponse)
def nearest_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    lon: str = "",
    lat: str = "",
    kind: str = "team",
    material_id: str = "",
    k: int = 5,
) -> HTMLResponse:
    """就近查找: the nearest available teams, warehouses holding a material, or shelters with room."""
    result = None
    if lon and lat:
        try:
            point = float(lon), float(lat)
        except ValueError:
            raise invalid("lon", "经纬度须为数字") from None
        result = service.nearest(
            db=db,
            actor=user,
            lon=point[0],
            lat=point[1],
            kind=kind,
            k=k,
            material_id=int(material_id) if material_id.isdigit() else None,
        )
    return _render(
        request,
        "nearest.html",
        {
            "result": result,
            "materials": service.list_materials(db=db, actor=user),
            "values": {"lon": lon, "lat": lat, "kind": kind, "material_id": material_id, "k": k},
        },
    )


def _model(model: Any, values: dict[str, Any]) -> Any:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise invalid(".".join(str(p) for p in first["loc"]) or "form", first["msg"]) from None
