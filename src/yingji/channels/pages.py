from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from yingji.channels import sandbox, service
from yingji.core.actor import require
from yingji.core.errors import NotFound
from yingji.web.deps import DbSession, PageUser
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/channels", response_class=HTMLResponse)
def channels_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return render(
        request,
        "channels/index.html",
        {
            "channels": service.status(actor=user),
            "sms": service.recent_sms(db=db, actor=user),
        },
    )


@router.get("/channels/sandbox", response_class=HTMLResponse)
def sandbox_page(request: Request, user: PageUser, channel: str = "", address: str = "") -> HTMLResponse:
    """What the demo sandbox gateway (演示通道) received: the text each phone got, the loudspeaker audio."""
    require(user, "channels.read")
    rows = sandbox.received(channel=channel or None, address=address.strip() or None, limit=200)
    return render(
        request,
        "channels/sandbox.html",
        {
            "rows": rows,
            "channel": channel,
            "address": address,
            "labels": service.LABELS,
            "active": any(service.is_sandbox(c) for c in service.configured().values()),
        },
    )


@router.get("/channels/sandbox/audio/{receipt}.wav")
def sandbox_audio(receipt: str, user: PageUser) -> Response:
    """The loudspeaker's audio of one received message, spoken by espeak-ng (served by the sandbox)."""
    require(user, "channels.read")
    try:
        data = sandbox.audio(receipt)
    except RuntimeError as exc:  # espeak-ng missing: say so instead of failing
        return Response(str(exc), status_code=503, media_type="text/plain; charset=utf-8")
    if data is None:
        raise NotFound("演示通道没有收到这条广播")
    return Response(data, media_type="audio/wav")
