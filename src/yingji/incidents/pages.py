"""Pages of incidents and the duty room: the incident list, a phone-friendly report form (place by map tap,
by a village or address, or by the phone's position), an incident page (timeline, casualty history, grade
history, obligations red when late), and the duty page (who is on duty now, open items, the roster)."""

from __future__ import annotations

import calendar as month_calendar
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from yingji.core import files
from yingji.core.actor import require
from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.core.errors import DomainError, invalid
from yingji.core.i18n import validation_details
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.incidents import command_pages, disaster_reports, drill_pages, service
from yingji.incidents.report_schemas import DisasterReportCreate
from yingji.incidents.schemas import CasualtyUpdate, IncidentCreate
from yingji.incidents.service import disaster as disaster_service
from yingji.incidents.service import impact as impact_service
from yingji.incidents.service.common import LABELS, SOURCES, STATUS_LABELS
from yingji.incidents.service.duty import ROLE_LABELS
from yingji.web.deps import DbSession, PageUser
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(command_pages.router)  # the command workspace's forms and the receivers' status links
router.include_router(drill_pages.router)  # drill runs (情景构建 / 桌面推演)
PAGE_SIZE = 50


def errors_of(exc: Exception) -> tuple[str, dict[str, str]]:
    if isinstance(exc, ValidationError):
        details = validation_details(list(exc.errors()))
        return "输入有误，请更正标红的项目", {d["field"].split(".")[-1]: d["message"] for d in details}
    assert isinstance(exc, DomainError)
    return exc.message, {d.field: d.message for d in exc.details}


def local_time(value: str, field: str) -> datetime | None:
    """A datetime-local form value, read as Beijing time."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=LOCAL_TZ)
    except ValueError:
        raise invalid(field, "时间格式应为 2026-06-01T10:30") from None


def labels() -> dict:
    kinds = service.kinds()
    return {"kind_labels": {k.code: k.label for k in kinds}, "kinds": kinds, "source_labels": SOURCES,
            "status_labels": STATUS_LABELS, "count_labels": LABELS, "role_labels": ROLE_LABELS}


@router.get("/incidents", response_class=HTMLResponse)
def incidents_page(request: Request, db: DbSession, user: PageUser, page: int = 1, status: str = "",
                   kind: str = "") -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = service.list_incidents(db=db, actor=user, page=paging, status=status or None, kind=kind or None)
    return render(request, "incidents/list.html", {**labels(), "rows": rows, "total": total, "paging": paging,
                                                   "filters": {"status": status, "kind": kind}})


def _form(request, db, user, *, values=None, errors=None, message="", status=200, proposal_id=None):
    villages = geo_service.region_infos(db=db, level="village")
    townships = geo_service.region_infos(db=db, level="township")
    now = utcnow().astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")
    return render(request, "incidents/form.html", {
        **labels(), "values": values or {"occurred_at": now}, "errors": errors or {}, "message": message,
        "villages": villages, "townships": townships, "proposal_id": proposal_id,
    }, status_code=status)


@router.get("/incidents/new", response_class=HTMLResponse)
def new_incident(request: Request, db: DbSession, user: PageUser, proposal: int | None = None,
                 alarm: int | None = None) -> HTMLResponse:
    """The report form; from an alarm's page (``alarm``) or a proposal it fills in the proposal to accept."""
    require(user, "incidents.report")
    if alarm is not None and proposal is None:
        found = service.pending_for_alarm(db, alarm)
        proposal = found.id if found else None
    return _form(request, db, user, proposal_id=proposal)


def _count(value: str, field: str) -> int:
    value = value.strip()
    if value and not value.isdigit():
        raise invalid(field, "须为非负整数")
    return int(value or 0)


def _number(value: str, field: str) -> Decimal:
    try:
        return Decimal(value or "0")
    except InvalidOperation:
        raise invalid(field, "须为数字") from None


