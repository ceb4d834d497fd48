from __future__ import annotations

from fastapi import APIRouter, Request

from yingji.accounts import service
from yingji.accounts.schemas import TokenRequest, TokenResponse, UserCreate, UserRead, UserUpdate
from yingji.core.pagination import Page
from yingji.web.deps import ApiUser, DbSession, Paging
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
def get_user(user_id: int, db: DbSession, user: ApiUser) -> UserRead:
    return UserRead.model_validate(service.get_user(db=db, actor=user, user_id=user_id))


@router.patch("/accounts/users/{user_id}", response_model=UserRead)
def update_user(user_id: int, body: UserUpdate, db: DbSession, user: ApiUser) -> UserRead:
    return UserRead.model_validate(service.update_user(db=db, actor=user, user_id=user_id, data=body))
