from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from yingji.core.errors import NotFound
from yingji.geo import service
from yingji.geo.enums import LEVEL_LABELS
from yingji.geo.tiles import TileSourceError, open_source
from yingji.web.deps import DbSession, PageUser
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
