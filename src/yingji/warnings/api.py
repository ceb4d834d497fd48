"""JSON API of warning publication, under /api/v1/warnings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from yingji.core.pagination import Page
from yingji.warnings.schemas import (
    CancelRequest,
    ConfirmRequest,
    FromAlarmsRequest,
    PublishRequest,
    RecipientSummary,
    ReviewRequest,
    SubscribeRequest,
    UnsubscribeRequest,
    WarningCreate,
    WarningRead,
    WarningRevision,
)
from yingji.warnings.service import authoring, coverage, from_alarms, ingest, maps, messages, recipients, subscriptions
from yingji.warnings.service.access import load
from yingji.warnings.service.area import parse_area
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope

router = APIRouter(prefix="/warnings", tags=["warnings"])
CAP_TYPE = "application/cap+xml; charset=utf-8"


def _read(w) -> WarningRead:
    return WarningRead.model_validate(w)


@router.post("", response_model=WarningRead, status_code=201)
def create_warning(body: WarningCreate, db: DbSession, user: ApiUser) -> WarningRead:
    return _read(authoring.create_warning(db=db, actor=user, data=body))


@router.post("/from-alarms", response_model=WarningRead, status_code=201)
def draft_from_alarms(body: FromAlarmsRequest, db: DbSession, user: ApiUser) -> WarningRead:
    """A draft in public wording from monitoring alarms and the other alarms of their events."""
    return _read(from_alarms.draft_from_alarms(db=db, actor=user, alarm_ids=body.alarm_ids))


@router.get("", response_model=Page[WarningRead])
def list_warnings(
    db: DbSession, user: ApiUser, paging: Paging, status: str | None = None, origin: str | None = None
) -> Page[WarningRead]:
    rows, total = authoring.list_warnings(db=db, actor=user, page=paging, status=status, origin=origin)
    return Page(items=[_read(r) for r in rows], total=total, page=paging.page, page_size=paging.page_size)


@router.post("/import-cap", response_model=WarningRead, status_code=201)
async def import_cap(request: Request, db: DbSession, user: ApiUser) -> WarningRead:
    """CAP 1.2 or national-format XML in the body: 201 with the stored warning, or 422 with every reason."""
    body = await request.body()
    return _read(ingest.import_message(db=db, actor=user, data=body))


@router.get("/map.geojson")
def map_layer(db: DbSession, user: ApiUser) -> dict[str, Any]:
    """Current warnings (ours and upstream) as GeoJSON for the 一张图 map."""
    return maps.current_features(db=db, actor=user)


@router.get("/coverage/district")
def district_coverage(
    db: DbSession,
    user: ApiUser,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="公历年份；缺省为今年")] = None,
) -> dict[str, Any]:
    return coverage.district_year(db=db, actor=user, year=year)


@router.post("/subscriptions", status_code=202, responses={429: {"description": "验证码已发送，60 秒内不再发送"}})
def subscribe(body: SubscribeRequest, db: DbSession) -> dict[str, Any]:
    """Public: asks for warnings by SMS; a code is sent to the phone to confirm."""
    rows = subscriptions.subscribe(db=db, data=body)
    return {"status": "pending", "subscriptions": len(rows), "message": "验证码已发送，请在 10 分钟内确认"}


@router.post("/subscriptions/confirm", responses={404: {"description": "该手机号没有待确认的订阅"}})
def confirm_subscription(db: DbSession, body: ConfirmRequest) -> Any:
    result = subscriptions.confirm(db=db, phone=body.phone, code=body.code)
    if result.error is not None:  # answered, not raised: the counted attempt is saved
        return JSONResponse(result.error.as_dict(), status_code=result.error.status_code)
    return {"status": "active", "subscriptions": len(result.rows)}


@router.post("/subscriptions/unsubscribe", responses={404: {"description": "退订链接无效"}})
def unsubscribe(db: DbSession, body: UnsubscribeRequest) -> dict[str, Any]:
    return {"status": "unsubscribed", "subscriptions": subscriptions.unsubscribe(db=db, token=body.token)}


@router.post("/recipients/preview", response_model=RecipientSummary)
def preview_area(body: dict[str, Any], db: DbSession, user: ApiUser) -> RecipientSummary:
    """Who an area would reach (before a draft exists): counts per channel, kind and village."""
    from yingji.core.actor import require

    require(user, "warnings.write")
    area = parse_area(db=db, area=body.get("area"))
    targets = recipients.resolve(db=db, area=area, event_type=str(body.get("event_type", "other")))
    return RecipientSummary(**recipients.summary(db=db, targets=targets))


@router.get("/{warning_id}", response_model=WarningRead)
def get_warning(
    w: Annotated[Any, in_scope(authoring.get_warning, "warning_id")],
    db: DbSession,
    user: ApiUser,
) -> WarningRead:
    return _read(w)


@router.patch("/{warning_id}", response_model=WarningRead)
def edit_draft(warning_id: int, body: WarningRevision, db: DbSession, user: ApiUser) -> WarningRead:
    """Edits a local draft in place (409 once it is submitted)."""
    return _read(authoring.edit_draft(db=db, actor=user, warning_id=warning_id, data=body))


@router.post("/{warning_id}/submit", response_model=WarningRead)
def submit(warning_id: int, db: DbSession, user: ApiUser) -> WarningRead:
    return _read(authoring.submit(db=db, actor=user, warning_id=warning_id))


@router.post("/{warning_id}/approve", response_model=WarningRead)
def approve(warning_id: int, db: DbSession, user: ApiUser, body: ReviewRequest | None = None) -> WarningRead:
    return _read(authoring.approve(db=db, actor=user, warning_id=warning_id, note=body.note if body else ""))


@router.post("/{warning_id}/reject", response_model=WarningRead)
def reject(warning_id: int, db: DbSession, user: ApiUser, body: ReviewRequest | None = None) -> WarningRead:
    return _read(authoring.reject(db=db, actor=user, warning_id=warning_id, note=body.note if body else ""))


@router.post("/{warning_id}/publish", response_model=WarningRead)
def publish(warning_id: int, db: DbSession, user: ApiUser, body: PublishRequest | None = None) -> WarningRead:
    """409 ``unreached_recipients`` (naming the channels) while some recipients have no configured
    channel, unless ``{"confirm_unreached": true}``."""
    confirm = body.confirm_unreached if body else False
    return _read(authoring.publish(db=db, actor=user, warning_id=warning_id, confirm_unreached=confirm))


@router.post("/{warning_id}/update", response_model=WarningRead, status_code=201)
def update(warning_id: int, body: WarningRevision, db: DbSession, user: ApiUser) -> WarningRead:
    """A new Update message (a draft to sign) referencing the published warning."""
    return _read(authoring.create_update(db=db, actor=user, warning_id=warning_id, data=body))


@router.post("/{warning_id}/cancel", response_model=WarningRead, status_code=201)
def cancel(warning_id: int, db: DbSession, user: ApiUser, body: CancelRequest | None = None) -> WarningRead:
    """A new Cancel message (a draft to sign) referencing the published warning."""
    return _read(authoring.create_cancel(db=db, actor=user, warning_id=warning_id, note=body.note if body else ""))


@router.get("/{warning_id}/recipients", response_model=RecipientSummary)
def warning_recipients(warning_id: int, db: DbSession, user: ApiUser) -> RecipientSummary:
    w = load(db, user, warning_id)
    targets = recipients.resolve(db=db, area=parse_area(db=db, area=w.area), event_type=w.event_type)
    return RecipientSummary(**recipients.summary(db=db, targets=targets))


@router.get("/{warning_id}/coverage")
def warning_coverage(warning_id: int, db: DbSession, user: ApiUser) -> dict[str, Any]:
    return coverage.for_warning(db=db, actor=user, warning_id=warning_id)


@router.get("/{warning_id}/deliveries")
def deliveries(warning_id: int, db: DbSession, user: ApiUser, paging: Paging, status: str | None = None) -> dict:
    return maps.deliveries_page(db=db, actor=user, warning_id=warning_id, page=paging, status=status)


@router.get("/{warning_id}/cap")
def cap_xml(warning_id: int, db: DbSession, user: ApiUser) -> Response:
    return Response(messages.cap_xml(db=db, actor=user, warning_id=warning_id), media_type=CAP_TYPE)


@router.get("/{warning_id}/national")
def national_xml(warning_id: int, db: DbSession, user: ApiUser) -> Response:
    """The message in the national early-warning release format (GB/T 35965.1)."""
    return Response(
        messages.national_xml(db=db, actor=user, warning_id=warning_id), media_type="application/xml; charset=utf-8"
    )
