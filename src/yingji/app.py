"""The FastAPI application factory: JSON API under /api/v1, pages, static assets, /healthz."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from yingji import __version__
from yingji.bootstrap import bootstrap, capability_modules
from yingji.channels import service as channels_service
from yingji.core import layercache
from yingji.core.config import Settings, get_settings
from yingji.core.db import Database
from yingji.core.meta import get_meta
from yingji.web import calendar_pages, nav, shell
from yingji.web import errors as web_errors
from yingji.web import openapi as web_openapi
from yingji.web import pages as web_pages
from yingji.web import todo as web_todo
from yingji.web.hardening import BodyLimitMiddleware, BodyLimits, SecurityHeadersMiddleware

log = logging.getLogger("yingji")


def create_app(*, settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = database or Database.from_url(settings.resolved_database_url())
    bootstrap()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        refresh_demo_label(app)
        yield

    app = FastAPI(
        title="Yingji 应急 API",
        version=__version__,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.layer_cache = layercache.LayerCache()  # map layers serialised once per change (web.layers)
    app.state.secret_key = settings.resolved_secret_key()
    app.state.demo_label = None

    web_errors.install(app)
    app.add_middleware(BodyLimitMiddleware, limits=BodyLimits.from_settings(settings))
    app.add_middleware(SecurityHeadersMiddleware, settings=settings)
    static = Path(__file__).parent / "web" / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")

    # The shell's menu, dashboard cards, map layers and village panels: the shell's own and every
    # capability's ``shell.py`` (the upper shell imports no capability; it shows what is registered here).
    shell.register("web", nav)
    for module in capability_modules("shell"):
        shell.register(module.__name__.split(".")[1], module)

    # The dashboard and the map first: a request walks the routes in order until one matches, and with
    # some 500 API routes before them the walk cost the dashboard more than its queries (no other route
    # answers "/" or "/map", so the order changes nothing else).
    app.include_router(web_pages.router)
    for module in capability_modules("api"):
        app.include_router(module.router, prefix="/api/v1")
    for module in capability_modules("pages"):
        app.include_router(module.router)
    app.include_router(calendar_pages.api_router, prefix="/api/v1")
    app.include_router(calendar_pages.router)
    app.include_router(web_todo.api_router, prefix="/api/v1")
    app.include_router(web_todo.router)
    app.include_router(web_pages.not_built_router())
    web_openapi.install(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz(request: Request) -> JSONResponse:
        database: Database = request.app.state.database
        try:
            with database.sessionmaker() as session:
                session.execute(text("SELECT 1"))
        except Exception as exc:  # the probe reports, it does not crash
            log.warning("health check failed: %s", exc)
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        # ``process``: which server process answered (several run behind one port or one proxy).
        return JSONResponse(
            {"status": "ok", "database": database.dialect, "version": __version__, "process": os.getpid()}
        )

    return app


def settle_heap() -> None:
    """Takes what a server process built before serving (some 340,000 objects: routes, models, schemas)
    out of the cyclic garbage collector's sight. They live as long as the process, and every full
    collection walked them all: 115 ms during which the server answered nothing, the slowest 1 % of the
    dashboard's requests under load. Garbage made before is collected first, so that none of it is kept
    for good. Only for a process that serves until it ends (``yingji serve``): what is frozen is never
    collected, and a test process making many apps would keep each one's garbage."""
    gc.collect()
    gc.freeze()


def app_from_settings() -> FastAPI:
    """The factory each server process calls (``yingji serve --workers N``, or
    ``uvicorn --factory yingji.app:app_from_settings``): every process builds its own app and its own
    database engine from the environment, since connections cannot be shared across processes."""
    app = create_app()
    settle_heap()
    return app


def refresh_demo_label(app: FastAPI) -> None:
    """Reads which data set is loaded; every page shows a banner while it is demo data."""
    app.state.demo_label = demo_dataset(app.state.database)


def demo_dataset(database: Database) -> str | None:
    """The demo data set's label, or None; tells the channels too (the demo sandbox gateway is used only
    while the demo data set is loaded, unless ``YINGJI_CHANNEL_SANDBOX=on``)."""
    try:
        with database.transaction(read=True) as db:
            label = get_meta(db, "demo_dataset")
    except Exception:  # no tables yet (migrations not applied): no banner, pages will say what is wrong
        label = None
    channels_service.note_demo_loaded(label is not None)
    return label
