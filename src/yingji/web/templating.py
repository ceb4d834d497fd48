"""One Jinja2 environment over the shell's templates and every capability's ``templates/`` folder.
Each capability keeps its templates under a folder of its own name (``risk/templates/risk/…``)."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from yingji import CAPABILITIES
from yingji.accounts.service import ROLE_LABELS
from yingji.core.clock import to_local
from yingji.web.deps import ANON_CSRF_COOKIE
from yingji.web.hardening import is_https
from yingji.web.shell import MenuView

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def page_url(request: Request, page: int, param: str = "page") -> str:
    """This page's address with another page number, its other query parameters (filters) kept."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != param]
    return "?" + urlencode([*query, (param, str(page))])


@cache
def templates() -> Jinja2Templates:
    dirs = [PACKAGE_DIR / "web" / "templates"]
    dirs += [PACKAGE_DIR / cap / "templates" for cap in CAPABILITIES if (PACKAGE_DIR / cap / "templates").is_dir()]
    t = Jinja2Templates(directory=str(dirs[0]))
    t.env.loader = ChoiceLoader([FileSystemLoader(str(d)) for d in dirs])
    t.env.filters["local"] = lambda v, fmt="%Y-%m-%d %H:%M": to_local(v).strftime(fmt) if v else ""
    t.env.globals["nav"] = MenuView()  # what the capabilities registered (web.shell)
    t.env.globals["capabilities"] = CAPABILITIES
    t.env.globals["role_label"] = lambda role: ROLE_LABELS.get(role, role)
    t.env.globals["page_url"] = page_url
    return t


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    ctx = {
        "user": user,
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "demo_label": getattr(request.app.state, "demo_label", None),
        "path": request.url.path,
        **(context or {}),
    }
    return templates().TemplateResponse(request, name, ctx, status_code=status_code)


def render_anonymous_form(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """A page with a form for visitors who are not logged in: sets the double-submit CSRF cookie."""
    token = request.cookies.get(ANON_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = render(request, name, {"anon_csrf": token, **(context or {})}, status_code=status_code)
    response.set_cookie(
        ANON_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=is_https(request.scope, request.app.state.settings),
    )
    return response