@router.post("/incidents/new", response_class=HTMLResponse)
async def create_incident(request: Request, db: DbSession, user: PageUser) -> Response:
    form = await request.form()
    v = {k: x for k, x in form.items() if k != "csrf_token" and isinstance(x, str)}
    try:
        with db.begin_nested():
            photos = []
            for item in form.getlist("photo"):
                if isinstance(item, UploadFile) and item.filename:
                    data = await item.read()
                    if data:
                        photos.append(files.store(db, data=data, filename=item.filename, field="photo",
                                                  uploaded_by=user.id).id)
            data = IncidentCreate(
                kind=v.get("kind", ""), title=v.get("title", ""), occurred_at=local_time(v.get("occurred_at", ""),
                                                                                          "occurred_at"),
                lon=v.get("lon") or None, lat=v.get("lat") or None, region_code=v.get("region_code") or None,
                address=v.get("address", ""), source=v.get("source") or None, reporter_name=v.get("reporter_name", ""),
                reporter_phone=v.get("reporter_phone", ""), description=v.get("description", ""),
                direct_loss_yuan=_number(v.get("direct_loss_yuan", ""), "direct_loss_yuan"), attachment_ids=photos,
                drill=v.get("drill") == "1", **{f: _count(v.get(f, ""), f) for f in LABELS},
            )
            if v.get("proposal_id"):
                incident = service.accept(db=db, actor=user, proposal_id=int(v["proposal_id"]), data=data)
            else:
                incident = service.report_incident(db=db, actor=user, data=data)
    except (ValidationError, DomainError, ValueError) as exc:
        if isinstance(exc, ValueError) and not isinstance(exc, ValidationError):
            exc = invalid("proposal_id", "告警建议编号无效")
        message, errors = errors_of(exc)
        return _form(request, db, user, values=v, errors=errors, message=message, status=422,
                     proposal_id=v.get("proposal_id"))
    return RedirectResponse(f"/incidents/{incident.id}", status_code=303)


def _detail(request, db, user, incident_id: int, *, message="", errors=None, values=None, status=200):
    """The incident's page is its command workspace (``command_pages``): the record, and for those who
    command, the map, response, tasks, dispatch, orders and sitreps."""
    return command_pages.render_workspace(request, db, user, incident_id, message=message, errors=errors,
                                          values=values, status=status, labels=labels())


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, db: DbSession, user: PageUser, incident_id: int) -> HTMLResponse:
    return _detail(request, db, user, incident_id)


@router.post("/incidents/{incident_id}/casualties", response_class=HTMLResponse)
async def change_casualties(request: Request, db: DbSession, user: PageUser, incident_id: int) -> Response:
    form = await request.form()
    v = {k: x for k, x in form.items() if k != "csrf_token" and isinstance(x, str)}
    try:
        with db.begin_nested():
            data = CasualtyUpdate(version=_count(v.get("version", ""), "version"), source=v.get("source", ""),
                                  note=v.get("note", ""),
                                  **{f: _count(v[f], f) if v.get(f, "").strip() else None for f in LABELS})
            service.change_casualties(db=db, actor=user, incident_id=incident_id, data=data)
    except (ValidationError, DomainError, ValueError) as exc:
        if not isinstance(exc, ValidationError | DomainError):
            exc = invalid("deaths", "人数须为整数")
        message, errors = errors_of(exc)
        status = getattr(exc, "status_code", 422)
        return _detail(request, db, user, incident_id, message=message, errors=errors, values=v,
                       status=409 if status == 409 else 422)
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


@router.post("/incidents/{incident_id}/merge", response_class=HTMLResponse)
async def merge(request: Request, db: DbSession, user: PageUser, incident_id: int) -> Response:
    form = await request.form()
    try:
        with db.begin_nested():
            dup = str(form.get("duplicate_id") or "")
            if not dup.isdigit():
                raise invalid("duplicate_id", "请填写重复事件的编号")
            service.merge(db=db, actor=user, incident_id=incident_id, duplicate_id=int(dup),
                          version=int(str(form.get("version") or 0)))
    except DomainError as exc:
        message, errors = errors_of(exc)
        return _detail(request, db, user, incident_id, message=message, errors=errors, status=exc.status_code)
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


@router.post("/incidents/{incident_id}/obligations/{obligation_id}", response_class=HTMLResponse)
async def fulfil(request: Request, db: DbSession, user: PageUser, incident_id: int, obligation_id: int) -> Response:
    try:
        with db.begin_nested():
            service.fulfil(db=db, actor=user, obligation_id=obligation_id)
    except DomainError as exc:
        message, errors = errors_of(exc)
        return _detail(request, db, user, incident_id, message=message, errors=errors, status=exc.status_code)
    return RedirectResponse(f"/incidents/{incident_id}#obligations", status_code=303)


