from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from yingji.accounts import audit as audit_log
from yingji.accounts import service
from yingji.accounts.schemas import TokenRequest, TokenResponse, UserCreate, UserRead, UserUpdate
from yingji.core import audit
from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope
from yingji.web.errors import error_response

router = APIRouter(tags=["accounts"])


@router.post(
    "/auth/token",
    response_model=TokenResponse,
    responses={401: {"description": "用户名或密码错误"}, 429: {"description": "尝试过多"}},
)
def token(request: Request, body: TokenRequest, db: DbSession):
    """Exchanges a username and password for a bearer token."""
    result = service.authenticate(db=db, username=body.username, password=body.password)
    if result.error is not None:
        # Returned, not raised, so that the failed-login count is committed.
        err = result.error
        headers = {"Retry-After": str(err.retry_after_s)} if getattr(err, "retry_after_s", 0) else None
        return error_response(request, err.status_code, err.code, err.message, headers=headers)
    assert result.user is not None
    access_token, ttl = service.issue_token(db=db, user=result.user)
    return TokenResponse(access_token=access_token, expires_in=ttl)


@router.get("/auth/me", response_model=UserRead)
def me(user: ApiUser) -> UserRead:
    return UserRead.model_validate(user)


@router.get("/accounts/users", response_model=Page[UserRead])
def list_users(db: DbSession, user: ApiUser, paging: Paging, role: str | None = None) -> Page[UserRead]:
    rows, total = service.list_users(db=db, actor=user, page=paging, role=role)
    return Page.of(UserRead, rows, total, paging)


@router.post("/accounts/users", response_model=UserRead, status_code=201)
def create_user(body: UserCreate, db: DbSession, user: ApiUser) -> UserRead:
    return UserRead.model_validate(service.create_user(db=db, actor=user, data=body))


@router.get("/accounts/users/{user_id}", response_model=UserRead)
def get_user(account: Annotated[Any, in_scope(service.get_user, "user_id")], db: DbSession, user: ApiUser) -> UserRead:
    return UserRead.model_validate(account)


@router.patch("/accounts/users/{user_id}", response_model=UserRead)
def update_user(user_id: RecordId, body: UserUpdate, db: DbSession, user: ApiUser) -> UserRead:
    return UserRead.model_validate(service.update_user(db=db, actor=user, user_id=user_id, data=body))


@router.get("/audit/entries", response_model=Page[dict[str, Any]], tags=["audit"])
def audit_entries(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    entity: str = "",
    entity_id: str = "",
    username: Annotated[str, Query(alias="user")] = "",
    since: str = "",
    until: str = "",
) -> Page[dict[str, Any]]:
    """The audit log (admins, leaders): by record (`entity` = table, `entity_id` = key), `user` (username)
    and time (`since` ≤ ts < `until`, ISO-8601; without a zone Beijing time), newest first."""
    query = audit_log.AuditQuery(entity=entity, entity_id=entity_id, user=username, since=since, until=until)
    items, total = audit_log.search(db=db, actor=user, page=paging, query=query)
    return Page(items=items, total=total, page=paging.page, page_size=paging.page_size)


@router.post("/audit/verify", tags=["audit"])
def audit_verify(db: DbSession, user: ApiUser) -> dict[str, Any]:
    """Recomputes the hash chain (admins), as `yingji audit verify`: the first broken entry, if any."""
    report = audit.verify(db, actor=user)
    return {
        "ok": report.ok,
        "checked": report.checked,
        "broken_seq": report.broken_seq,
        "reason": report.reason,
        "message": audit.describe(report),
    }
