"""Server-sent events: a change token whenever alarms or readings change (service.live)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from yingji.monitoring.service import live
from yingji.web.deps import ApiUser, get_database
from yingji.web.sse import change_stream

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

    return change_stream(request, token, poll_s=poll_s, max_s=max_s)