# --- duty room ----------------------------------------------------------------------------------------


def month_grid(first: date) -> list[list[date | None]]:
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[d if d.month == first.month else None for d in week] for week in weeks]


def _duty(request, db, user, *, message="", errors=None, status=200, month: str = ""):
    require(user, "incidents.duty.read")
    shift = service.on_duty_now(db)
    try:
        first = date.fromisoformat(month + "-01") if month else shift.day.replace(day=1)
    except ValueError:
        first = shift.day.replace(day=1)
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    by_day: dict[date, list] = {}
    for a in service.roster(db=db, actor=user, start=first, end=last):
        by_day.setdefault(a.day, []).append(a)
    proposals = []
    if user.can("incidents.manage"):
        proposals, _ = service.list_proposals(db=db, actor=user, page=PageParams(page=1, page_size=20))
    return render(request, "incidents/duty.html", {
        **labels(), "shift": shift, "items": service.open_items(db), "counts": service.open_counts(db),
        "handovers": service.handovers(db=db, actor=user, limit=5), "weeks": month_grid(first), "by_day": by_day,
        "first": first, "prev": (first - timedelta(days=1)).strftime("%Y-%m"),
        "next": (last + timedelta(days=1)).strftime("%Y-%m"), "proposals": proposals,
        "can_manage": user.can("incidents.duty.manage"), "message": message, "errors": errors or {},
        "today": utcnow().astimezone(UTC).astimezone(LOCAL_TZ).date(),
    }, status_code=status)


@router.get("/duty", response_class=HTMLResponse)
def duty_page(request: Request, db: DbSession, user: PageUser, month: str = "") -> HTMLResponse:
    return _duty(request, db, user, month=month)


@router.post("/duty/{action}", response_class=HTMLResponse)
async def duty_action(request: Request, db: DbSession, user: PageUser, action: str) -> Response:
    form = await request.form()
    try:
        with db.begin_nested():
            if action == "handover":
                close_ids = [int(x) for x in form.getlist("close_ids") if str(x).isdigit()]
                new_items = [line for line in str(form.get("new_items") or "").splitlines() if line.strip()]
                service.hand_over(db=db, actor=user, to_name=str(form.get("to_name") or ""),
                                  note=str(form.get("note") or ""), close_ids=close_ids, new_items=new_items)
            elif action == "items":
                service.add_item(db=db, actor=user, text=str(form.get("text") or ""))
            elif action == "import":
                upload = form.get("file")
                if not isinstance(upload, UploadFile) or not upload.filename:
                    raise invalid("file", "请选择值班表 Excel 文件")
                service.import_roster(db=db, actor=user, data=await upload.read())
            elif action == "dismiss":
                service.dismiss(db=db, actor=user, proposal_id=int(str(form.get("proposal_id") or 0)))
            else:
                raise invalid("action", "未知操作")
    except DomainError as exc:
        message, errors = errors_of(exc)
        return _duty(request, db, user, message=message, errors=errors, status=exc.status_code)
    return RedirectResponse("/duty", status_code=303)


# --- impact estimate, disaster reports (灾情报送), closing and the after-action report -----------------------


def report_context(db, user, incident) -> dict:
    """What the incident page's report part shows: the impact of the drawn area, the 灾情报告 with a form
    pre-filled from the last one, the report downloads."""
    area = impact_service.affected_area(db, incident.id)
    impact, impact_error = None, ""
    if area is not None and user.can("incidents.estimate"):
        try:
            with db.begin_nested():
                impact = impact_service.incident_impact(db=db, actor=user, incident_id=incident.id)
        except DomainError as exc:
            impact_error = exc.message
    rows = disaster_service.reports(db, incident.id)
    return {
        "affected": area, "impact": impact, "impact_error": impact_error, "disaster_reports": rows,
        "disaster_kinds": disaster_service.KIND_LABELS, "indicators": disaster_reports.INDICATORS,
        "townships": geo_service.region_infos(db=db, level="township") if incident.scheme == "natural" else [],
        "last_figures": rows[-1].figures if rows else {}, "last_reasons": rows[-1].reasons if rows else {},
    }


