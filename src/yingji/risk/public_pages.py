"""The anonymous hazard-report page (举报) and the tracking page: no login; a double-submit CSRF cookie,
an offline arithmetic captcha and a per-address rate limit."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.datastructures import UploadFile

from yingji.core.errors import DomainError, TooManyRequests
from yingji.geo import service as geo_service
from yingji.risk.enums import HAZARD_STATUS_LABELS, REPORT_STATUS_LABELS
from yingji.risk.service import reports
from yingji.web.deps import DbSession, check_anonymous_csrf
from yingji.web.templating import render, render_anonymous_form

router = APIRouter(include_in_schema=False)
FORM = "risk/public_report.html"


def _form(request: Request, db, *, values=None, errors=None, message="", status=200) -> HTMLResponse:
    token, svg = reports.new_captcha(db=db)
    return render_anonymous_form(
        request,
        FORM,
        {
            "values": values or {},
            "errors": errors or {},
            "message": message,
            "captcha_token": token,
            # Drawn by the server from two small numbers and an operator, never from input: safe markup.
            "captcha_svg": Markup(svg),
            "villages": geo_service.region_infos(db=db, level="village"),
        },
        status_code=status,
    )


@router.get("/risk/public/report", response_class=HTMLResponse)
def report_form(request: Request, db: DbSession) -> HTMLResponse:
    return _form(request, db)


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@router.post("/risk/public/report", response_class=HTMLResponse)
async def submit(request: Request, db: DbSession) -> HTMLResponse:
    form = await request.form()
    v = {k: val for k, val in form.items() if isinstance(val, str)}
    check_anonymous_csrf(request, v.get("csrf_token"))
    client = request.client.host if request.client else "unknown"
    keep = {k: v.get(k, "") for k in ("place", "description", "contact", "lon", "lat", "region_code")}
    try:
        # The attempt and the used captcha are kept even when the report is refused: guessing costs tries.
        reports.throttle(db=db, client=client, secret=request.app.state.secret_key)
        reports.check_captcha(db=db, token=v.get("captcha_token", ""), answer=v.get("captcha_answer", ""))
        photo = form.get("photo")
        data = await photo.read() if isinstance(photo, UploadFile) and photo.filename else None
        with db.begin_nested():
            report = reports.submit_report(
                db=db,
                lon=_float(v.get("lon")),
                lat=_float(v.get("lat")),
                place=v.get("place", ""),
                description=v.get("description", ""),
                contact=v.get("contact", ""),
                photo=data,
                photo_name=photo.filename if data else "",
                region_code=v.get("region_code") or None,
            )
    except TooManyRequests as exc:
        response = _form(request, db, values=keep, message=exc.message, status=429)
        response.headers["Retry-After"] = str(exc.retry_after_s)
        return response
    except DomainError as exc:
        errors = {d.field: d.message for d in exc.details}
        return _form(request, db, values=keep, errors=errors, message=exc.message, status=exc.status_code)
    return render(request, "risk/public_done.html", {"code": report.tracking_code})


@router.get("/risk/public/track", response_class=HTMLResponse)
def track(request: Request, db: DbSession, code: str = "") -> HTMLResponse:
    context: dict = {"code": code, "report_labels": REPORT_STATUS_LABELS, "status_labels": HAZARD_STATUS_LABELS}
    if code:
        try:
            context["report"], context["hazard_status"] = reports.track(db=db, code=code)
        except DomainError as exc:
            context["message"] = exc.message
            return render(request, "risk/public_track.html", context, status_code=404)
    return render(request, "risk/public_track.html", context)
