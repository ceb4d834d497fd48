"""Enterprise risk levels, supervision frequency, the district picture and map layers (service.supervision, mapping)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from yingji.core.actor import require
from yingji.core.errors import NotFound
from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.geo import service as geo_service
from yingji.registry.service import INDUSTRY_LABELS
from yingji.risk.service import mapping, supervision
from yingji.web.deps import ApiUser, DbSession, Paging
from yingji.web.layers import layer_response

router = APIRouter()


@router.get("/enterprises")
def enterprise_levels(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    industry: str | None = None,
    township: str | None = None,
    level: str | None = None,
) -> Page[dict[str, Any]]:
    """Each enterprise's risk level, open hazards and inspection frequency (差异化监管)."""
    rows = supervision.enterprise_risks(db=db, actor=user, industry=industry, township_code=township, level=level)
    return Page.sliced([r.as_dict() for r in rows], paging)


@router.get("/enterprises/{enterprise_id}/supervision")
def enterprise_supervision(enterprise_id: RecordId, db: DbSession, user: ApiUser) -> dict:
    return supervision.enterprise_risk(db=db, actor=user, enterprise_id=enterprise_id).as_dict()


@router.get("/district")
def district(db: DbSession, user: ApiUser, industry: str | None = None, township: str | None = None) -> dict:
    view = supervision.district_view(db=db, actor=user, industry=industry, township_code=township)
    view["rows"] = [r.as_dict() for r in view["rows"]]
    return view


LAYERS = {
    "points": mapping.points_layer,
    "enterprises": mapping.enterprises_layer,
    "major-hazards": mapping.major_hazards_layer,
    "grid": mapping.grid_rollup,
}


@router.get("/map/{layer}", response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
def map_layer(request: Request, layer: str, db: DbSession, user: ApiUser, industry: str | None = None,
              township: str | None = None) -> Response:
    """GeoJSON of risk points, enterprises, major hazard sources or the grid-cell roll-up, coloured by level;
    with an ETag (``If-None-Match`` → 304)."""
    if layer not in LAYERS:
        raise NotFound("没有这个图层：可选 " + "、".join(LAYERS))
    require(user, "risk.read")
    industry, township = industry or None, township or None
    return layer_response(
        request, db, user, layer=f"risk.{layer}", params=(industry, township), reads=mapping.READS,
        build=lambda: LAYERS[layer](db=db, actor=user, industry=industry, township_code=township),
        # 逾期隐患 counts (and the inspection frequency they raise) change when a deadline passes.
        valid_s=(lambda _data: mapping.seconds_to_next_deadline(db)) if layer == "enterprises" else None,
    )


@router.get("/map-filters")
def map_filters(db: DbSession, user: ApiUser) -> dict:
    require(user, "risk.read")
    towns = geo_service.region_infos(db=db, level="township")
    return {"industries": INDUSTRY_LABELS, "townships": [{"code": t.code, "name": t.name} for t in towns]}


