"""Shelters, their assessments and occupancy (service.shelters)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.resources import service
from yingji.resources.api.common import page_of
from yingji.resources.schemas import (
    AssessmentCreate,
    AssessmentRead,
    OccupancyUpdate,
    ShelterCreate,
    ShelterRead,
    ShelterUpdate,
)
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope

router = APIRouter()


@router.get("/shelters", response_model=Page[ShelterRead])
def list_shelters(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    level: str | None = None,
    condition: str | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    rows, total = service.list_shelters(db=db, actor=user, page=paging, level=level, condition=condition, q=q)
    return page_of(ShelterRead, rows, total, paging)


@router.post("/shelters", response_model=ShelterRead, status_code=201)
def create_shelter(body: ShelterCreate, db: DbSession, user: ApiUser) -> Any:
    return service.create_shelter(db=db, actor=user, data=body)


@router.get("/shelters/{shelter_id}", response_model=ShelterRead)
def get_shelter(
    shelter: Annotated[Any, in_scope(service.get_shelter, "shelter_id")],
    db: DbSession,
    user: ApiUser,
) -> Any:
    return shelter


@router.patch("/shelters/{shelter_id}", response_model=ShelterRead)
def update_shelter(shelter_id: RecordId, body: ShelterUpdate, db: DbSession, user: ApiUser) -> Any:
    return service.update_shelter(db=db, actor=user, shelter_id=shelter_id, data=body)


@router.post("/shelters/{shelter_id}/assessments", response_model=AssessmentRead, status_code=201)
def assess_shelter(shelter_id: RecordId, body: AssessmentCreate, db: DbSession, user: ApiUser) -> Any:
    return service.assess_shelter(db=db, actor=user, shelter_id=shelter_id, data=body)


@router.get("/shelters/{shelter_id}/assessments", response_model=Page[AssessmentRead])
def list_assessments(shelter_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(service.assessments(db=db, actor=user, shelter_id=shelter_id), paging, AssessmentRead)


@router.put("/shelters/{shelter_id}/occupancy", response_model=ShelterRead)
def set_occupancy(shelter_id: RecordId, body: OccupancyUpdate, db: DbSession, user: ApiUser) -> Any:
    return service.set_occupancy(db=db, actor=user, shelter_id=shelter_id, data=body)
