from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yingji.accounts import audit as audit_log
from yingji.accounts import service
from yingji.accounts.enums import ROLE_LABELS
from yingji.core import audit
from yingji.core.errors import ValidationFailed
from yingji.core.pagination import PageParams
from yingji.web.deps import SESSION_COOKIE, DbSession, MaybePageUser, PageUser, check_anonymous_csrf
from yingji.web.hardening import is_https
from yingji.web.templating import render, render_anonymous_form

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only local paths: a login link must not bounce the user to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, user: MaybePageUser, next: str = "/") -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render_anonymous_form(request, "accounts/login.html", {"next": _safe_next(next)})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: DbSession,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_anonymous_csrf(request, csrf_token)
    context = {"next": _safe_next(next), "username": username}
    if not username or not password:
        return render_anonymous_form(
            request, "accounts/login.html", {**context, "error": "请输入用户名和密码"}, status_code=422
        )
    result = service.authenticate(db=db, username=username, password=password)
    if result.error is not None:
        return render_anonymous_form(
            request,
            "accounts/login.html",
            {**context, "error": result.error.message},
            status_code=result.error.status_code,
        )
    assert result.user is not None
    token, _ = service.start_session(db=db, user=result.user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=is_https(request.scope, settings),
        max_age=settings.session_ttl_s,
    )
    return response


@router.post("/logout")
def logout(request: Request, db: DbSession, user: PageUser) -> Response:
    service.end_session(db=db, token=request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/accounts/users", response_class=HTMLResponse)
def users_page(request: Request, db: DbSession, user: PageUser, page: int = 1) -> HTMLResponse:
    paging = PageParams.clamped(page, 100)
    rows, total = service.list_users(db=db, actor=user, page=paging)
    return render(
        request, "accounts/users.html", {"users": rows, "total": total, "paging": paging, "role_labels": ROLE_LABELS}
    )


def _audit_page(request: Request, db, user, query: audit_log.AuditQuery, page: int, result: str = "", broken=False):
    paging = PageParams.clamped(page, 100)
    message, status = "", 200
    try:
        items, total = audit_log.search(db=db, actor=user, page=paging, query=query)
    except ValidationFailed as exc:  # a bad filter: the page with the reason, nothing found
        items, total, message, status = [], 0, exc.message, 422
    context = {
        "items": items,
        "total": total,
        "paging": paging,
        "pages": paging.page_count(total),
        "q": query,
        "entities": audit.entities(db, actor=user),
        "can_verify": user.can("audit.verify"),
        "result": result,
        "broken": broken,
        "message": message,
    }
    return render(request, "accounts/audit.html", context, status_code=status)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    entity: str = "",
    entity_id: str = "",
    username: Annotated[str, Query(alias="user")] = "",
    since: str = "",
    until: str = "",
    page: int = 1,
) -> HTMLResponse:
    query = audit_log.AuditQuery(entity=entity, entity_id=entity_id, user=username, since=since, until=until)
    return _audit_page(request, db, user, query, page)


@router.post("/audit/verify", response_class=HTMLResponse)
def audit_verify(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    report = audit.verify(db, actor=user)
    return _audit_page(request, db, user, audit_log.AuditQuery(), 1, audit.describe(report), not report.ok)
