"""Server-sent events for live pages, the one way the platform streams: a ``change`` event whenever a
token computed from the database changes (the 一张图 map's alarms, an incident's command workspace).
The token function opens its own short read transaction per poll, so no transaction is held while the
stream waits; the browser reconnects by itself after ``max_s`` (``retry``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool


def change_stream(request: Request, token: Callable[[], str], *, poll_s: float = 2.0, max_s: float = 600,
                  event: str = "change", data: Callable[[str], dict[str, Any]] | None = None) -> StreamingResponse:
    """``token()`` is called every ``poll_s`` seconds; each new value is sent as ``event`` with
    ``{"token": ...}`` (plus ``data(token)`` when given)."""

    async def events() -> AsyncIterator[str]:
        last, waited = None, 0.0
        yield "retry: 3000\n\n"
        while waited < max_s and not await request.is_disconnected():
            current = await run_in_threadpool(token)
            if current != last:
                payload = {"token": current, **(data(current) if data else {})}
                yield f"event: {event}\ndata: {json.dumps(payload)}\n\n"
                last = current
            await asyncio.sleep(poll_s)
            waited += poll_s

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
