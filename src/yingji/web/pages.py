"""Shell pages: the duty dashboard, the 一张图 map, and a plain page for capabilities not built yet.

They show what the capabilities registered (``web.shell``): cards, map layers, menu entries. This module
imports no capability (a contract in ``pyproject.toml``)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from functools import cache
from typing import Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yingji.core import layercache
from yingji.core.actor import Actor
from yingji.web.deps import (
    PAGE_TTL_S,
    SESSION_COOKIE,
    DbSession,
    LoginRequired,
    PageUser,
    kept_todo_unread,
    page_user_optional,
)
from yingji.web.layers import cache_of, etag_matches
from yingji.web.session_cache import keep_session, kept_session
from yingji.web.shell import SHELL, Card, NavEntry, shown, visible
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def dashboard(request: Request) -> Response:
    # The page every duty officer keeps open. Kept, it is answered here on the event loop: the
    # generations are read for all the requests waiting at that moment together (``core.generations``),
    # the session, the badge and the page come from this process's memory. Otherwise its whole work
    # (the unit of work, the session and user, the badge, the page) is one turn of a thread pool.
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return await _built(request, None)
    generations = await request.app.state.database.generations.read()
    kept = _kept_dashboard(request, generations)
    if kept is not None:
        return kept
    # One build per session at a time: when its kept session or page is outdated (a write, a few
    # seconds passed), the requests of that browser that come meanwhile wait for the one build and
    # take what it kept, instead of all reading the session again in the few threads of the page.
    builds = _builds(request)
    ahead = builds.get(token)
    if ahead is not None:
        await asyncio.shield(ahead)
        return _kept_dashboard(request, generations) or await _built(request, generations)
    builds[token] = done = asyncio.get_running_loop().create_future()
    try:
        return await _built(request, generations)
    finally:
        builds.pop(token, None)
        done.set_result(None)


async def _built(request: Request, generations: Mapping[str, int] | None) -> Response:
    return await anyio.to_thread.run_sync(_dashboard, request, generations, limiter=_dashboard_threads())


def _builds(request: Request) -> dict[str, asyncio.Future[None]]:
    found = getattr(request.app.state, "dashboard_builds", None)
    if found is None:
        found = request.app.state.dashboard_builds = {}
    return found


@cache
def _dashboard_threads() -> anyio.CapacityLimiter:
    # A few threads of its own, taken in arrival order: the page only reads, and 40 threads (the shared
    # pool) contending for one interpreter at 100 clients served some requests ten times later than the
    # median. One per process, made in the event loop that uses it.
    return anyio.CapacityLimiter(4)


def _kept_dashboard(request: Request, generations: Mapping[str, int]) -> Response | None:
    """The dashboard as kept, if the session, its user, the badge and what the cards read are all
    unchanged at ``generations`` (read after this request came); None: build it in a thread."""
    session = kept_session(request, generations)
    if session is None or session.user.role == "info_officer":
        return None
    unread = kept_todo_unread(request, session.user, generations)
    if unread is None:
        return None
    tables = _tables_read([c for c in SHELL.cards() if visible(session.user, c.permission)])
    if tables is None:
        return None
    request.state.user, request.state.csrf_token, request.state.todo_unread = session.user, session.csrf_token, unread
    current = (layercache.versions_in(generations, map(layercache.rows_layer, tables)), unread)
    entry = cache_of(request, "page_cache").peek(_page_key(request), current)
    return None if entry is None else _page_answer(request, entry)


def _dashboard(request: Request, generations: Mapping[str, int] | None) -> Response:
    database = request.app.state.database
    with database.read_sessionmaker() as db, db.begin():  # as ``get_db`` does
        db.info["actor_id"] = None
        if generations is not None:
            layercache.seed(db, generations)  # read before this transaction: the page is kept under them
        user = page_user_optional(request, db)
        if user is None:
            raise LoginRequired("请先登录")
        if generations is not None:
            keep_session(request, generations)
        return _dashboard_of(request, db, user)


def _dashboard_of(request: Request, db: Session, user: Actor) -> Response:
    if user.role == "info_officer":
        return RedirectResponse("/officer", status_code=303)  # their home is their village's page
    cards = [c for c in SHELL.cards() if visible(user, c.permission)]
    tables = _tables_read(cards)
    if tables is None:  # a card that does not say what it reads: never kept
        return _render_dashboard(request, db, user)
    current = (layercache.versions(db, [layercache.rows_layer(t) for t in tables]), request.state.todo_unread)
    entry = cache_of(request, "page_cache").get(
        _page_key(request),
        current=current,
        build=lambda: (_render_dashboard(request, db, user).body, None),
        ttl_s=PAGE_TTL_S,
        encode=bytes,
    )
    return _page_answer(request, entry)


def _page_key(request: Request) -> tuple[Any, ...]:
    # The page is a function of who looks (the header, the scope of the counts), the session's CSRF
    # token, the 待办 badge and the tables the cards read: kept per viewer until one of these changes.
    return (
        "dashboard",
        getattr(request.state, "user", None),
        getattr(request.state, "csrf_token", ""),
        getattr(request.app.state, "demo_label", None),
        request.url.path,
        request.url.query,
    )


def _page_answer(request: Request, entry: layercache.Built) -> Response:
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
