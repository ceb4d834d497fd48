"""The working-day calendar of the legal clock: a settings page for the bureau and a small JSON API.

Everyone signed in may read the calendar and compute a deadline; entering days and confirming a year
needs ``calendar.manage`` (administrators).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from yingji.core import workdays
from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.core.deadlines import UNIT_LABELS, DeadlineRule, Unit, compute
from yingji.core.errors import DomainError, invalid
from yingji.core.pagination import Page, PageParams
from yingji.web.deps import ApiUser, DbSession, PageUser, Paging
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/calendar", tags=["calendar"])


class DayRead(BaseModel):
    day: date
    working: bool
    name: str
    source: Literal["bureau", "library", "assumed"]


class DayWrite(BaseModel):
    working: bool
    name: str = Field("", max_length=40)
    note: str = Field("", max_length=200)


class YearRead(BaseModel):
    year: int
    source: Literal["library", "bureau", "missing"]
    complete: bool
    note: str


class YearConfirm(BaseModel):
    source: str = Field(min_length=1, max_length=200)


class DeadlineRequest(BaseModel):
    start: datetime = Field(description="起算时间（带时区）")
    amount: int = Field(ge=0, le=3650)
    unit: Unit
    direction: Literal["after", "before"] = "after"
    roll: bool = True


class DeadlineRead(BaseModel):
    due_at: datetime
    last_day: date | None
    provisional: bool
    assumed_years: list[int]
    explanation: str


def _year_read(status: workdays.YearStatus) -> YearRead:
    return YearRead(year=status.year, source=status.source, complete=status.complete, note=status.note)




def _page_of(items: list, paging: PageParams) -> Page:
    return Page(
        items=items[paging.offset : paging.offset + paging.page_size],
        total=len(items),
        page=paging.page,
        page_size=paging.page_size,
    )


@api_router.get("/years", response_model=Page[YearRead])
def api_years(db: DbSession, user: ApiUser, paging: Paging) -> Page[YearRead]:
    """This year and the next: whether their holidays and make-up working days are known."""
    calendar = workdays.load_calendar(db)
    today = utcnow().astimezone(LOCAL_TZ).date()
    return Page.sliced([_year_read(calendar.year_status(y)) for y in workdays.years_to_check(today)], paging)


# The years the calendar keeps, stated in the OpenAPI so a client (and the fuzzer) knows them beforehand.
CalendarYear = Annotated[int, Query(ge=workdays.MIN_YEAR, le=workdays.MAX_YEAR)]
Month = Annotated[int, Query(ge=1, le=12)]
PathYear = Annotated[int, Path(ge=workdays.MIN_YEAR, le=workdays.MAX_YEAR)]


@api_router.get("/days", response_model=Page[DayRead])
def api_month(db: DbSession, user: ApiUser, year: CalendarYear, month: Month, paging: Paging) -> Page[DayRead]:
    """The days of one month (31 at most: one page at the default page size)."""
    return Page.sliced([DayRead(**vars(d)) for d in workdays.month_days(db=db, year=year, month=month)], paging)


@api_router.put("/days/{day}", response_model=DayRead)
def api_set_day(day: date, body: DayWrite, db: DbSession, user: ApiUser) -> DayRead:
    workdays.set_day(db=db, actor=user, day=day, working=body.working, name=body.name, note=body.note)
    return DayRead(**vars(workdays.load_calendar(db).day(day)))


@api_router.delete("/days/{day}", status_code=204)
def api_clear_day(day: date, db: DbSession, user: ApiUser) -> Response:
    workdays.clear_day(db=db, actor=user, day=day)
    return Response(status_code=204)


@api_router.put("/years/{year}", response_model=YearRead)
def api_confirm_year(year: PathYear, body: YearConfirm, db: DbSession, user: ApiUser) -> YearRead:
    workdays.confirm_year(db=db, actor=user, year=year, source=body.source)
    return _year_read(workdays.load_calendar(db).year_status(year))


@api_router.post("/deadline", response_model=DeadlineRead)
def api_deadline(body: DeadlineRequest, db: DbSession, user: ApiUser) -> DeadlineRead:
    """Computes a deadline with the platform's legal clock (the same function every capability uses)."""
    if body.start.tzinfo is None:
        raise invalid("start", "起算时间须带时区，例如 2026-09-30T09:00:00+08:00")
    rule = DeadlineRule(
        code="adhoc", label="期限", amount=body.amount, unit=body.unit, direction=body.direction, roll=body.roll
    )
    result = compute(rule, start=body.start, calendar=workdays.load_calendar(db))
    return DeadlineRead(
        due_at=result.due_at,
        last_day=result.last_day,
        provisional=result.provisional,
        assumed_years=sorted(result.assumed_years),
        explanation=result.explanation(),
    )


def _page(request: Request, db, user, *, year: int | None, month: int | None, errors=None, status_code=200):
    today = utcnow().astimezone(LOCAL_TZ).date()
    year, month = year or today.year, month or today.month
    try:
        days = workdays.month_days(db=db, year=year, month=month)
    except DomainError:
        year, month = today.year, today.month
        days = workdays.month_days(db=db, year=year, month=month)
    calendar = workdays.load_calendar(db)
    statuses = [calendar.year_status(y) for y in workdays.years_to_check(today)]
    prev_month = (year - (month == 1), (month - 2) % 12 + 1)
    next_month = (year + (month == 12), month % 12 + 1)
    return render(
        request,
        "web/calendar.html",
        {
            "year": year,
            "month": month,
            "days": days,
            "lead": days[0].day.weekday(),
            "statuses": statuses,
            "prev_month": prev_month,
            "next_month": next_month,
            "today": today,
            "errors": errors or {},
            "can_manage": user.can(workdays.PERMISSION),
            "source_labels": workdays.SOURCE_LABELS,
            "unit_labels": UNIT_LABELS,
        },
        status_code=status_code,
    )


@router.get("/settings/calendar", response_class=HTMLResponse)
def calendar_page(
    request: Request, db: DbSession, user: PageUser, year: int | None = None, month: int | None = None
) -> HTMLResponse:
    return _page(request, db, user, year=year, month=month)


def _form_error(request, db, user, exc: DomainError, day: date | None) -> HTMLResponse:
    errors = {d.field: d.message for d in exc.details} or {"": exc.message}
    return _page(
        request,
        db,
        user,
        year=day.year if day else None,
        month=day.month if day else None,
        errors=errors,
        status_code=exc.status_code,
    )


@router.post("/settings/calendar/day", response_class=HTMLResponse)
def calendar_set_day(
    request: Request,
    db: DbSession,
    user: PageUser,
    day: Annotated[date, Form()],
    working: Annotated[str, Form()] = "no",
    name: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=200)] = "",
    action: Annotated[str, Form()] = "save",
) -> Response:
    try:
        if action == "clear":
            workdays.clear_day(db=db, actor=user, day=day)
        else:
            workdays.set_day(db=db, actor=user, day=day, working=working == "yes", name=name, note=note)
    except DomainError as exc:
        return _form_error(request, db, user, exc, day)
    return RedirectResponse(f"/settings/calendar?year={day.year}&month={day.month}", status_code=303)


@router.post("/settings/calendar/year", response_class=HTMLResponse)
def calendar_confirm_year(
    request: Request,
    db: DbSession,
    user: PageUser,
    year: Annotated[int, Form()],
    source: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        workdays.confirm_year(db=db, actor=user, year=year, source=source)
    except DomainError as exc:
        return _form_error(request, db, user, exc, None)
    return RedirectResponse(f"/settings/calendar?year={year}&month=1", status_code=303)
