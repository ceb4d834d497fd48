"""Incidents API. So far: the incident kinds, grading and reporting deadlines from figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from yingji.core.pagination import Page, PageParams
from yingji.incidents import service
from yingji.incidents.schemas import DeadlinesRequest, DueRead, GradeRead, GradeRequest, KindRead
from yingji.web.deps import ApiUser, DbSession

router = APIRouter(prefix="/incidents", tags=["incidents"])


@router.get("/kinds", response_model=Page[KindRead])
def list_kinds(user: ApiUser, paging: Annotated[PageParams, Depends()]) -> Page[KindRead]:
    """The four classes of 突发事件 with their kinds and how each is graded."""
    kinds = service.kinds()
    return Page(
        items=kinds[paging.offset : paging.offset + paging.page_size],
        total=len(kinds),
        page=paging.page,
        page_size=paging.page_size,
    )


@router.post("/grade", response_model=GradeRead)
def grade(body: GradeRequest, user: ApiUser) -> GradeRead:
    """Grades an incident from its figures: accidents I–IV (国务院令第493号 第三条, any one criterion,
    "以上" inclusive), 较大涉险事故 (令21 第二十六条), natural disasters by the relief plan's triggers."""
    return service.grade(request=body)


@router.post("/deadlines", response_model=list[DueRead])
def deadlines(body: DeadlinesRequest, db: DbSession, user: ApiUser) -> list[DueRead]:
    """Every report the incident owes and its deadline (the deployment's rule table and legal clock)."""
    return service.deadlines(db=db, request=body)
