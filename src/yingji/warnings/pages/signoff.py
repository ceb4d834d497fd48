"""Warning pages: the list by status, the dashboard card, a warning's page with the recipients per channel and
village and its coverage, and the sign-off and publication actions (service.authoring, reach, coverage)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yingji.core.pagination import PageParams, page_list
from yingji.warnings.pages.common import PAGE_SIZE, TABS, VILLAGES_PER_PAGE, labels
from yingji.warnings.service import authoring, coverage, messages, reach, recipients
from yingji.warnings.service.area import parse_area
from yingji.web.deps import DbSession, PageUser, in_scope
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/warnings", response_class=HTMLResponse)
def warnings_page(
    request: Request, db: DbSession, user: PageUser, status: str = "", origin: str = "", page: int = 1
) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = authoring.list_warnings(db=db, actor=user, page=paging, status=status or None, origin=origin or None)
    return render(
        request,
        "warnings/list.html",
        {
            **labels(),
            "rows": rows,
            "total": total,
            "paging": paging,
            "pages": paging.page_count(total),
            "status": status,
            "origin": origin,
            "tabs": TABS,
            "district": coverage.district_year(db=db, actor=user),
        },
    )



@router.get("/warnings/card", response_class=HTMLResponse)
def dashboard_card(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    """The home-page card (loaded by HTMX): the year's coverage, warnings in force, waiting sign-offs."""
    _rows, pending = authoring.list_warnings(db=db, actor=user, page=PageParams(page_size=1), status="submitted")
    # A warning below its coverage target is listed in red on its own: the year's share never hides it.
    below = coverage.below_target(db=db, actor=user)
    return render(
        request,
        "warnings/card.html",
        {
            **labels(),
            "district": coverage.district_year(db=db, actor=user),
            "below_count": below[0],
            "below": below[1],
            "current": messages.current(db=db, limit=5),
            "pending": pending,
        },
    )



@router.get("/warnings/{warning_id}", response_class=HTMLResponse)
def warning_page(
    request: Request,
    w: Annotated[Any, in_scope(authoring.get_warning, "warning_id", page=True)],
    db: DbSession,
    user: PageUser,
    villages: int = 1,
) -> HTMLResponse:
    ctx: dict[str, Any] = {**labels(), "w": w, "chain": authoring.chain(db=db, actor=user, warning_id=w.id)}
    if w.identifier and w.origin == "local":
        ctx["coverage"] = coverage.for_warning(db=db, actor=user, warning_id=w.id)
        ctx["failures"] = coverage.failures(db=db, actor=user, warning_id=w.id)
    elif w.area and w.origin == "local":
        targets = recipients.resolve(db=db, area=parse_area(db=db, area=w.area), event_type=w.event_type)
        ctx["preview"] = recipients.summary(db=db, targets=targets)
        # Which channel carries the warning to how many, and who has none: before sign-off and publishing.
        ctx["plan"] = reach.plan(targets=targets)
    # A district-wide warning reaches some 300 villages: their table is paged.
    village_paging = PageParams.clamped(villages, VILLAGES_PER_PAGE)
    by_village = (ctx.get("coverage") or ctx.get("preview") or {}).get("by_village", [])
    ctx["village_rows"], ctx["village_total"] = page_list(by_village, village_paging)
    ctx["village_paging"] = village_paging
    ctx["can"] = {
        "submit": user.can("warnings.write") and w.status == "draft" and w.origin == "local",
        "approve": user.can("warnings.approve") and w.status == "submitted" and w.author_id != user.id,
        "publish": user.can("warnings.publish") and w.status == "approved",
        "follow_up": user.can("warnings.write") and w.status == "published" and w.origin == "local",
    }
    return render(request, "warnings/detail.html", ctx)



ACTIONS = {
    "submit": lambda db, user, wid, note: authoring.submit(db=db, actor=user, warning_id=wid),
    "approve": lambda db, user, wid, note: authoring.approve(db=db, actor=user, warning_id=wid, note=note),
    "reject": lambda db, user, wid, note: authoring.reject(db=db, actor=user, warning_id=wid, note=note),
    "publish": lambda db, user, wid, note, form=None: authoring.publish(
        db=db, actor=user, warning_id=wid, confirm_unreached=bool(form and form.get("confirm_unreached"))
    ),
    "cancel": lambda db, user, wid, note: authoring.create_cancel(db=db, actor=user, warning_id=wid, note=note),
}



@router.post("/warnings/{warning_id}/{action}", response_class=HTMLResponse)
async def warning_action(request: Request, db: DbSession, user: PageUser, warning_id: int, action: str) -> Response:
    if action not in ACTIONS:
        return render(
            request, "web/error.html", {"status": 404, "message": "操作不存在", "details": []}, status_code=404
        )
    form = await request.form()
    note = str(form.get("note", ""))[:500]
    w = (
        ACTIONS[action](db, user, warning_id, note, form)
        if action == "publish"
        else ACTIONS[action](db, user, warning_id, note)
    )
    return RedirectResponse(f"/warnings/{w.id}", status_code=303)
