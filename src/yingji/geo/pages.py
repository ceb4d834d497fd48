from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from yingji.geo import service
from yingji.geo.enums import LEVEL_LABELS
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
