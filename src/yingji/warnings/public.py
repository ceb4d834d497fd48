"""Public pages, no login: current warnings (readable on a phone), each warning and its CAP message,
the Atom feed, and the SMS subscription (subscribe, confirm with the code, unsubscribe in one step)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from yingji.core.clock import utcnow
from yingji.core.errors import DomainError
from yingji.geo import service as geo_service
from yingji.warnings.enums import LEVEL_COLOURS, LEVEL_LABELS, MSG_TYPE_LABELS
from yingji.warnings.schemas import SubscribeRequest
from yingji.warnings.service import messages, subscriptions
from yingji.warnings.settings import sender_name, settings
from yingji.warnings.standards import event_types
from yingji.web.deps import DbSession, check_anonymous_csrf
from yingji.web.templating import render, render_anonymous_form, templates

router = APIRouter(include_in_schema=False)
LABELS = {"level_labels": LEVEL_LABELS, "level_colours": LEVEL_COLOURS, "msg_type_labels": MSG_TYPE_LABELS}


@router.get("/public/warnings", response_class=HTMLResponse)
def public_list(request: Request, db: DbSession) -> HTMLResponse:
    return render(request, "warnings/public_list.html", {**LABELS, "rows": messages.current(db=db), "now": utcnow()})


@router.get("/public/warnings.atom")
def atom(request: Request, db: DbSession) -> Response:
    rows = messages.recent_public(db=db)
    body = (
        templates()
        .get_template("warnings/feed.atom")
        .render(
            rows=rows,
            base=settings().public_base_url,
            updated=rows[0].published_at if rows else utcnow(),
            sender=sender_name(db),
            **LABELS,
        )
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/public/warnings/{identifier}.cap")
def public_cap(identifier: str, db: DbSession) -> Response:
    return Response(messages.public_cap(db=db, identifier=identifier), media_type="application/cap+xml; charset=utf-8")


@router.get("/public/warnings/{identifier}", response_class=HTMLResponse)
def public_detail(request: Request, identifier: str, db: DbSession) -> HTMLResponse:
    w = messages.public_by_identifier(db=db, identifier=identifier)
    return render(request, "warnings/public_detail.html", {**LABELS, "w": w, "event": event_types().get(w.event_type)})


def _subscribe_ctx(db, **extra):
    return {
        "townships": geo_service.region_infos(db=db, level="township"),
        "villages": geo_service.region_infos(db=db, level="village"),
        "event_types": event_types(),
        **extra,
    }


@router.get("/public/subscribe", response_class=HTMLResponse)
def subscribe_form(request: Request, db: DbSession) -> HTMLResponse:
    return render_anonymous_form(request, "warnings/subscribe.html", _subscribe_ctx(db, step="ask", values={}))


@router.post("/public/subscribe", response_class=HTMLResponse)
async def subscribe(request: Request, db: DbSession) -> HTMLResponse:
    form = await request.form()
    check_anonymous_csrf(request, str(form.get("csrf_token", "")))
    values = {
        "phone": str(form.get("phone", "")),
        "village_codes": form.getlist("village_codes"),
        "event_types": form.getlist("event_types"),
    }
    try:
        subscriptions.subscribe(db=db, data=SubscribeRequest.model_validate(values))
    except (ValidationError, DomainError) as exc:
        message = exc.message if isinstance(exc, DomainError) else "输入有误"
        status = exc.status_code if isinstance(exc, DomainError) else 422
        return render_anonymous_form(
            request,
            "warnings/subscribe.html",
            _subscribe_ctx(db, step="ask", values=values, error=message),
            status_code=status,
        )
    return render_anonymous_form(request, "warnings/subscribe.html", _subscribe_ctx(db, step="confirm", values=values))


@router.post("/public/subscribe/confirm", response_class=HTMLResponse)
def confirm(
    request: Request, db: DbSession, phone: str = Form(""), code: str = Form(""), csrf_token: str = Form("")
) -> HTMLResponse:
    check_anonymous_csrf(request, csrf_token)
    try:
        result = subscriptions.confirm(db=db, phone=phone, code=code)
        if result.error is not None:  # rendered, not raised to the request: the counted attempt is saved
            raise result.error
    except DomainError as exc:
        return render_anonymous_form(
            request,
            "warnings/subscribe.html",
            _subscribe_ctx(db, step="confirm", values={"phone": phone}, error=exc.message),
            status_code=exc.status_code,
        )
    return render_anonymous_form(
        request, "warnings/subscribe.html", _subscribe_ctx(db, step="done", count=len(result.rows))
    )


@router.get("/public/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_form(request: Request, token: str) -> HTMLResponse:
    return render_anonymous_form(request, "warnings/unsubscribe.html", {"token": token, "done": False})


@router.post("/public/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe(request: Request, token: str, db: DbSession, csrf_token: str = Form("")) -> HTMLResponse:
    check_anonymous_csrf(request, csrf_token)
    n = subscriptions.unsubscribe(db=db, token=token)
    return render_anonymous_form(request, "warnings/unsubscribe.html", {"token": token, "done": True, "count": n})
