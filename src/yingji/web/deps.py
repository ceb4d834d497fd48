"""FastAPI dependencies shared by every capability's ``api.py`` and ``pages.py``.

The request owns the unit of work: ``get_db`` commits when the endpoint returns and rolls back when it
raises; its transaction takes SQLite's write lock only at its first write (see ``core.db``). It is
``scope="function"`` so the commit happens before the response is sent: a failed commit is an error
response, never a 200 for a change that was not saved.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from yingji.accounts import service as accounts_service
from yingji.core import layercache, notices
from yingji.core.actor import Actor
from yingji.core.db import Database
from yingji.core.errors import DomainError, PermissionDenied, Unauthenticated
from yingji.core.pagination import PageParams
from yingji.core.security import same
from yingji.core.validation import RecordId
from yingji.web.layers import cache_of

SESSION_COOKIE = "yingji_session"


@dataclass(frozen=True)
class UserView:
    """What templates show of the logged-in user: a snapshot, so that an error page rendered after the
    request's transaction rolled back can still show who is logged in."""

    id: int
    username: str
    display_name: str
    role: str
    scope_path: str | None
    enterprise_id: int | None

    @classmethod
    def of(cls, user: Any) -> UserView:
        return cls(user.id, user.username, user.display_name, user.role, user.scope_path, user.enterprise_id)

    def can(self, permission: str) -> bool:
        return accounts_service.role_can(self.role, permission)


ANON_CSRF_COOKIE = "yingji_csrf"


def get_database(request: Request) -> Database:
    return request.app.state.database


READ_METHODS = ("GET", "HEAD", "OPTIONS")


def get_db(request: Request) -> Iterator[Session]:
    # On SQLite a request's transaction begins DEFERRED: it reads without any lock (WAL readers never
    # wait), and takes the write lock at its first write, until its commit. A request that checks a
    # password, parses an area or renders a page before it writes therefore holds the lock only for
    # the write itself. Between the reads and the write it sees other commits, as under PostgreSQL's
    # READ COMMITTED; a read that must not change before the write uses ``with_for_update()``, which
    # takes the write lock before that read on SQLite too (see ``core.db``).
    database: Database = request.app.state.database
    with database.read_sessionmaker() as session, session.begin():
        session.info["actor_id"] = None
        yield session


DbSession = Annotated[Session, Depends(get_db, scope="function")]


class LoginRequired(DomainError):
    """A page needs a logged-in user: the page error handler redirects to the login form."""

    status_code = 401
    code = "login_required"


# Declares the bearer scheme in the OpenAPI, on every operation that needs a user; the header itself is
# read below (the scheme object accepts a missing header: the cookie may stand in for it).
bearer_scheme = HTTPBearer(auto_error=False, description="POST /api/v1/auth/token 换取的令牌")


