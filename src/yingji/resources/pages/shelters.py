"""Shelter pages, coverage of the shelters' service radius, and nearest resources by road."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from yingji.core.errors import invalid
from yingji.core.pagination import PageParams, page_list
from yingji.resources import service
from yingji.resources.pages.common import PAGE_SIZE, form_model, render_page
from yingji.resources.schemas import OccupancyUpdate
from yingji.web.deps import DbSession, PageUser

router = APIRouter(include_in_schema=False)


@router.get("/resources/shelters", response_class=HTMLResponse)
def shelters_page(
    request: Request, db: DbSession, user: PageUser, level: str = "", condition: str = "", page: int = 1
) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = service.list_shelters(
        db=db, actor=user, page=paging, level=level or None, condition=condition or None
    )
    return render_page(
        request,
        "shelters.html",
        {"rows": rows, "total": total, "paging": paging, "filters": {"level": level, "condition": condition}},
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
    data = form_model(OccupancyUpdate, {"occupancy": occupancy, "open": open == "on"})
    shelter = service.set_occupancy(db=db, actor=user, shelter_id=shelter_id, data=data)
    return render_page(request, "_shelter_row.html", {"s": shelter})


@router.get("/resources/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, db: DbSession, user: PageUser, only: str = "", page: int = 1) -> HTMLResponse:
    result = service.coverage(db=db, actor=user)
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, shown = page_list(
        [r for r in result["rows"] if r["outside"]] if only == "outside" else result["rows"], paging
    )
    return render_page(
        request,
        "coverage.html",
        {
            **result,
            "rows": rows,
            "shown": shown,
            "paging": paging,
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
    return render_page(
        request,
        "nearest.html",
        {
            "result": result,
            "materials": service.list_materials(db=db, actor=user),
            "values": {"lon": lon, "lat": lat, "kind": kind, "material_id": material_id, "k": k},
        },
    )
