"""Shell pages: the duty dashboard, the 一张图 map, and a plain page for capabilities not built yet.

They show what the capabilities registered (``web.shell``): cards, map layers, menu entries. This module
imports no capability (a contract in ``pyproject.toml``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yingji.web.deps import DbSession, PageUser
from yingji.web.shell import SHELL, NavEntry, shown
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, db: DbSession, user: PageUser) -> Response:
    if user.role == "info_officer":
        return RedirectResponse("/officer", status_code=303)  # their home is their village's page
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