def api_user(
    request: Request,
    db: DbSession,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
) -> Actor:
    """A bearer token, or, for the platform's own pages (map, HTMX), the session cookie; a write through
    the cookie must carry the page's CSRF token in ``X-CSRF-Token``."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        user = accounts_service.resolve_token(db=db, token=token.strip())
        if user is None:
            raise Unauthenticated("令牌无效或已过期，请重新获取")
    elif found := accounts_service.resolve_session(db=db, token=request.cookies.get(SESSION_COOKIE)):
        user, session = found
        if request.method not in READ_METHODS:
            _check_csrf(request, session.csrf_token)
    else:
        raise Unauthenticated("需要登录：请在 Authorization 头中提供 Bearer 令牌")
    db.info["actor_id"] = user.id
    request.state.user = UserView.of(user)
    return user


ApiUser = Annotated[Actor, Depends(api_user, scope="function")]


def page_user_optional(request: Request, db: DbSession) -> Actor | None:
    found = accounts_service.resolve_session(db=db, token=request.cookies.get(SESSION_COOKIE))
    if found is None:
        return None
    user, session = found
    db.info["actor_id"] = user.id
    request.state.user = UserView.of(user)
    request.state.csrf_token = session.csrf_token
    request.state.session_expires_at = session.expires_at  # for a page that keeps the session (web.session_cache)
    request.state.todo_unread = todo_unread(request, db, user)
    return user


# The header's 待办 badge depends on these tables only (``__generation__`` on their models).
NOTICE_LAYERS = (layercache.rows_layer("notices"), layercache.rows_layer("notice_states"))
# Bounds a change made outside the ORM session (raw SQL), which moves no generation.
PAGE_TTL_S = 60.0


def todo_unread(request: Request, db: Session, user: Actor) -> int:
    """The header's 待办 badge on every page: counted once per change of the notices and kept per viewer
    (the count query is the costliest part of a page's header), read back by one primary-key query."""
    if request.method not in READ_METHODS:  # kept only from reads: a write's own changes are not committed yet
        return notices.unread_count(db, actor=user)
    entry = cache_of(request, "badge_cache").get(
        _badge_key(user),
        current=layercache.versions(db, NOTICE_LAYERS),
        build=lambda: (notices.unread_count(db, actor=user), None),
        ttl_s=PAGE_TTL_S,
    )
    return entry.data


def kept_todo_unread(request: Request, user: UserView, generations: Mapping[str, int]) -> int | None:
    """The badge as ``todo_unread`` kept it, if it still holds at these generations (None: count it)."""
    current = layercache.versions_in(generations, NOTICE_LAYERS)
    entry = cache_of(request, "badge_cache").peek(_badge_key(user), current)
    return None if entry is None else entry.data


def _badge_key(user: Any) -> tuple[Any, ...]:
    return ("todo_unread", user.id, layercache.scope_key(user))


MaybePageUser = Annotated[Actor | None, Depends(page_user_optional, scope="function")]


async def csrf_form_field(request: Request) -> None:
    """Reads ``csrf_token`` from a posted form so the CSRF check can see it."""
    if request.method == "POST" and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        request.state.form_csrf = form.get("csrf_token")


# async: it only checks what the other dependencies read, so it runs on the event loop instead of
# taking a turn in the thread pool (one hand-over less per page).
async def page_user(request: Request, user: MaybePageUser, _form: Annotated[None, Depends(csrf_form_field)]) -> Actor:
    if user is None:
        raise LoginRequired("请先登录")
    if request.method not in READ_METHODS:
        _check_csrf(request, request.state.csrf_token)
    return user


PageUser = Annotated[Actor, Depends(page_user, scope="function")]


def _check_csrf(request: Request, expected: str | None) -> None:
    # HTMX sends the token as a header (hx-headers on <body>); plain forms as the hidden field that
    # ``csrf_form_field`` read.
    sent = request.headers.get("x-csrf-token") or getattr(request.state, "form_csrf", None)
    if not same(sent, expected):
        raise PermissionDenied("表单已失效（CSRF 校验失败），请刷新页面后重试")


def check_anonymous_csrf(request: Request, sent: str | None) -> None:
    """Forms shown to anonymous visitors (login, public reports) use a double-submit cookie."""
    if not same(sent, request.cookies.get(ANON_CSRF_COOKIE)):
        raise PermissionDenied("表单已失效（CSRF 校验失败），请刷新页面后重试")


# ``?page=&page_size=`` of every paged list, checked the same way everywhere (one definition).
Paging = Annotated[PageParams, Depends()]


def in_scope(load: Callable[..., Any], param: str, *, page: bool = False) -> Any:
    """The one load-or-404 of a route: ``Annotated[Team, in_scope(service.get_team, "team_id")]`` is the
    record whose id is the path parameter ``param``, loaded by the service's getter
    (``load(db=, actor=, <param>=)``, which goes through ``core.actor.load_in_scope``): 404 when it is
    missing or outside the user's township, village or enterprise, 403 without the permission, 422 for an
    id that is not a number. ``page=True`` for HTML routes (the page's login and CSRF rules)."""

    def dependency(**kw: Any) -> Any:
        return load(db=kw["db"], actor=kw["user"], **{param: kw[param]})

    keyword = inspect.Parameter.KEYWORD_ONLY
    dependency.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("db", keyword, annotation=DbSession),
            inspect.Parameter("user", keyword, annotation=PageUser if page else ApiUser),
            inspect.Parameter(param, keyword, annotation=Annotated[RecordId, Path()]),
        ]
    )
    dependency.__name__ = f"load_{param.removesuffix('_id')}"
    return Depends(dependency)
