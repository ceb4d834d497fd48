"""A cached map layer as an HTTP answer: the bytes serialised once (``core.layercache``), an ETag, and
``304 Not Modified`` to a browser that sends that ETag back in ``If-None-Match``.

A route calls ``require`` of its permission before ``layer_response`` (``build`` runs only on a rebuild):
a 304 must not tell a viewer without the right that a layer exists or has not changed. (The check stays
in the route, with the permission written out, so that the OpenAPI's answers read it: ``web.answers``.)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session

from yingji.core import layercache
from yingji.core.actor import Actor

GEOJSON = "application/geo+json"


def cache_of(request: Request, name: str = "layer_cache") -> layercache.LayerCache:
    # One per app: a test's app (and its rolled-back database) never sees another's layers. Pages kept
    # per viewer (``page_cache``) have their own, so that they never push the shared layers out.
    cache = getattr(request.app.state, name, None)
    if cache is None:
        cache = layercache.LayerCache()
        setattr(request.app.state, name, cache)
    return cache


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


def _rows_layer(table: str) -> str:
    # A table whose writes move nothing would keep the layer stale for ever: refuse it at the first request
    # rather than serve old rows.
    if not layercache.watched(table):
        raise RuntimeError(f"map layer reads {table!r}, whose model does not say __generation__ = True")
    return layercache.rows_layer(table)


def layer_response(
    request: Request,
    db: Session,
    user: Actor,
    *,
    layer: str,
    build: Callable[[], Any],
    params: tuple[Hashable, ...] = (),
    reads: tuple[str, ...] = (),
    ttl_s: float | None = None,
    valid_s: Callable[[Any], float | None] | None = None,
    media_type: str = GEOJSON,
    headers: dict[str, str] | None = None,
) -> Response:
    """The layer ``layer`` for ``user``'s scope and ``params``: built by ``build()`` when its generation
    moved on (an event), when a table of ``reads`` was written (their models say ``__generation__``), when
    ``ttl_s`` passed, or when ``valid_s(data)`` seconds passed. ``headers`` go with the answer (a file name)."""
    current = layercache.versions(db, [layer, *map(_rows_layer, reads)])

    def rebuild() -> tuple[Any, float | None]:
        data = build()
        return data, valid_s(data) if valid_s else None

    key = (layer, layercache.scope_key(user), params)
    entry = cache_of(request).get(key, current=current, build=rebuild, ttl_s=ttl_s)
    # private: the content depends on who asks; no-cache: the browser asks again each time, and the
    # ETag makes that a 304 while nothing changed.
    headers = {**(headers or {}), "ETag": entry.etag, "Cache-Control": "private, no-cache"}
    if etag_matches(request.headers.get("if-none-match"), entry.etag):
        return Response(status_code=304, headers=headers)
    return Response(entry.body, media_type=media_type, headers=headers)
