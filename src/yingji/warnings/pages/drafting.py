"""Warning pages: the drafting form with its map (new, from an alarm, edit) and the update of a published
warning (service.authoring, from_alarms)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from yingji.core.actor import require
from yingji.core.clock import LOCAL_TZ, to_local, utcnow
from yingji.core.errors import DomainError, ValidationFailed
from yingji.core.jsonparse import loads
from yingji.geo import service as geo_service
from yingji.warnings.pages.common import labels
from yingji.warnings.schemas import WarningCreate, WarningRevision
from yingji.warnings.service import authoring, from_alarms
from yingji.web.deps import DbSession, PageUser
from yingji.web.errors import validation_details
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


def _local_input(value: datetime) -> str:
    return to_local(value).strftime("%Y-%m-%dT%H:%M")



def _form_context(db, values: dict[str, Any], errors: dict[str, str], message: str = "") -> dict[str, Any]:
    return {
        **labels(),
        "values": values,
        "errors": errors,
        "message": message,
        "townships": geo_service.region_infos(db=db, level="township"),
        "villages": geo_service.region_infos(db=db, level="village"),
    }



@router.get("/warnings/new", response_class=HTMLResponse)
def new_warning(request: Request, db: DbSession, user: PageUser, alarm: int | None = None) -> HTMLResponse:
    require(user, "warnings.write")
    now = utcnow()
    values = {
        "level": "blue",
        "event_type": "rainstorm",
        "effective": _local_input(now),
        "expires": _local_input(now.replace(microsecond=0) + (datetime.min.replace(hour=12) - datetime.min)),
        "area_mode": "regions",
    }
    if alarm is not None:
        # Drafting from a monitoring alarm: its level, type, place and figures fill the form; the author
        # still reviews everything and the draft goes through sign-off like any other.
        found = from_alarms.compose_from_alarms(db=db, actor=user, alarm_ids=[alarm])
        values.update(
            level=found.level,
            event_type=found.event_type,
            headline=found.headline,
            description=found.description,
            instruction=found.instruction,
            instruction_source=found.instruction_source,
            regions=found.region_codes,
        )
    # From the map's "此处" menu: a circle around the point chosen (3 km until the author changes it).
    if "circle_lon" in request.query_params and "circle_lat" in request.query_params:
        values.update(
            area_mode="circle",
            circle_lon=request.query_params["circle_lon"][:20],
            circle_lat=request.query_params["circle_lat"][:20],
        )
    return render(request, "warnings/form.html", _form_context(db, values, {}))



def _parse_local(text: str) -> datetime | str:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return text
    return value.replace(tzinfo=LOCAL_TZ) if value.tzinfo is None else value



def _area_from_form(form: Any) -> dict[str, Any]:
    mode = form.get("area_mode", "regions")
    if mode == "polygon":
        try:
            return {"polygon": loads(form.get("polygon") or "[]", field="polygon")}
        except ValidationFailed:
            return {"polygon": "格式错误"}
    if mode == "circle":

        def num(name: str) -> Any:
            try:
                return float(form.get(name, ""))
            except ValueError:
                return form.get(name)

        return {"circle": {"lon": num("circle_lon"), "lat": num("circle_lat"), "radius_m": num("circle_radius_m")}}
    return {"regions": form.getlist("regions")}



def _errors(exc: Exception) -> tuple[dict[str, str], str]:
    if isinstance(exc, ValidationError):
        return {d["field"]: d["message"] for d in validation_details(list(exc.errors()))}, ""
    assert isinstance(exc, DomainError)
    return ({d.field.split(".")[0]: d.message for d in exc.details} or {"": exc.message}), exc.message



def _form_values(form: Any) -> dict[str, Any]:
    values = {k: v for k, v in form.items() if k not in ("csrf_token", "regions")}
    values["regions"] = form.getlist("regions")
    return values



def _form_data(form: Any) -> dict[str, Any]:
    return {
        "event_type": form.get("event_type", ""),
        "level": form.get("level", ""),
        "headline": form.get("headline", ""),
        "description": form.get("description", ""),
        "instruction": form.get("instruction", ""),
        "effective": _parse_local(str(form.get("effective", ""))),
        "expires": _parse_local(str(form.get("expires", ""))),
        "area": _area_from_form(form),
    }



@router.post("/warnings/new", response_class=HTMLResponse)
async def create_warning(request: Request, db: DbSession, user: PageUser) -> Response:
    form = await request.form()
    values = _form_values(form)
    try:
        w = authoring.create_warning(db=db, actor=user, data=WarningCreate.model_validate(_form_data(form)))
    except (ValidationError, DomainError) as exc:
        errors, message = _errors(exc)
        status = exc.status_code if isinstance(exc, DomainError) else 422
        return render(request, "warnings/form.html", _form_context(db, values, errors, message), status_code=status)
    return RedirectResponse(f"/warnings/{w.id}", status_code=303)



@router.get("/warnings/{warning_id}/edit", response_class=HTMLResponse)
def edit_warning_form(request: Request, db: DbSession, user: PageUser, warning_id: int) -> HTMLResponse:
    """The drafting form filled with a draft (e.g. one made from alarms), to review and change it."""
    require(user, "warnings.write")
    w = authoring.get_warning(db=db, actor=user, warning_id=warning_id)
    spec = w.area or {}
    values: dict[str, Any] = {
        "event_type": w.event_type,
        "level": w.level,
        "headline": w.headline,
        "description": w.description,
        "instruction": w.instruction,
        "effective": _local_input(w.effective),
        "expires": _local_input(w.expires),
        "area_mode": "polygon" if "polygon" in spec else "circle" if "circle" in spec else "regions",
        "regions": spec.get("regions", []),
        "polygon": json.dumps(spec["polygon"]) if "polygon" in spec else "",
        **({f"circle_{k}": v for k, v in spec["circle"].items()} if "circle" in spec else {}),
    }
    return render(request, "warnings/form.html", {**_form_context(db, values, {}), "editing": w})



@router.post("/warnings/{warning_id}/edit", response_class=HTMLResponse)
async def edit_warning(request: Request, db: DbSession, user: PageUser, warning_id: int) -> Response:
    form = await request.form()
    values = _form_values(form)
    try:
        w = authoring.edit_draft(
            db=db, actor=user, warning_id=warning_id, data=WarningRevision.model_validate(_form_data(form))
        )
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code in (403, 404, 409):
            raise
        errors, message = _errors(exc)
        editing = authoring.get_warning(db=db, actor=user, warning_id=warning_id)
        ctx = {**_form_context(db, values, errors, message), "editing": editing}
        return render(request, "warnings/form.html", ctx, status_code=422)
    return RedirectResponse(f"/warnings/{w.id}", status_code=303)



@router.post("/warnings/{warning_id}/update", response_class=HTMLResponse)
async def update_warning(request: Request, db: DbSession, user: PageUser, warning_id: int) -> Response:
    form = await request.form()
    changes: dict[str, Any] = {
        k: form.get(k) for k in ("level", "headline", "description", "instruction") if form.get(k)
    }
    if form.get("expires"):
        changes["expires"] = _parse_local(str(form.get("expires")))
    w = authoring.create_update(db=db, actor=user, warning_id=warning_id, data=WarningRevision.model_validate(changes))
    return RedirectResponse(f"/warnings/{w.id}", status_code=303)
