"""Pages of training and qualification: the rates with their targets and the people behind them, expiring
certificates, and the forms for people, courses with their attendance, and certificates."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from yingji.core.actor import Actor
from yingji.core.pagination import PageParams
from yingji.plans.pages.common import FormState, day, listed, opt, post_form, render_page
from yingji.plans.schemas import CertificateCreate, CourseCreate, TraineeCreate
from yingji.plans.service import training
from yingji.web.deps import DbSession, PageUser

router = APIRouter(include_in_schema=False)


def training_page_response(request: Request, db: Session, user: Actor, form: FormState | None = None,
                           status: int = 200) -> HTMLResponse:
    people, _ = training.list_trainees(db=db, actor=user, page=PageParams(page_size=500))
    return render_page(request, "training.html", {
        "rates": training.rates(db=db, actor=user),
        "expiring": training.expiring_certificates(db=db, actor=user)[:50],
        "people": people,
    }, form=form, status=status)


@router.get("/plans/training", response_class=HTMLResponse)
def training_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return training_page_response(request, db, user)


def _tristate(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


async def _post(request: Request, db: Session, user: Actor, name: str, make) -> Response:
    async def action(v: dict[str, Any], _form: FormData) -> str:
        make(v)
        return "/plans/training#" + name

    return await post_form(request, db, name, action, lambda f, s: training_page_response(request, db, user, f, s))


@router.post("/plans/training/trainees", response_class=HTMLResponse)
async def add_trainee(request: Request, db: DbSession, user: PageUser) -> Response:
    return await _post(request, db, user, "trainee", lambda v: training.create_trainee(
        db=db, actor=user, data=TraineeCreate(
        name=v.get("name", ""), category=opt(v.get("category")), training_role=opt(v.get("training_role")),
        specialised=_tristate(v.get("specialised")), started_on=day(v.get("started_on"), "started_on"),
        organisation=v.get("organisation", ""), phone=opt(v.get("phone")))))


@router.post("/plans/training/courses", response_class=HTMLResponse)
async def add_course(request: Request, db: DbSession, user: PageUser) -> Response:
    return await _post(request, db, user, "course", lambda v: training.create_course(
        db=db, actor=user, data=CourseCreate(
        title=v.get("title", ""), kind=v.get("kind", ""), hours=opt(v.get("hours")),
        held_on=day(v.get("held_on"), "held_on"), organiser=v.get("organiser", ""),
        attendees=[int(i) for i in listed(v.get("attendees")) if str(i).isdigit()])))


@router.post("/plans/training/certificates", response_class=HTMLResponse)
async def add_certificate(request: Request, db: DbSession, user: PageUser) -> Response:
    return await _post(request, db, user, "certificate", lambda v: training.add_certificate(
        db=db, actor=user, data=CertificateCreate(
            trainee_id=opt(v.get("trainee_id")), kind=v.get("kind", ""), number=v.get("number", ""),
            issued_on=day(v.get("issued_on"), "issued_on"), expires_on=day(v.get("expires_on"), "expires_on"),
            last_review_on=day(v.get("last_review_on"), "last_review_on"),
            clean_years=opt(v.get("clean_years")) or 0)))
