"""Who a warning reaches: the map layer, the district's and a warning's coverage, recipients before and
after a draft exists, the deliveries (service.maps, coverage, recipients)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from yingji.core.actor import require
from yingji.core.validation import RecordId
from yingji.warnings.enums import DeliveryStatus
from yingji.warnings.schemas import RecipientPreview, RecipientSummary
from yingji.warnings.service import coverage, maps, recipients
from yingji.warnings.service.access import load
from yingji.warnings.service.area import parse_area
from yingji.web.deps import ApiUser, DbSession, Paging
from yingji.web.layers import layer_response

router = APIRouter(prefix="/warnings")


@router.get("/map.geojson", response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
def map_layer(request: Request, db: DbSession, user: ApiUser) -> Response:
    """Current warnings (ours and upstream) as GeoJSON for the 一张图 map; with an ETag (send it back in
    ``If-None-Match``: 304 while nothing changed)."""
    require(user, "warnings.read")
    return layer_response(request, db, user, layer=maps.MAP_LAYER,
                          build=lambda: maps.current_features(db=db, actor=user), valid_s=maps.seconds_valid)


@router.get("/coverage/district")
def district_coverage(
    db: DbSession,
    user: ApiUser,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="公历年份；缺省为今年")] = None,
) -> dict[str, Any]:
    return coverage.district_year(db=db, actor=user, year=year)


@router.post("/recipients/preview", response_model=RecipientSummary)
def preview_area(body: RecipientPreview, db: DbSession, user: ApiUser) -> RecipientSummary:
    """Who an area would reach (before a draft exists): counts per channel, kind and village."""
    require(user, "warnings.write")
    area = parse_area(db=db, area=body.area)
    targets = recipients.resolve(db=db, area=area, event_type=body.event_type)
    return RecipientSummary(**recipients.summary(db=db, targets=targets))


@router.get("/{warning_id}/recipients", response_model=RecipientSummary)
def warning_recipients(warning_id: RecordId, db: DbSession, user: ApiUser) -> RecipientSummary:
    w = load(db, user, warning_id)
    targets = recipients.resolve(db=db, area=parse_area(db=db, area=w.area), event_type=w.event_type)
    return RecipientSummary(**recipients.summary(db=db, targets=targets))


@router.get("/{warning_id}/coverage")
def warning_coverage(warning_id: RecordId, db: DbSession, user: ApiUser) -> dict[str, Any]:
    return coverage.for_warning(db=db, actor=user, warning_id=warning_id)


@router.get("/{warning_id}/deliveries")
def deliveries(
    warning_id: RecordId, db: DbSession, user: ApiUser, paging: Paging, status: DeliveryStatus | None = None,
    after: Annotated[RecordId | None, Query(description="上一页的 next_after：从该记录之后续读")] = None,
) -> dict:
    """The delivery rows, a recipient's together; ``page`` for the first 10,000, then ``after``."""
    return maps.deliveries_page(db=db, actor=user, warning_id=warning_id, page=paging, status=status, after=after)
