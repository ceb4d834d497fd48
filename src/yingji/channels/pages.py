from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from yingji.channels import service
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
