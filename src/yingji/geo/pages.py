"""Region pages, the offline map's tiles, and a village's page (the 灾害信息员's home).

The village's page: one phone page for a village — the warnings in force there, open hazards and public
reports waiting to be checked, the nearest shelters and teams with their phone numbers, and one-tap
reporting. The sections come from the capabilities (``VILLAGE_PANELS`` in their ``shell.py``), so this
module imports none of them. An officer sees their own village; staff covering more may open any village
in their area with ``?village=<code>`` (outside it: 404, like every out-of-scope read)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from yingji.core.actor import Actor, ensure_region_in_scope, require
from yingji.core.errors import NotFound, invalid
from yingji.geo import service
from yingji.geo.enums import LEVEL_LABELS
from yingji.geo.tiles import TileSourceError, open_source
from yingji.web.deps import DbSession, PageUser
from yingji.web.shell import SHELL, is_built, visible
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/geo/regions", response_class=HTMLResponse)
def regions_page(request: Request, db: DbSession, user: PageUser, parent: str | None = None) -> HTMLResponse:
    current = service.get_region(db=db, code=parent) if parent else service.root(db=db)
    rows = service.children(db=db, region_id=current.id) if current else []
    chain = [service.region_info(db=db, code=c) for c in current.path.split("/")] if current else []
    return render(
        request, "geo/regions.html", {"current": current, "rows": rows, "chain": chain, "level_labels": LEVEL_LABELS}
    )


@router.get("/tiles/{z}/{x}/{y}")
def tile(request: Request, z: int, x: int, y: str) -> Response:
    """One tile of the offline base map (``YINGJI_MAP_TILES``). No login: a base map holds nothing that is
    not public, and the public pages may show it. 404 outside the archive, which Leaflet leaves blank."""
    path = request.app.state.settings.map_tiles
    y_num = y.split(".")[0]  # "/tiles/3/4/2.png" is accepted as well
    if not path or not y_num.isdigit() or not (0 <= z <= 24) or not (0 <= x < (1 << z)) or int(y_num) >= (1 << z):
        raise NotFound("瓦片不存在")
    try:
        source = open_source(path)
    except TileSourceError as exc:
        raise NotFound(str(exc)) from None
    data = source.get(z, x, int(y_num))
    if data is None:
        raise NotFound("瓦片不存在")
    return Response(data, media_type=source.info.media_type, headers={"Cache-Control": "public, max-age=86400"})


def _village(db, user: Actor, code: str | None):
    if not code:
        own = (user.scope_path or "").rsplit("/", 1)[-1]
        if not own:
            raise invalid("village", "请选择村（社区）：/officer?village=村代码")
        code = own
    try:
        village = service.get_region(db=db, code=code)
    except NotFound:
        raise NotFound("村（社区）不存在") from None
    if village.level != "village":
        raise invalid("village", "须为村（社区）代码")
    ensure_region_in_scope(user, village.path, what="村（社区）")
    return village


@router.get("/officer", response_class=HTMLResponse)
def officer_home(request: Request, db: DbSession, user: PageUser, village: str | None = None) -> HTMLResponse:
    require(user, "geo.read")
    v = _village(db, user, village)
    township = service.region_info(db=db, region_id=v.parent_id) if v.parent_id else None
    panels = [(p, p.data(db, user, v)) for p in SHELL.village_panels() if visible(user, p.permission)]
    return render(
        request,
        "geo/officer.html",
        {
            "village": v,
            "township": township,
            "panels": panels,
            "can_report_hazard": user.can("risk.hazard.report"),
            "incidents_built": is_built("incidents"),
        },
    )
