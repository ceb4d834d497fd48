"""Grading (LEC, matrix), GB 18218 assessment, risk points and major hazard sources (service.points, major_hazards)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.risk.schemas import (
    GradeResult,
    GradingInput,
    MajorHazardCreate,
    MajorHazardInput,
    MajorHazardRead,
    RiskPointCreate,
    RiskPointRead,
)
from yingji.risk.service import major_hazards, points
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope

router = APIRouter()


@router.post("/grade", response_model=GradeResult)
def grade(body: Annotated[GradingInput, Body()], user: ApiUser) -> dict:
    """One risk point by LEC (`{"method": "lec", "L", "E", "C"}`) or the 5×5 matrix
    (`{"method": "matrix", "likelihood", "severity"}`) → score, level (red/orange/yellow/blue), reason."""
    return points.grade(actor=user, payload=body).as_dict()


@router.post("/major-hazard/assess")
def assess_major_hazard(body: Annotated[MajorHazardInput, Body()], user: ApiUser) -> dict:
    """GB 18218-2018 identification (S = Σq/Q ≥ 1) and grading (R = αΣβq/Q → 一级–四级) of one unit."""
    return major_hazards.assess(actor=user, payload=body).as_dict()


# --- risk points and major hazard sources --------------------------------------------------------


@router.get("/points", response_model=Page[RiskPointRead])
def list_points(
    db: DbSession, user: ApiUser, paging: Paging, enterprise_id: RecordId | None = None, level: str | None = None
) -> Page[RiskPointRead]:
    rows, total = points.list_points(db=db, actor=user, page=paging, enterprise_id=enterprise_id, level=level)
    return Page.of(RiskPointRead, rows, total, paging)


@router.post("/points", response_model=RiskPointRead, status_code=201)
def create_point(body: RiskPointCreate, db: DbSession, user: ApiUser) -> RiskPointRead:
    return RiskPointRead.model_validate(points.create_point(db=db, actor=user, data=body))


@router.get("/points/{point_id}", response_model=RiskPointRead)
def get_point(
    point: Annotated[Any, in_scope(points.get_point, "point_id")],
    db: DbSession,
    user: ApiUser,
) -> RiskPointRead:
    return RiskPointRead.model_validate(point)


@router.delete("/points/{point_id}", status_code=204)
def delete_point(point_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    points.delete_point(db=db, actor=user, point_id=point_id)
    return Response(status_code=204)


@router.get("/major-hazards", response_model=Page[MajorHazardRead])
def list_major_hazards(
    db: DbSession, user: ApiUser, paging: Paging, enterprise_id: RecordId | None = None, only_major: bool = False
) -> Page[MajorHazardRead]:
    rows = major_hazards.list_sources(db=db, actor=user, enterprise_id=enterprise_id, only_major=only_major)
    return Page.sliced(rows, paging, MajorHazardRead)


@router.post("/major-hazards", response_model=MajorHazardRead, status_code=201)
def create_major_hazard(body: MajorHazardCreate, db: DbSession, user: ApiUser) -> MajorHazardRead:
    return MajorHazardRead.model_validate(major_hazards.create_source(db=db, actor=user, data=body))


@router.get("/major-hazards/{source_id}", response_model=MajorHazardRead)
def get_major_hazard(
    source: Annotated[Any, in_scope(major_hazards.get_source, "source_id")],
    db: DbSession,
    user: ApiUser,
) -> MajorHazardRead:
    return MajorHazardRead.model_validate(source)


