"""The 待办 page and the notices API: what waits for the signed-in user, from every capability.

Capabilities post notices through ``core.notices`` (alarms to acknowledge, warnings to sign, overdue
hazards, reorder and expiry alerts); this module only shows them and records each user's reading. A
notice is visible to its recipients alone: anyone else's answers 404, as if it did not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from yingji.core import notices
from yingji.core.pagination import Page, PageParams
from yingji.core.validation import RecordId
from yingji.web.deps import ApiUser, DbSession, PageUser, Paging
from yingji.web.nav import entry_for
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/notices", tags=["notices"])

PAGE_SIZE = 50
STATUS_LABELS = {"open": "待处理", "done": "已完成", "all": "全部"}
StatusParam = Annotated[Literal["open", "done", "all"], Query(description="open 待处理, done 已完成, all 全部")]
SourceParam = Annotated[str | None, Query(max_length=24, description="只看某一业务（monitoring、risk…）")]


class NoticeRead(BaseModel):
    id: RecordId
    source: str
    kind: str
    title: str
    body: str
    link: str
    ref_type: str
    ref_id: RecordId
    addressee: str
    created_at: datetime
    closed_at: datetime | None
    read_at: datetime | None
    done_at: datetime | None
    open: bool


def _read(item: notices.InboxItem) -> NoticeRead:
    n = item.notice
    return NoticeRead(
        id=n.id,
        source=n.source,
        kind=n.kind,
        title=n.title,
        body=n.body,
        link=n.link,
        ref_type=n.ref_type,
        ref_id=n.ref_id,
        addressee=n.addressee,
        created_at=n.created_at,
        closed_at=n.closed_at,
        read_at=item.read_at,
        done_at=item.done_at,
        open=item.open,
    )


@api_router.get("", response_model=Page[NoticeRead])
def api_list(
    db: DbSession, user: ApiUser, paging: Paging, status: StatusParam = "open", source: SourceParam = None
) -> Page[NoticeRead]:
    """The signed-in user's notices: open ones (waiting for them) by default, unread first, then newest."""
    rows, total = notices.inbox(db, actor=user, page=paging, status=status, source=source)
    return Page(items=[_read(r) for r in rows], total=total, page=paging.page, page_size=paging.page_size)


@api_router.get("/{notice_id}", response_model=NoticeRead)
def api_get(notice_id: RecordId, db: DbSession, user: ApiUser) -> NoticeRead:
    return _read(notices.get(db, actor=user, notice_id=notice_id))


@api_router.post("/{notice_id}/read", response_model=NoticeRead)
def api_read(notice_id: RecordId, db: DbSession, user: ApiUser) -> NoticeRead:
    return _read(notices.mark_read(db, actor=user, notice_id=notice_id))


@api_router.post("/{notice_id}/done", response_model=NoticeRead)
def api_done(notice_id: RecordId, db: DbSession, user: ApiUser) -> NoticeRead:
    """Done for this user; the others it is addressed to still see it until the record is settled."""
    return _read(notices.mark_done(db, actor=user, notice_id=notice_id))


def _source_label(source: str) -> str:
    entry = entry_for(source)
    return entry.label if entry is not None else source


@router.get("/todo", response_class=HTMLResponse)
def todo_page(
    request: Request, db: DbSession, user: PageUser, status: str = "open", page: int = 1
) -> HTMLResponse:
    status = status if status in STATUS_LABELS else "open"
    paging = PageParams.clamped(page, PAGE_SIZE)
    rows, total = notices.inbox(db, actor=user, page=paging, status=status)
    return render(
        request,
        "web/todo.html",
        {
            "rows": rows,
            "total": total,
            "paging": paging,
            "status": status,
            "status_labels": STATUS_LABELS,
            "source_label": _source_label,
        },
    )


@router.post("/todo/{notice_id}/{action}")
def todo_mark(
    notice_id: RecordId,
    action: Literal["read", "done"],
    db: DbSession,
    user: PageUser,
    status: Annotated[str, Form()] = "open",
) -> RedirectResponse:
    if action == "done":
        notices.mark_done(db, actor=user, notice_id=notice_id)
    else:
        notices.mark_read(db, actor=user, notice_id=notice_id)
    back = status if status in STATUS_LABELS else "open"
    return RedirectResponse(f"/todo?status={back}", status_code=303)
