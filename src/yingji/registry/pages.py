from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from yingji.core.errors import DomainError
from yingji.core.i18n import validation_details
from yingji.core.pagination import PageParams, page_list
from yingji.geo import service as geo_service
from yingji.registry import service
from yingji.registry.enums import INDUSTRY_LABELS, STATUS_LABELS
from yingji.registry.schemas import EnterpriseCreate
from yingji.web.deps import DbSession, PageUser, in_scope
from yingji.web.shell import flags_of
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def _form_context(db: DbSession) -> dict:
    return {
        "industry_labels": INDUSTRY_LABELS,
        "status_labels": STATUS_LABELS,
        "townships": geo_service.region_infos(db=db, level="township"),
    }


@router.get("/registry/enterprises", response_class=HTMLResponse)
def enterprises_page(
    request: Request, db: DbSession, user: PageUser, page: int = 1, industry: str = "", region: str = "", q: str = ""
) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = service.list_enterprises(
        db=db, actor=user, page=paging, industry=industry or None, region_code=region or None, q=q or None
    )
    names = {r.path: r.name for r in geo_service.region_infos(db=db)}
    return render(
        request,
        "registry/enterprises.html",
        {
            **_form_context(db),
            "rows": rows,
            "total": total,
            "paging": paging,
            "region_names": names,
            "filters": {"industry": industry, "region": region, "q": q},
            "pages": paging.page_count(total),
        },
    )


@router.get("/registry/enterprises/new", response_class=HTMLResponse)
def new_enterprise_form(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return render(request, "registry/enterprise_form.html", {**_form_context(db), "values": {}, "errors": {}})


@router.post("/registry/enterprises/new", response_class=HTMLResponse)
async def create_enterprise(request: Request, db: DbSession, user: PageUser) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.items() if k != "csrf_token" and v != ""}
    values["remote_video"] = form.get("remote_video") == "on"
    try:
        data = EnterpriseCreate.model_validate(values)
        enterprise = service.create_enterprise(db=db, actor=user, data=data)
    except ValidationError as exc:
        errors = {d["field"]: d["message"] for d in validation_details(list(exc.errors()))}
        return render(
            request,
            "registry/enterprise_form.html",
            {**_form_context(db), "values": values, "errors": errors},
            status_code=422,
        )
    except DomainError as exc:
        errors = {d.field: d.message for d in exc.details} or {"": exc.message}
        return render(
            request,
            "registry/enterprise_form.html",
            {**_form_context(db), "values": values, "errors": errors, "message": exc.message},
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/registry/enterprises/{enterprise.id}", status_code=303)


@router.get("/registry/enterprises/{enterprise_id}", response_class=HTMLResponse)
def enterprise_page(
    request: Request,
    enterprise: Annotated[Any, in_scope(service.get_enterprise, "enterprise_id", page=True)],
    db: DbSession,
    user: PageUser,
) -> HTMLResponse:
    region = geo_service.region_info(db=db, region_id=enterprise.region_id)
    return render(request, "registry/enterprise.html", {**_form_context(db), "e": enterprise, "region": region,
                                                          "flags": flags_of(db, [enterprise.id])[enterprise.id]})


@router.get("/registry/departments", response_class=HTMLResponse)
def departments_page(request: Request, db: DbSession, user: PageUser, page: int = 1) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = page_list(service.list_departments(db=db, actor=user)[0], paging)
    return render(request, "registry/departments.html", {"rows": rows, "total": total, "paging": paging})


@router.get("/registry/people", response_class=HTMLResponse)
def people_page(request: Request, db: DbSession, user: PageUser, page: int = 1, q: str = "") -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = service.list_people(db=db, actor=user, page=paging, q=q or None)
    return render(
        request,
        "registry/people.html",
        {"rows": rows, "total": total, "paging": paging, "q": q, "pages": paging.page_count(total)},
    )
