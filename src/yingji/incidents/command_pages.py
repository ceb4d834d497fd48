"""The command workspace page (/incidents/{id}): the incident's record, the map with the incident, its drawn
affected area and the 一张图 layers around it (teams, warehouses, shelters, sensors, alarms), the response
level, tasks, dispatch (nearest teams, materials, shelters and evacuees), orders with their status, numbered
sitreps and the timeline — live for every officer who has it open (``static/js/incident-workspace.js``
listens to the incident's event stream). A form sent on a stale version comes back with the conflict
message and with what was typed. The receiver's status link (/orders/{token}) is a phone page, no log-in."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from yingji.core.clock import LOCAL_TZ
from yingji.core.errors import DomainError, invalid
from yingji.incidents import service
from yingji.incidents.service import command, dispatch, order_status
from yingji.incidents.service.common import LABELS, SOURCES, STATUS_LABELS
from yingji.web.deps import DbSession, MaybePageUser, PageUser, check_anonymous_csrf
from yingji.web.shell import SHELL, shown
from yingji.web.templating import render, render_anonymous_form

router = APIRouter(include_in_schema=False)
# Where a form's section sits on the page, so that the answer scrolls back to it.
ANCHORS = {"response": "response", "area": "map-section", "message": "timeline-section", "task": "tasks",
           "task-status": "tasks", "sitrep": "sitreps", "order-team": "dispatch", "order-material": "dispatch",
           "order-shelter": "dispatch", "order-status": "orders", "evacuees": "orders"}


def _labels() -> dict[str, Any]:
    kinds = service.kinds()
    return {"kind_labels": {k.code: k.label for k in kinds}, "source_labels": SOURCES, "status_labels": STATUS_LABELS,
            "count_labels": LABELS,"level_labels": command.LEVEL_LABELS, "response_actions": command.RESPONSE_ACTIONS,
            "task_statuses": command.TASK_STATUSES, "assignee_kinds": command.ASSIGNEE_KINDS,
            "order_labels": order_status.LABELS, "order_actions": order_status.ACTION_LABELS,
            "order_kinds": dispatch.KIND_LABELS, "next_steps": order_status.next_steps}


def context(request: Request, db, user, incident_id: int) -> tuple[str, dict[str, Any]]:
    """The template and its data: the workspace for those who command, the record for the others (an
    information officer or an enterprise manager sees its own report, not the command)."""
    if not user.can(command.READ):
        d = service.detail(db=db, actor=user, incident_id=incident_id)
        return "incidents/detail.html", {**d, "i": d["incident"]}
    w = service.workspace(db=db, actor=user, incident_id=incident_id)
    incident = w["incident"]
    can_command = user.can(command.WRITE) and incident.status == "open"
    state = w["command"]
    page_data = {
        "incident_id": incident.id, "title": incident.title, "lon": incident.lon, "lat": incident.lat,
        "area": state.area if state else None, "last_id": w["last_entry_id"], "can_command": can_command,
        "stream": f"/api/v1/incidents/{incident.id}/stream",
        "timeline": f"/api/v1/incidents/{incident.id}/timeline",
    }
    return "incidents/workspace.html", {
        **w, "i": incident, "can_command": can_command, "evacuees": dispatch.evacuees(db, incident.id),
        "page_data": page_data, "layers": shown(request, db, user, SHELL.map_layers()),
    }


def dispatch_context(db, user, incident_id: int) -> dict[str, Any]:
    """The dispatch panel's offers: the nearest available teams and shelters by travel time, the stock."""
    candidates, choices, error = [], {}, ""
    try:
        with db.begin_nested():
            candidates = service.team_candidates(db=db, actor=user, incident_id=incident_id, k=6)
            choices = dispatch.choices(db=db, actor=user, incident_id=incident_id)
    except DomainError as exc:  # no place to route from: the panel says why
        error = exc.message
    return {"candidates": candidates, "choices": choices, "candidate_error": error}


# Further sections of the incident page, each ``(db, user, incident) -> template data``: the impact
# estimate and the 灾情报告 (``pages.report_context``) register here, so every re-render shows them.
SECTIONS: list[Callable[[Any, Any, Any], dict[str, Any]]] = []


def render_workspace(request: Request, db, user, incident_id: int, *, message: str = "", errors=None,
                     values=None, status: int = 200, form: str = "", link: str = "", labels=None) -> HTMLResponse:
    name, data = context(request, db, user, incident_id)
    for section in SECTIONS:
        data.update(section(db, user, data["i"]))
    if form.startswith("order-") and data.get("can_command"):  # the panel comes back with the error inline
        data.update(dispatch_context(db, user, incident_id), dispatch_inline=True)
    return render(request, name, {
        **_labels(), **(labels or {}), **data, "message": message, "errors": errors or {}, "values": values or {},
        "form": form, "link": link, "can_manage": user.can("incidents.manage"),
    }, status_code=status)


def _int(v: dict[str, str], field: str) -> int:
    value = (v.get(field) or "").strip()
    if not value.isdigit():
        raise invalid(field, "须为正整数")
    return int(value)


def _local(value: str, field: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=LOCAL_TZ).astimezone(UTC)
    except ValueError:
        raise invalid(field, "时间格式应为 2026-06-01T10:30") from None


