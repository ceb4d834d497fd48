"""Accounts use cases: users and their scope, login with throttling, browser sessions, API tokens."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from yingji.accounts.enums import ROLE_LABELS, ROLE_SCOPE_LEVEL, Role
from yingji.accounts.models import ApiToken, LoginThrottle, User, WebSession
from yingji.accounts.permissions import role_can
from yingji.accounts.schemas import UserCreate, UserUpdate
from yingji.core.actor import Actor, require, scope_condition
from yingji.core.clock import utcnow
from yingji.core.config import get_settings
from yingji.core.errors import (
    Conflict,
    DomainError,
    ErrorDetail,
    NotFound,
    TooManyRequests,
    Unauthenticated,
    invalid,
)
from yingji.core.pagination import PageParams, paginate
from yingji.core.security import hash_password, needs_rehash, new_token, token_digest, verify_password
from yingji.core.validation import normalize_phone
from yingji.geo import service as geo_service
from yingji.registry import service as registry_service

# What the web kit, the CLI and other capabilities may call: users, roles, sessions and tokens.
__all__ = [
    "ROLE_LABELS", "any_user", "counts_by_role", "create_user", "issue_token", "list_users", "resolve_session",
    "resolve_token", "role_can",
]

# --- users ---------------------------------------------------------------------------------------


def create_user(*, db: Session, actor: Actor, data: UserCreate) -> User:
    require(actor, "accounts.manage")
    role = Role(data.role)
    if db.scalar(select(User.id).where(func.lower(User.username) == data.username.lower())) is not None:
        raise Conflict(f"用户名 {data.username} 已存在", details=[ErrorDetail("username", "已存在")])
    region_id, scope_path, enterprise_id = None, None, None
    need_level = ROLE_SCOPE_LEVEL[role]
    if role is Role.enterprise_manager:
        if data.enterprise_id is None:
            raise invalid("enterprise_id", "企业安全管理员须指定所属企业")
        try:
            enterprise_id = registry_service.enterprise_info(db=db, enterprise_id=data.enterprise_id).id
        except NotFound:
            raise invalid("enterprise_id", f"企业 {data.enterprise_id} 不存在") from None
    elif data.enterprise_id is not None:
        raise invalid("enterprise_id", "只有企业安全管理员绑定企业")
    if need_level is not None:
        if not data.region_code:
            raise invalid("region_code", f"该角色须指定所属区域（{need_level}）")
        try:
            region = geo_service.region_info(db=db, code=data.region_code)
        except NotFound:
            raise invalid("region_code", f"区域 {data.region_code} 不存在") from None
        if region.level != need_level:
            raise invalid("region_code", f"该角色的区域须为 {need_level} 级，{region.name} 是 {region.level} 级")
        region_id, scope_path = region.id, region.path
    elif data.region_code:
        raise invalid("region_code", "该角色的范围是全区，不绑定区域")
    phone = None
    if data.phone:
        phone = normalize_phone(data.phone)
        if phone is None:
            raise invalid("phone", "电话号码格式不正确")
    user = User(
        username=data.username,
        display_name=data.display_name or data.username,
        password_hash=hash_password(data.password),
        role=role.value,
        phone=phone,
        region_id=region_id,
        scope_path=scope_path,
        enterprise_id=enterprise_id,
        is_active=True,
        created_at=utcnow(),
    )
    db.add(user)
    db.flush()
    return user


def get_user(*, db: Session, actor: Actor, user_id: int) -> User:
    if actor.id != user_id:
        require(actor, "accounts.manage")
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在")
    return user


def list_users(*, db: Session, actor: Actor, page: PageParams, role: str | None = None) -> tuple[list[User], int]:
    require(actor, "accounts.manage")
    query = select(User).where(scope_condition(actor, func.coalesce(User.scope_path, ""), User.enterprise_id))
    if role:
        query = query.where(User.role == role)
    return paginate(db, query.order_by(User.id), page)


def update_user(*, db: Session, actor: Actor, user_id: int, data: UserUpdate) -> User:
    user = get_user(db=db, actor=actor, user_id=user_id)
    changes = data.model_dump(exclude_unset=True)
    if actor.id == user_id and set(changes) - {"password", "display_name", "phone"}:
        require(actor, "accounts.manage")
    if "password" in changes:
        user.password_hash = hash_password(changes.pop("password"))
        revoke_all(db=db, user_id=user.id)
    if "phone" in changes and changes["phone"]:
        phone = normalize_phone(changes["phone"])
        if phone is None:
            raise invalid("phone", "电话号码格式不正确")
        changes["phone"] = phone
    for key, value in changes.items():
        setattr(user, key, value)
    if user.is_active is False:
        revoke_all(db=db, user_id=user.id)
    db.flush()
    return user


def counts_by_role(*, db: Session) -> dict[str, int]:
    return dict(db.execute(select(User.role, func.count()).group_by(User.role)).all())


def active_user_ids(*, db: Session, usernames: list[str]) -> dict[str, int]:
    """username → id of the active accounts among ``usernames`` (a duty roster naming who is on duty)."""
    if not usernames:
        return {}
    query = select(User.username, User.id).where(User.username.in_(usernames), User.is_active.is_(True))
    return dict(db.execute(query).all())


def any_user(*, db: Session) -> bool:
    return db.scalar(select(User.id).limit(1)) is not None


# --- login ---------------------------------------------------------------------------------------


@dataclass
class LoginResult:
    """The throttle's bookkeeping must be committed even when the login fails, so failure is returned,
    not raised: the caller commits, then answers with ``error``."""

    user: User | None
    error: DomainError | None


def authenticate(*, db: Session, username: str, password: str) -> LoginResult:
    settings = get_settings()
    now = utcnow()
    key = username.strip().lower()[:64]
    throttle = db.get(LoginThrottle, key)
    if throttle is not None:
        if throttle.locked_until and throttle.locked_until > now:
            minutes = math.ceil((throttle.locked_until - now).total_seconds() / 60)
            return LoginResult(
                None, _too_many(f"登录失败次数过多，账户已临时锁定，请 {minutes} 分钟后再试", minutes * 60)
            )
        if throttle.failures >= settings.login_slowdown_after and throttle.last_failure_at:
            wait = min(2 ** (throttle.failures - settings.login_slowdown_after + 1), 60)
            ready = throttle.last_failure_at + timedelta(seconds=wait)
            if ready > now:
                seconds = math.ceil((ready - now).total_seconds())
                return LoginResult(None, _too_many(f"登录失败次数较多，请 {seconds} 秒后再试", seconds))
    user = db.scalar(select(User).where(func.lower(User.username) == key))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        if throttle is None:
            throttle = LoginThrottle(username=key, failures=0)
            db.add(throttle)
        throttle.failures += 1
        throttle.last_failure_at = now
        if throttle.failures >= settings.login_lock_after:
            throttle.locked_until = now + timedelta(seconds=settings.login_lock_s)
            throttle.failures = 0
        db.flush()
        return LoginResult(None, Unauthenticated("用户名或密码错误"))
    if throttle is not None:
        db.delete(throttle)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    db.flush()
    return LoginResult(user, None)


def _too_many(message: str, retry_after_s: int) -> TooManyRequests:
    err = TooManyRequests(message)
    err.retry_after_s = retry_after_s
    return err


# --- browser sessions ----------------------------------------------------------------------------


def start_session(*, db: Session, user: User) -> tuple[str, WebSession]:
    """Returns the cookie value (shown once) and the stored session."""
    token = new_token()
    now = utcnow()
    session = WebSession(
        token_digest=token_digest(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + timedelta(seconds=get_settings().session_ttl_s),
    )
    db.add(session)
    db.flush()
    return token, session


# One query for the session and its user, built once: every page asks it first.
_SESSION_AND_USER = (
    select(WebSession, User)
    .join(User, User.id == WebSession.user_id)
    .where(WebSession.token_digest == bindparam("digest"))
)


def resolve_session(*, db: Session, token: str | None) -> tuple[User, WebSession] | None:
    if not token:
        return None
    row = db.execute(_SESSION_AND_USER, {"digest": token_digest(token)}).first()
    if row is None:
        return None
    session, user = row
    if session.expires_at <= utcnow() or not user.is_active:
        return None
    return user, session


def end_session(*, db: Session, token: str | None) -> None:
    if token:
        db.execute(delete(WebSession).where(WebSession.token_digest == token_digest(token)))


# --- API tokens ----------------------------------------------------------------------------------


def issue_token(*, db: Session, user: User) -> tuple[str, int]:
    ttl = get_settings().token_ttl_s
    token = new_token()
    now = utcnow()
    db.add(
        ApiToken(
            token_digest=token_digest(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl),
            revoked=False,
        )
    )
    db.flush()
    return token, ttl


def resolve_token(*, db: Session, token: str) -> User | None:
    row = db.scalar(select(ApiToken).where(ApiToken.token_digest == token_digest(token)))
    if row is None or row.revoked or row.expires_at <= utcnow():
        return None
    user = db.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def revoke_all(*, db: Session, user_id: int) -> None:
    """Ends every session and token of a user (password change, deactivation)."""
    db.execute(delete(WebSession).where(WebSession.user_id == user_id))
    for token in db.scalars(select(ApiToken).where(ApiToken.user_id == user_id)):
        token.revoked = True


def purge_expired(*, db: Session) -> int:
    now = utcnow()
    n = db.execute(delete(WebSession).where(WebSession.expires_at <= now)).rowcount or 0
    n += db.execute(delete(ApiToken).where(ApiToken.expires_at <= now)).rowcount or 0
    return n
