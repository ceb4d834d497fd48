"""A warning as a message: CAP 1.2 and the national release format (service.messages)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from yingji.core.validation import RecordId
from yingji.warnings.api.common import CAP_TYPE
from yingji.warnings.service import messages
from yingji.web.deps import ApiUser, DbSession

router = APIRouter(prefix="/warnings")


@router.get("/{warning_id}/cap")
def cap_xml(warning_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    return Response(messages.cap_xml(db=db, actor=user, warning_id=warning_id), media_type=CAP_TYPE)


@router.get("/{warning_id}/national")
def national_xml(warning_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    """The message in the national early-warning release format (GB/T 35965.1)."""
    return Response(
        messages.national_xml(db=db, actor=user, warning_id=warning_id), media_type="application/xml; charset=utf-8"
    )
