"""Shell pages: the duty dashboard, the 一张图 map, and a plain page for capabilities not built yet.

They show what the capabilities registered (``web.shell``): cards, map layers, menu entries. This module
imports no capability (a contract in ``pyproject.toml``)."""

from __future__ import annotations

from functools import cache
from typing import Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yingji.core import layercache
from yingji.core.actor import Actor
from yingji.web.deps import PAGE_TTL_S, DbSession, LoginRequired, PageUser, page_user_optional
from yingji.web.layers import cache_of, etag_matches
from yingji.web.shell import SHELL, Card, NavEntry, shown, visible
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def dashboard(request: Request) -> Response:
    # The page every duty officer keeps open: its whole work (the unit of work, the session and user, the
    # badge, the page) in one turn of the thread pool. Through the dependencies it took four hand-overs
    # between the event loop and the pool, which under load cost more waiting than the work itself.
    return await anyio.to_thread.run_sync(_dashboard, request, limiter=_dashboard_threads())


@cache
def _dashboard_threads() -> anyio.CapacityLimiter:
    # A few threads of its own, taken in arrival order: the page only reads, and 40 threads (the shared
    # pool) contending for one interpreter at 100 clients served some requests ten times later than the
    # median. One per process, made in the event loop that uses it.
    return anyio.CapacityLimiter(4)


def _dashboard(request: Request) -> Response:
    database = request.app.state.database
    with database.read_sessionmaker() as db, db.begin():  # as ``get_db`` does
        db.info["actor_id"] = None
        user = page_user_optional(request, db)
        if user is None:
            raise LoginRequired("请先登录")
        return _dashboard_of(request, db, user)


def _dashboard_of(request: Request, db: Session, user: Actor) -> Response:
    if user.role == "info_officer":
        return RedirectResponse("/officer", status_code=303)  # their home is their village's page
    cards = [c for c in SHELL.cards() if visible(user, c.permission)]
    tables = _tables_read(cards)
    if tables is None:  # a card that does not say what it reads: never kept
        return _render_dashboard(request, db, user)
    # The page is a function of who looks (the header, the scope of the counts), the session's CSRF
    # token, the 待办 badge and the tables the cards read: kept per viewer until one of these changes.
    key = (
        "dashboard",
        getattr(request.state, "user", None),
        getattr(request.state, "csrf_token", ""),
        getattr(request.app.state, "demo_label", None),
        request.url.path,
        request.url.query,
    )
    current = (layercache.versions(db, [layercache.rows_layer(t) for t in tables]), request.state.todo_unread)
    entry = cache_of(request, "page_cache").get(
        key,
        current=current,
        build=lambda: (_render_dashboard(request, db, user).body, None),
        ttl_s=PAGE_TTL_S,
        encode=bytes,
    )
    headers = {"ETag": entry.etag, "Cache-Control": "private, no-cache"}
    if etag_matches(request.headers.get("if-none-match"), entry.etag):
        return Response(status_code=304, headers=headers)
    return HTMLResponse(entry.body, headers=headers)


def _tables_read(cards: list[Card]) -> tuple[str, ...] | None:
    tables: set[str] = set()
    for card in cards:
        if card.data is not None and not (card.reads and all(layercache.watched(t) for t in card.reads)):
            return None
        tables.update(card.reads)
    return tuple(sorted(tables))


def _render_dashboard(request: Request, db: Session, user: Actor) -> HTMLResponse:
    cards = shown(request, db, user, SHELL.cards())
    charts: dict[str, Any] = {}
    for _card, data in cards:
        charts.update(data.get("charts", {}))
    return render(
        request,
        "web/dashboard.html",
        {
            "stat_cards": [c for c in cards if c[0].place == "stats"],
            "grid_cards": [c for c in cards if c[0].place == "grid"],
            "charts": charts,
        },
    )


@router.get("/map", response_class=HTMLResponse)
def one_map(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    layers = shown(request, db, user, SHELL.map_layers())
    return render(request, "web/map.html", {"full_screen": True, "layers": layers})


def _not_built(entry: NavEntry):
    def page(request: Request, user: PageUser) -> HTMLResponse:
        return render(request, "web/not_built.html", {"entry": entry})

    return page


def not_built_router() -> APIRouter:
    """A page for every registered menu entry whose capability is not built yet (call after registering)."""
    out = APIRouter(include_in_schema=False)
    for entry in SHELL.menu():
        if entry.capability != "web" and not entry.built:
            out.add_api_route(entry.url, _not_built(entry), methods=["GET"], response_class=HTMLResponse)
    return out
