from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response

from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.registry import service
from yingji.registry.enums import DepartmentKind, Industry
from yingji.registry.schemas import (
    DepartmentRead,
    EnterpriseCreate,
    EnterpriseRead,
    EnterpriseUpdate,
    PersonCreate,
    PersonRead,
)
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope

router = APIRouter(prefix="/registry", tags=["registry"])


@router.get("/enterprises", response_model=Page[EnterpriseRead])
def list_enterprises(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    industry: Industry | None = None,
    region: str | None = None,
    q: str | None = None,
    remote_video: bool | None = None,
) -> Page[EnterpriseRead]:
    rows, total = service.list_enterprises(
        db=db, actor=user, page=paging, industry=industry, region_code=region, q=q, remote_video=remote_video
    )
    return Page.of(EnterpriseRead, rows, total, paging)


@router.post("/enterprises", response_model=EnterpriseRead, status_code=201)
def create_enterprise(body: EnterpriseCreate, db: DbSession, user: ApiUser) -> EnterpriseRead:
    return EnterpriseRead.model_validate(service.create_enterprise(db=db, actor=user, data=body))


@router.get("/enterprises/{enterprise_id}", response_model=EnterpriseRead)
def get_enterprise(
    enterprise: Annotated[Any, in_scope(service.get_enterprise, "enterprise_id")],
    db: DbSession,
    user: ApiUser,
) -> EnterpriseRead:
    return EnterpriseRead.model_validate(enterprise)


@router.patch("/enterprises/{enterprise_id}", response_model=EnterpriseRead)
def update_enterprise(enterprise_id: RecordId, body: EnterpriseUpdate, db: DbSession, user: ApiUser) -> EnterpriseRead:
    return EnterpriseRead.model_validate(
        service.update_enterprise(db=db, actor=user, enterprise_id=enterprise_id, data=body)
    )


@router.delete("/enterprises/{enterprise_id}", status_code=204)
def delete_enterprise(enterprise_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    service.delete_enterprise(db=db, actor=user, enterprise_id=enterprise_id)
    return Response(status_code=204)


@router.get("/departments", response_model=Page[DepartmentRead])
def list_departments(
    db: DbSession, user: ApiUser, paging: Paging, kind: DepartmentKind | None = None
) -> Page[DepartmentRead]:
    rows, total = service.list_departments(db=db, actor=user, kind=kind, page=paging)
    return Page.of(DepartmentRead, rows, total, paging)


@router.get("/people", response_model=Page[PersonRead])
def list_people(db: DbSession, user: ApiUser, paging: Paging, q: str | None = None) -> Page[PersonRead]:
    rows, total = service.list_people(db=db, actor=user, page=paging, q=q)
    return Page.of(PersonRead, rows, total, paging)


@router.post("/people", response_model=PersonRead, status_code=201)
def create_person(body: PersonCreate, db: DbSession, user: ApiUser) -> PersonRead:
    return PersonRead.model_validate(service.create_person(db=db, actor=user, data=body))
