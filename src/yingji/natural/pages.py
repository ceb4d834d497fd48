"""HTML pages of the natural capability: the registers by category with search and Excel import/export,
a point (its figures, 群测群防 people, patrols, sensors, cards), and the patrol form for the phone."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from yingji.core import files
from yingji.core.errors import DomainError
from yingji.core.i18n import validation_details
from yingji.core.pagination import PageParams
from yingji.natural import enums, kinds
from yingji.natural.schemas import PatrolCreate
from yingji.natural.service import census, evacuations, excel, figures, patrols, people, points, sensors
from yingji.natural.service.common import region_names
from yingji.web.deps import DbSession, PageUser
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def labels() -> dict[str, Any]:
    return {"kind": kinds.kind_labels(), "category": kinds.categories(), "status": enums.STATUS_LABELS,
            "stability": enums.STABILITY_LABELS, "scale": enums.SCALE_LABELS, "patrol": enums.PATROL_KIND_LABELS,
            "monitor": enums.MONITOR_KIND_LABELS,
            "grade": {"I": "特大型", "II": "大型", "III": "中型", "IV": "小型"}}


def errors_of(exc: Exception) -> tuple[str, dict[str, str]]:
    if isinstance(exc, ValidationError):
        details = validation_details(list(exc.errors()))
        return "输入有误，请更正标红的项目", {d["field"].split(".")[-1]: d["message"] for d in details}
    assert isinstance(exc, DomainError)
    return exc.message, {d.field: d.message for d in exc.details}


def _render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    return render(request, f"natural/{name}", {"labels": labels(), **ctx}, status_code=status)


def _register(request: Request, db: Any, user: Any, *, page: int = 1, category: str = "", q: str = "",
              monitored: str = "", status_filter: str = "", message: str = "",
              errors: list[dict[str, str]] | None = None, status: int = 200) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = points.list_points(db=db, actor=user, page=paging, category=category or None, q=q or None,
                                     monitored=monitored or None, status=status_filter or None)
    return _render(request, "points.html", {"rows": rows, "total": total, "paging": paging, "category": category,
                                            "q": q, "names": region_names(db), "message": message,
                                            "import_errors": errors or [], "can_write": user.can("natural.write")},
                   status)


@router.get("/natural", response_class=HTMLResponse)
def register_page(request: Request, db: DbSession, user: PageUser, page: int = 1, category: str = "",
                  q: str = "", monitored: str = "", status: str = "") -> HTMLResponse:
    return _register(request, db, user, page=page, category=category, q=q, monitored=monitored,
                     status_filter=status)


@router.get("/natural/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _render(request, "coverage.html", {"community": figures.community_coverage(db=db, actor=user),
                                              "forest": figures.fire_coverage(db=db, actor=user),
                                              "per_year": figures.treated_per_year(db=db, actor=user),
                                              "category": "coverage"})


def _census(request: Request, db: Any, user: Any, *, message: str = "", errors: list[dict[str, str]] | None = None,
            status: int = 200) -> HTMLResponse:
    from yingji.natural import census as census_data

    counts: dict[str, int] = {}
    for f in census.features(db=db, actor=user):
        counts[f.kind] = counts.get(f.kind, 0) + 1
    kinds_ = list(census_data.census_kinds().values())
    return _render(request, "census.html", {
        "census_kinds": kinds_, "layer_of": {k.key: census_data.layers()[k.layer] for k in kinds_},
        "kind_labels": {k.key: k.label for k in kinds_},
        "counts": counts, "imports": census.imports(db=db, actor=user)[0], "message": message,
        "import_errors": errors or [], "can_write": user.can("natural.write"), "category": "census"}, status)


@router.get("/natural/census", response_class=HTMLResponse)
def census_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    """The risk-census layers, their imports (with the CRS converted from), the import form and the zoning
    exports."""
    return _census(request, db, user)


@router.post("/natural/census", response_class=HTMLResponse)
async def census_import_page(request: Request, db: DbSession, user: PageUser) -> Response:
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    filename = upload.filename if isinstance(upload, UploadFile) else ""
    try:
        with db.begin_nested():
            done = census.import_census(db=db, actor=user, kind=str(form.get("kind") or ""), data=data,
                                        filename=filename or "", said_crs=str(form.get("crs") or "") or None)
    except DomainError as exc:
        rows = [{"field": d.field, "message": d.message} for d in exc.details]
        return _census(request, db, user, message=exc.message, errors=rows, status=getattr(exc, "status_code", 422))
    return _census(request, db, user, message=f"已导入 {done['imported']} 个要素（原坐标系 {done['source_crs']}，"
                                              f"已换算为 WGS84；替换此前 {done['replaced']} 个）")


@router.post("/natural/import", response_class=HTMLResponse)
async def import_page(request: Request, db: DbSession, user: PageUser) -> Response:
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    try:
        with db.begin_nested():
            n = excel.import_points(db=db, actor=user, data=data)
    except DomainError as exc:
        rows = [{"field": d.field, "message": d.message} for d in exc.details]
        return _register(request, db, user, message=exc.message, errors=rows,
                         status=getattr(exc, "status_code", 422))
    return _register(request, db, user, message=f"已导入 {n} 个隐患点")


@router.get("/natural/points/{point_id}", response_class=HTMLResponse)
def point_page(request: Request, db: DbSession, user: PageUser, point_id: int) -> HTMLResponse:
    p = points.read_point(db=db, actor=user, point_id=point_id)
    kind = kinds.kinds()[p.kind]
    return _render(request, "point.html", {
        "p": p, "kind": kind, "names": region_names(db),
        "monitors": people.monitors(db=db, actor=user, point_id=p.id),
        "households": people.households(db=db, actor=user, point_id=p.id),
        "patrols": patrols.list_patrols(db=db, actor=user, point_id=p.id)[:30],
        "sensors": sensors.point_sensors(db=db, actor=user, point_id=p.id),
        "evacuations": evacuations.list_evacuations(db=db, actor=user, point_id=p.id)[:20],
        "can_patrol": user.can("natural.patrol"),
    })


def _patrol_form(request: Request, db: Any, user: Any, point_id: int, *, values: dict[str, str] | None = None,
                 message: str = "", errors: dict[str, str] | None = None, status: int = 200) -> HTMLResponse:
    p = points.read_point(db=db, actor=user, point_id=point_id)
    return _render(request, "patrol.html", {"p": p, "values": values or {}, "message": message,
                                            "errors": errors or {}}, status)


@router.get("/natural/points/{point_id}/patrol", response_class=HTMLResponse)
def patrol_page(request: Request, db: DbSession, user: PageUser, point_id: int) -> HTMLResponse:
    return _patrol_form(request, db, user, point_id)


@router.post("/natural/points/{point_id}/patrol", response_class=HTMLResponse)
async def record_patrol(request: Request, db: DbSession, user: PageUser, point_id: int) -> Response:
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
            data = PatrolCreate(kind=v.get("kind") or "in_rain", findings=v.get("findings", ""),
                                danger_found=v.get("danger_found") == "1", photo_ids=photos)
            patrols.record_patrol(db=db, actor=user, point_id=point_id, data=data)
    except (ValidationError, DomainError) as exc:
        status = getattr(exc, "status_code", 422)
        if status in (403, 404):
            raise
        message, errors = errors_of(exc)
        return _patrol_form(request, db, user, point_id, values=v, message=message, errors=errors, status=422)
    return RedirectResponse(f"/natural/points/{point_id}", status_code=303)
