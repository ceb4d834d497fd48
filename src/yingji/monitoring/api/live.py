"""Server-sent events: a change token whenever alarms or readings change (service.live)."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from yingji.monitoring.service import live
from yingji.web.deps import ApiUser, get_database

router = APIRouter()


@router.get("/stream")
async def stream(
    request: Request,
    user: ApiUser,
    poll_s: Annotated[float, Query(ge=0.2, le=30)] = 2.0,
    max_s: Annotated[float, Query(ge=1, le=3600)] = 600,
) -> StreamingResponse:
    """Server-sent events: a `change` event whenever alarms or readings change (the map then reloads its
    layer). The browser reconnects by itself after `max_s`."""
    database = get_database(request)

    def token() -> str:
        with database.transaction() as db:
            return live.change_token(db=db)

    async def events():
        last, waited = None, 0.0
        yield "retry: 3000\n\n"
        while waited < max_s and not await request.is_disconnected():
            current = await run_in_threadpool(token)
            if current != last:
                yield f"event: change\ndata: {json.dumps({'token': current})}\n\n"
                last = current
            await asyncio.sleep(poll_s)
            waited += poll_s

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