def _act(db, user, incident_id: int, action: str, v: dict[str, str]) -> str:
    """Runs one form's use case; returns the status link to show when an order was sent."""
    if action == "response":
        service.set_response(db=db, actor=user, incident_id=incident_id, action=v.get("action", ""),
                             level=v.get("level", ""), decided_by=v.get("decided_by", ""),
                             reason=v.get("reason", ""), version=_int(v, "version"))
    elif action == "area":
        try:
            area = json.loads(v["area"]) if v.get("area", "").strip() else None
        except ValueError:
            raise invalid("area", "影响范围数据无效，请重新绘制") from None
        service.set_area(db=db, actor=user, incident_id=incident_id, area=area, note_text=v.get("note", ""),
                         version=_int(v, "version"))
    elif action == "message":
        service.add_message(db=db, actor=user, incident_id=incident_id, text=v.get("text", ""))
    elif action == "task":
        service.create_task(db=db, actor=user, incident_id=incident_id, title=v.get("title", ""),
                            assignee_kind=v.get("assignee_kind", ""), assignee=v.get("assignee", ""),
                            due_at=_local(v.get("due_at", ""), "due_at"), detail=v.get("detail", ""))
    elif action == "task-status":
        service.update_task(db=db, actor=user, task_id=_int(v, "task_id"), status=v.get("status", ""),
                            version=_int(v, "version"), note_text=v.get("note", ""))
    elif action == "sitrep":
        service.issue_sitrep(db=db, actor=user, incident_id=incident_id, title=v.get("title", ""),
                             body=v.get("body", ""))
    elif action == "order-team":
        _, token = service.dispatch_team(db=db, actor=user, incident_id=incident_id, team_id=_int(v, "team_id"),
                                         instructions=v.get("instructions", ""))
        return dispatch.status_link(token)
    elif action == "order-material":
        line = {"material_id": _int(v, "material_id"), "quantity": v.get("quantity", "")}
        _, token = service.request_materials(db=db, actor=user, incident_id=incident_id,
                                             warehouse_id=_int(v, "warehouse_id"), lines=[line],
                                             instructions=v.get("instructions", ""))
        return dispatch.status_link(token)
    elif action == "order-shelter":
        _, token = service.open_shelter(db=db, actor=user, incident_id=incident_id, shelter_id=_int(v, "shelter_id"),
                                        instructions=v.get("instructions", ""))
        return dispatch.status_link(token)
    elif action == "order-status":
        order = service.get_order(db=db, actor=user, order_id=_int(v, "order_id"))
        if order.incident_id != incident_id:
            raise invalid("order_id", "指令不属于本事件")
        service.advance(db=db, actor=user, order_id=order.id, to=v.get("to", ""), version=_int(v, "version"),
                        note_text=v.get("note", ""), return_materials=v.get("return_materials", "1") == "1")
    elif action == "evacuees":
        service.register_evacuees(db=db, actor=user, order_id=_int(v, "order_id"), people=_int(v, "people"),
                                  name=v.get("name", ""), origin=v.get("origin", ""),
                                  over_capacity_reason=v.get("over_capacity_reason", ""))
    else:
        raise invalid("action", "未知操作")
    return ""


@router.post("/incidents/{incident_id}/command/{action}", response_class=HTMLResponse)
async def command_action(request: Request, db: DbSession, user: PageUser, incident_id: int, action: str) -> Response:
    form = await request.form()
    v = {k: x for k, x in form.items() if k != "csrf_token" and isinstance(x, str)}
    try:
        with db.begin_nested():
            link = _act(db, user, incident_id, action, v)
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, ValidationError):
            exc = invalid("form", "输入有误")
        errors = {d.field: d.message for d in exc.details}
        return render_workspace(request, db, user, incident_id, message=exc.message, errors=errors, values=v,
                                status=exc.status_code, form=action)
    if link:
        full = str(request.base_url).rstrip("/") + link
        return render_workspace(request, db, user, incident_id, message="指令已下达", link=full, status=201)
    return RedirectResponse(f"/incidents/{incident_id}#{ANCHORS.get(action, '')}", status_code=303)


@router.get("/incidents/{incident_id}/dispatch-panel", response_class=HTMLResponse)
def dispatch_panel(request: Request, db: DbSession, user: PageUser, incident_id: int) -> HTMLResponse:
    incident = command.load_for_writing(db, user, incident_id)
    return render(request, "incidents/_dispatch.html", {
        **dispatch_context(db, user, incident_id), "i": incident, "errors": {}, "values": {}, "form": "",
    })


# --- the receiver's status link -------------------------------------------------------------------------


def _link_page(request: Request, db, token: str, *, message: str = "", saved: bool = False,
               status: int = 200) -> HTMLResponse:
    order = service.order_by_token(db=db, token=token)
    return render_anonymous_form(request, "incidents/order_link.html", {
        "o": order, "incident_title": dispatch.incident_title(db, order.incident_id), "message": message,
        "saved": saved, "order_labels": order_status.LABELS, "order_actions": order_status.ACTION_LABELS,
        "order_kinds": dispatch.KIND_LABELS,
        "steps": [s for s in order_status.next_steps(order.status) if s in order_status.RECEIVER_STEPS],
    }, status_code=status)


@router.get("/orders/{token}", response_class=HTMLResponse)
def order_link(request: Request, db: DbSession, user: MaybePageUser, token: str) -> HTMLResponse:
    return _link_page(request, db, token)


@router.post("/orders/{token}", response_class=HTMLResponse)
def order_link_step(request: Request, db: DbSession, token: str, to: str = Form(""), by: str = Form(""),
                    note: str = Form(""), csrf_token: str = Form("")) -> HTMLResponse:
    check_anonymous_csrf(request, csrf_token)
    try:
        with db.begin_nested():
            service.advance_by_token(db=db, token=token, to=to, by=by, note_text=note)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return _link_page(request, db, token, message=exc.message, status=exc.status_code)
    return _link_page(request, db, token, saved=True)
