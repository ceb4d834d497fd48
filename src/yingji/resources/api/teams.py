"""Teams, their members, equipment and status; experts (service.teams)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.resources import service
from yingji.resources.api.common import page_of
from yingji.resources.schemas import (
    EquipmentCreate,
    EquipmentRead,
    ExpertCreate,
    ExpertRead,
    MemberCreate,
    MemberRead,
    TeamCreate,
    TeamRead,
    TeamStatusUpdate,
    TeamUpdate,
)
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope

router = APIRouter()


@router.get("/teams", response_model=Page[TeamRead])
def list_teams(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    kind: str | None = None,
    status: str | None = None,
    speciality: str | None = None,
    approval: str | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    rows, total = service.list_teams(
        db=db, actor=user, page=paging, kind=kind, status=status, speciality=speciality, approval=approval, q=q
    )
    return page_of(TeamRead, rows, total, paging)


@router.post("/teams", response_model=TeamRead, status_code=201)
def create_team(body: TeamCreate, db: DbSession, user: ApiUser) -> Any:
    return service.create_team(db=db, actor=user, data=body)


@router.post("/teams/volunteer", response_model=TeamRead, status_code=201)
def register_volunteer_team(body: TeamCreate, db: DbSession, user: ApiUser) -> Any:
    return service.register_volunteer_team(db=db, actor=user, data=body)


@router.post("/teams/{team_id}/approval", response_model=TeamRead)
def decide_volunteer_team(team_id: RecordId, db: DbSession, user: ApiUser, approve: bool = Body(embed=True)) -> Any:
    return service.decide_volunteer_team(db=db, actor=user, team_id=team_id, approve=approve)


@router.get("/teams/{team_id}", response_model=TeamRead)
def get_team(team: Annotated[Any, in_scope(service.get_team, "team_id")], db: DbSession, user: ApiUser) -> Any:
    return team


@router.patch("/teams/{team_id}", response_model=TeamRead)
def update_team(team_id: RecordId, body: TeamUpdate, db: DbSession, user: ApiUser) -> Any:
    return service.update_team(db=db, actor=user, team_id=team_id, data=body)


@router.put("/teams/{team_id}/status", response_model=TeamRead)
def set_team_status(team_id: RecordId, body: TeamStatusUpdate, db: DbSession, user: ApiUser) -> Any:
    return service.set_team_status(db=db, actor=user, team_id=team_id, data=body)


@router.post("/teams/{team_id}/status-link")
def issue_status_link(team_id: RecordId, db: DbSession, user: ApiUser) -> dict[str, str]:
    token = service.issue_status_link(db=db, actor=user, team_id=team_id)
    return {"url": f"/resources/team-status/{token}", "token": token}


@router.put("/team-status/{token}", response_model=TeamRead)
def set_status_by_token(token: str, body: TeamStatusUpdate, db: DbSession) -> Any:
    """The team's own link: no account, the secret in the URL is the credential."""
    return service.set_status_by_token(db=db, token=token, data=body)


@router.get("/teams/{team_id}/members", response_model=Page[MemberRead])
def list_members(team_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(service.list_members(db=db, actor=user, team_id=team_id), paging, MemberRead)


@router.post("/teams/{team_id}/members", response_model=MemberRead, status_code=201)
def add_member(team_id: RecordId, body: MemberCreate, db: DbSession, user: ApiUser) -> Any:
    return service.add_member(db=db, actor=user, team_id=team_id, data=body)


@router.delete("/teams/{team_id}/members/{member_id}", status_code=204)
def remove_member(team_id: RecordId, member_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    service.remove_member(db=db, actor=user, team_id=team_id, member_id=member_id)
    return Response(status_code=204)


@router.get("/teams/{team_id}/equipment", response_model=Page[EquipmentRead])
def list_equipment(team_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(service.list_equipment(db=db, actor=user, team_id=team_id), paging, EquipmentRead)


@router.post("/teams/{team_id}/equipment", response_model=EquipmentRead, status_code=201)
def add_equipment(team_id: RecordId, body: EquipmentCreate, db: DbSession, user: ApiUser) -> Any:
    return service.add_equipment(db=db, actor=user, team_id=team_id, data=body)


@router.get("/certification")
def certification(db: DbSession, user: ApiUser) -> dict[str, Any]:
    """持证上岗率 of the members the user can see."""
    return service.certification(db=db, actor=user)


@router.get("/experts", response_model=Page[ExpertRead])
def list_experts(
    db: DbSession, user: ApiUser, paging: Paging, speciality: str | None = None, q: str | None = None
) -> dict[str, Any]:
    rows, total = service.list_experts(db=db, actor=user, page=paging, speciality=speciality, q=q)
    return page_of(ExpertRead, rows, total, paging)


@router.post("/experts", response_model=ExpertRead, status_code=201)
def create_expert(body: ExpertCreate, db: DbSession, user: ApiUser) -> Any:
    return service.create_expert(db=db, actor=user, data=body)