def _form_values(form) -> dict[str, str]:
    return {k: x for k, x in form.items() if k != "csrf_token" and isinstance(x, str)}


def _back(incident_id: int, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/incidents/{incident_id}#{anchor}", status_code=303)


@router.post("/incidents/{incident_id}/affected-area", response_class=HTMLResponse)
async def set_affected_area(request: Request, db: DbSession, user: PageUser, incident_id: int) -> Response:
    """The affected area as GeoJSON pasted or drawn by the map tool into the form's text field."""
    v = _form_values(await request.form())
    try:
        with db.begin_nested():
            try:
                geometry = json.loads(v.get("area", ""))
            except ValueError:
                raise invalid("area", "须为 GeoJSON（Polygon 或 MultiPolygon）") from None
            impact_service.set_affected_area(db=db, actor=user, incident_id=incident_id, geometry=geometry)
    except DomainError as exc:
        message, errors = errors_of(exc)
        return _detail(request, db, user, incident_id, message=message, errors=errors, values=v,
                       status=exc.status_code)
    return _back(incident_id, "impact")


def _figures_from_form(v: dict[str, str]) -> tuple[dict, dict]:
    """Form fields ``f.<area>.<indicator>`` and ``r.<area>.<indicator>`` (reasons); empty cells left out."""
    figures: dict[str, dict[str, Decimal]] = {}
    reasons: dict[str, str] = {}
    for key, value in v.items():
        kind, _, rest = key.partition(".")
        area, _, indicator = rest.partition(".")
        if not value.strip() or not indicator:
            continue
        if kind == "f":
            try:
                figures.setdefault(area, {})[indicator] = Decimal(value.strip())
            except InvalidOperation:
                raise invalid(f"figures.{area}.{indicator}", "须为数字") from None
        elif kind == "r":
            reasons[f"{area}.{indicator}"] = value
    return figures, reasons


@router.post("/incidents/{incident_id}/disaster-reports", response_class=HTMLResponse)
async def submit_disaster_report(request: Request, db: DbSession, user: PageUser, incident_id: int) -> Response:
    v = _form_values(await request.form())
    try:
        with db.begin_nested():
            figures, reasons = _figures_from_form(v)
            data = DisasterReportCreate(kind=v.get("kind", ""), as_of=local_time(v.get("as_of", ""), "as_of"),
                                        figures=figures, reasons=reasons, note=v.get("note", ""))
            disaster_service.submit(db=db, actor=user, incident_id=incident_id, data=data)
    except (ValidationError, DomainError) as exc:
        message, errors = errors_of(exc)
        if isinstance(exc, DomainError):  # the whole field names, for the table's cells
            errors = {d.field: d.message for d in exc.details}
        return _detail(request, db, user, incident_id, message=message, errors=errors, values=v,
                       status=getattr(exc, "status_code", 422))
    return _back(incident_id, "disaster-reports")


@router.post("/incidents/{incident_id}/stabilised", response_class=HTMLResponse)
async def declare_stabilised(request: Request, db: DbSession, user: PageUser, incident_id: int) -> Response:
    v = _form_values(await request.form())
    try:
        with db.begin_nested():
            disaster_service.declare_stabilised(db=db, actor=user, incident_id=incident_id,
                                                version=_count(v.get("version", ""), "version"))
    except DomainError as exc:
        message, errors = errors_of(exc)
        return _detail(request, db, user, incident_id, message=message, errors=errors, status=exc.status_code)
    return _back(incident_id, "disaster-reports")


@router.post("/incidents/{incident_id}/close", response_class=HTMLResponse)
async def close_incident(request: Request, db: DbSession, user: PageUser, incident_id: int) -> Response:
    """处置结束 with a summary; the after-action report is then downloadable as .docx and PDF."""
    v = _form_values(await request.form())
    try:
        with db.begin_nested():
            summary = v.get("summary", "").strip()
            if not summary:
                raise invalid("summary", "请填写处置总结")
            service.close(db=db, actor=user, incident_id=incident_id, version=_count(v.get("version", ""), "version"),
                          summary=summary)
    except DomainError as exc:
        message, errors = errors_of(exc)
        return _detail(request, db, user, incident_id, message=message, errors=errors, values=v,
                       status=exc.status_code)
    return _back(incident_id, "after-action")


command_pages.SECTIONS.append(report_context)
