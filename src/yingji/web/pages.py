"""Shell pages: the duty dashboard, the 一张图 map, and a plain page for capabilities not built yet."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yingji.accounts import service as accounts_service
from yingji.accounts.service import ROLE_LABELS
from yingji.geo import basemaps
from yingji.geo import service as geo_service
from yingji.geo.enums import LEVEL_LABELS
from yingji.registry import service as registry_service
from yingji.registry.service import INDUSTRY_LABELS
from yingji.web import officer
from yingji.web.deps import DbSession, PageUser
from yingji.web.nav import NAV
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(officer.router)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, db: DbSession, user: PageUser) -> Response:
    if user.role == "info_officer":
        return RedirectResponse("/officer", status_code=303)  # their home is their village's page
    regions = geo_service.counts_by_level(db=db)
    industries = registry_service.enterprise_counts_by_industry(db=db, actor=user)
    roles = accounts_service.counts_by_role(db=db) if user.can("accounts.manage") else {}
    charts = {
        "regions": [{"name": LEVEL_LABELS[k], "value": v} for k, v in regions.items()],
        "industries": sorted(
            ({"name": INDUSTRY_LABELS.get(k, k), "value": v} for k, v in industries.items()),
            key=lambda d: -d["value"],
        ),
        "roles": [{"name": ROLE_LABELS.get(k, k), "value": v} for k, v in roles.items()],
    }
    totals = {
        "regions": sum(regions.values()),
        "villages": regions.get("village", 0),
        "enterprises": sum(industries.values()),
        "users": sum(roles.values()) if roles else None,
    }
    return render(request, "web/dashboard.html", {"charts": charts, "totals": totals})


@router.get("/map", response_class=HTMLResponse)
def one_map(request: Request, user: PageUser) -> HTMLResponse:
    settings = request.app.state.settings
    bases = basemaps.configured(
        basemaps=settings.map_basemaps, tiles_file=settings.map_tiles, tiles_crs=settings.map_tiles_crs
    )
    return render(
        request,
        "web/map.html",
        {"full_screen": True, "map_config": {"basemaps": bases.items, "problems": bases.problems}},
    )


def _not_built(capability: str):
    entry = next(e for e in NAV if e.capability == capability)

    def page(request: Request, user: PageUser) -> HTMLResponse:
        return render(request, "web/not_built.html", {"entry": entry})

    return page


for _entry in NAV:
    if _entry.capability != "web" and not _entry.built:
        router.add_api_route(_entry.url, _not_built(_entry.capability), methods=["GET"], response_class=HTMLResponse)
