"""Public SMS subscriptions: subscribe, confirm with the code, unsubscribe (service.subscriptions)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from yingji.warnings.schemas import (
    ConfirmRequest,
    SubscribeRequest,
    UnsubscribeRequest,
)
from yingji.warnings.service import subscriptions
from yingji.web.deps import DbSession

router = APIRouter(prefix="/warnings")


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
