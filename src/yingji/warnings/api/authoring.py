"""Drafting, sign-off and publication: create (also from alarms, or by importing CAP), list, edit, submit,
approve, reject, publish, update, cancel (service.authoring, from_alarms, ingest)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request

from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.warnings.api.common import read
from yingji.warnings.schemas import (
    CancelRequest,
    FromAlarmsRequest,
    PublishRequest,
    ReviewRequest,
    WarningCreate,
    WarningRead,
    WarningRevision,
)
from yingji.warnings.service import authoring, from_alarms, ingest
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope

router = APIRouter(prefix="/warnings")


@router.post("", response_model=WarningRead, status_code=201)
def create_warning(body: WarningCreate, db: DbSession, user: ApiUser) -> WarningRead:
    return read(authoring.create_warning(db=db, actor=user, data=body))


@router.post("/from-alarms", response_model=WarningRead, status_code=201)
def draft_from_alarms(body: FromAlarmsRequest, db: DbSession, user: ApiUser) -> WarningRead:
    """A draft in public wording from monitoring alarms and the other alarms of their events."""
    return read(from_alarms.draft_from_alarms(db=db, actor=user, alarm_ids=body.alarm_ids))


@router.get("", response_model=Page[WarningRead])
def list_warnings(
    db: DbSession, user: ApiUser, paging: Paging, status: str | None = None, origin: str | None = None
) -> Page[WarningRead]:
    rows, total = authoring.list_warnings(db=db, actor=user, page=paging, status=status, origin=origin)
    return Page(items=[read(r) for r in rows], total=total, page=paging.page, page_size=paging.page_size)


@router.post("/import-cap", response_model=WarningRead, status_code=201)
async def import_cap(request: Request, db: DbSession, user: ApiUser) -> WarningRead:
    """CAP 1.2 or national-format XML in the body: 201 with the stored warning, or 422 with every reason."""
    body = await request.body()
    return read(ingest.import_message(db=db, actor=user, data=body))


@router.get("/{warning_id}", response_model=WarningRead)
def get_warning(
    w: Annotated[Any, in_scope(authoring.get_warning, "warning_id")],
    db: DbSession,
    user: ApiUser,
) -> WarningRead:
    return read(w)


@router.patch("/{warning_id}", response_model=WarningRead)
def edit_draft(warning_id: RecordId, body: WarningRevision, db: DbSession, user: ApiUser) -> WarningRead:
    """Edits a local draft in place (409 once it is submitted)."""
    return read(authoring.edit_draft(db=db, actor=user, warning_id=warning_id, data=body))


@router.post("/{warning_id}/submit", response_model=WarningRead)
def submit(warning_id: RecordId, db: DbSession, user: ApiUser) -> WarningRead:
    return read(authoring.submit(db=db, actor=user, warning_id=warning_id))


@router.post("/{warning_id}/approve", response_model=WarningRead)
def approve(warning_id: RecordId, db: DbSession, user: ApiUser, body: ReviewRequest | None = None) -> WarningRead:
    return read(authoring.approve(db=db, actor=user, warning_id=warning_id, note=body.note if body else ""))


@router.post("/{warning_id}/reject", response_model=WarningRead)
def reject(warning_id: RecordId, db: DbSession, user: ApiUser, body: ReviewRequest | None = None) -> WarningRead:
    return read(authoring.reject(db=db, actor=user, warning_id=warning_id, note=body.note if body else ""))


@router.post("/{warning_id}/publish", response_model=WarningRead)
def publish(warning_id: RecordId, db: DbSession, user: ApiUser, body: PublishRequest | None = None) -> WarningRead:
    """409 ``unreached_recipients`` (naming the channels) while some recipients have no configured
    channel, unless ``{"confirm_unreached": true}``."""
    confirm = body.confirm_unreached if body else False
    return read(authoring.publish(db=db, actor=user, warning_id=warning_id, confirm_unreached=confirm))


@router.post("/{warning_id}/update", response_model=WarningRead, status_code=201)
def update(warning_id: RecordId, body: WarningRevision, db: DbSession, user: ApiUser) -> WarningRead:
    """A new Update message (a draft to sign) referencing the published warning."""
    return read(authoring.create_update(db=db, actor=user, warning_id=warning_id, data=body))


@router.post("/{warning_id}/cancel", response_model=WarningRead, status_code=201)
def cancel(warning_id: RecordId, db: DbSession, user: ApiUser, body: CancelRequest | None = None) -> WarningRead:
    """A new Cancel message (a draft to sign) referencing the published warning."""
    return read(authoring.create_cancel(db=db, actor=user, warning_id=warning_id, note=body.note if body else ""))
