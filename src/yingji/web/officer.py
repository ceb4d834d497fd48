"""The 灾害信息员's home: one phone page for a village — the warnings in force there, open hazards and
public reports waiting to be checked, the nearest shelters and teams with their phone numbers, and
one-tap reporting. An officer sees their own village; staff covering more may open any village in their
area with ``?village=<code>`` (outside it: 404, like every out-of-scope read)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from yingji.core.actor import Actor, ensure_region_in_scope, require
from yingji.core.errors import DomainError, NotFound, ValidationFailed, invalid
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.resources import service as resources_service
from yingji.risk.enums import HAZARD_STATUS_LABELS
from yingji.risk.service import hazards as hazard_service
from yingji.risk.service import reports as report_service
from yingji.warnings.enums import LEVEL_LABELS
from yingji.warnings.service import maps as warning_maps
from yingji.web.deps import DbSession, PageUser
from yingji.web.nav import entry_for
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
CLOSED = ("closed", "rejected")


def _village(db, user: Actor, code: str | None):
    if not code:
        own = (user.scope_path or "").rsplit("/", 1)[-1]
        if not own:
            raise invalid("village", "请选择村（社区）：/officer?village=村代码")
        code = own
    try:
        village = geo_service.get_region(db=db, code=code)
    except NotFound:
        raise NotFound("村（社区）不存在") from None
    if village.level != "village":
        raise invalid("village", "须为村（社区）代码")
    ensure_region_in_scope(user, village.path, what="村（社区）")
    return village


def _nearest(db, user: Actor, kind: str, lon: float, lat: float) -> list[dict]:
    try:
        return resources_service.nearest(db=db, actor=user, lon=lon, lat=lat, kind=kind, k=3)["items"]
    except (ValidationFailed, DomainError):
        return []  # no road graph yet: the page still shows the rest


@router.get("/officer", response_class=HTMLResponse)
def officer_home(request: Request, db: DbSession, user: PageUser, village: str | None = None) -> HTMLResponse:
    require(user, "geo.read")
    v = _village(db, user, village)
    township = geo_service.region_info(db=db, region_id=v.parent_id) if v.parent_id else None
    warnings = (
        warning_maps.in_force_for_village(db=db, actor=user, village_code=v.code) if user.can("warnings.read") else []
    )
    hazards, reports = [], []
    if user.can("risk.read"):
        rows, _ = hazard_service.list_hazards(db=db, actor=user, page=PageParams(page_size=100), region_path=v.path)
        hazards = [h for h in rows if h.status not in CLOSED]
        reports = report_service.pending_in_scope(db=db, actor=user, region_path=v.path)
    shelters = teams = []
    if user.can("resources.read") and v.centroid_lon is not None:
        shelters = _nearest(db, user, "shelter", v.centroid_lon, v.centroid_lat)
        teams = _nearest(db, user, "team", v.centroid_lon, v.centroid_lat)
    incidents = entry_for("incidents")
    return render(
        request,
        "web/officer.html",
        {
            "village": v,
            "township": township,
            "warnings": warnings,
            "level_labels": LEVEL_LABELS,
            "hazards": hazards,
            "hazard_status": HAZARD_STATUS_LABELS,
            "reports": reports,
            "shelters": shelters,
            "teams": teams,
            "can_report_hazard": user.can("risk.hazard.report"),
            "incidents_built": bool(incidents and incidents.built),
        },
    )
