"""Rescue forces: teams (fire stations, professional, enterprise, community, volunteer), their members
with qualifications and certificates, equipment and vehicles, availability status; experts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, load_in_scope, require
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, NotFound, invalid
from yingji.core.events import publish
from yingji.core.pagination import PageParams, paginate
from yingji.core.search import matches
from yingji.core.security import new_token, token_digest
from yingji.registry import service as registry_service
from yingji.resources.enums import Approval, TeamKind
from yingji.resources.events import TeamStatusChanged
from yingji.resources.models import Expert, Team, TeamEquipment, TeamMember
from yingji.resources.schemas import (
    EquipmentCreate,
    ExpertCreate,
    MemberCreate,
    TeamCreate,
    TeamStatusUpdate,
    TeamUpdate,
)
from yingji.resources.service.common import (
    default_path,
    ensure_writable,
    read_condition,
    readable,
    resolve_region,
)
from yingji.resources.standards import certificate_valid

LEVELS = ("district", "township", "village")


def _check_station_class(kind: str, station_class: str | None) -> None:
    if kind == TeamKind.fire_station and not station_class:
        raise invalid("station_class", "消防站须填写站级（一级/二级/小型/微型/战勤保障）")
    if kind != TeamKind.fire_station and station_class:
        raise invalid("station_class", "只有消防站填写站级")


def _new_team(db: Session, actor: Actor, data: TeamCreate, approval: Approval) -> Team:
    _check_station_class(data.kind, data.station_class)
    if data.kind == TeamKind.enterprise:
        if data.enterprise_id is None:
            raise invalid("enterprise_id", "企业救援队须填写所属企业")
        try:
            enterprise = registry_service.enterprise_info(db=db, enterprise_id=data.enterprise_id)
        except NotFound:
            raise invalid("enterprise_id", "企业不存在") from None
        path = enterprise.region_path
        lon = data.lon if data.lon is not None else enterprise.lon
        lat = data.lat if data.lat is not None else enterprise.lat
    else:
        if data.enterprise_id is not None:
            raise invalid("enterprise_id", "只有企业救援队填写所属企业")
        path = resolve_region(db, region_code=data.region_code, lon=data.lon, lat=data.lat, levels=LEVELS).path
        lon, lat = data.lon, data.lat
    ensure_writable(actor, path, what="区域")
    now = utcnow()
    team = Team(
        name=data.name,
        kind=data.kind,
        station_class=data.station_class,
        speciality=data.speciality,
        planned=data.planned,
        enterprise_id=data.enterprise_id,
        region_path=path,
        base_address=data.base_address,
        lon=lon,
        lat=lat,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        status="standby",
        status_note="",
        status_updated_at=now,
        approval=approval,
        created_at=now,
    )
    db.add(team)
    db.flush()
    return team


def create_team(*, db: Session, actor: Actor, data: TeamCreate) -> Team:
    require(actor, "resources.write")
    # A volunteer organisation registered by the bureau itself is approved at once only by an approver.
    approval = Approval.approved
    if data.kind == TeamKind.volunteer and not actor.can("resources.volunteer.approve"):
        approval = Approval.pending
    return _new_team(db, actor, data, approval)


def register_volunteer_team(*, db: Session, actor: Actor, data: TeamCreate) -> Team:
    """A volunteer organisation asks to be registered; it waits for approval by the bureau."""
    require(actor, "resources.volunteer.register")
    if data.kind != TeamKind.volunteer:
        raise invalid("kind", "此处只登记志愿者组织")
    return _new_team(db, actor, data, Approval.pending)


def decide_volunteer_team(*, db: Session, actor: Actor, team_id: int, approve: bool) -> Team:
    require(actor, "resources.volunteer.approve")
    team = get_team(db=db, actor=actor, team_id=team_id)
    if team.kind != TeamKind.volunteer:
        raise invalid("team_id", "只有志愿者组织需要审核")
    if team.approval != Approval.pending:
        raise Conflict("该志愿者组织已审核过")
    team.approval = Approval.approved if approve else Approval.rejected
    db.flush()
    return team


def list_teams(
    *,
    db: Session,
    actor: Actor,
    page: PageParams,
    kind: str | None = None,
    status: str | None = None,
    speciality: str | None = None,
    approval: str | None = None,
    q: str | None = None,
) -> tuple[list[Team], int]:
    require(actor, "resources.read")
    query = select(Team).where(read_condition(actor, Team.region_path, Team.enterprise_id))
    for column, value in (
        (Team.kind, kind),
        (Team.status, status),
        (Team.speciality, speciality),
        (Team.approval, approval),
    ):
        if value:
            query = query.where(column == value)
    if q:
        query = query.where(matches(q, within=[Team.name]))
    return paginate(db, query.order_by(Team.kind, Team.name, Team.id), page)


def get_team(*, db: Session, actor: Actor, team_id: int) -> Team:
    return load_in_scope(db, actor, Team, team_id, what="队伍", permission="resources.read", visible=readable)


def _writable_team(db: Session, actor: Actor, team_id: int) -> Team:
    require(actor, "resources.write")
    team = get_team(db=db, actor=actor, team_id=team_id)
    ensure_writable(actor, team.region_path, what="队伍")
    return team


def update_team(*, db: Session, actor: Actor, team_id: int, data: TeamUpdate) -> Team:
    team = _writable_team(db, actor, team_id)
    values = data.model_dump(exclude_unset=True)
    _check_station_class(team.kind, values.get("station_class", team.station_class))
    for key, value in values.items():
        setattr(team, key, value)
    db.flush()
    return team


def _apply_status(db: Session, team: Team, data: TeamStatusUpdate) -> Team:
    if team.approval != Approval.approved:
        raise Conflict("队伍尚未通过审核，不能设置状态")
    previous = team.status
    team.status, team.status_note, team.status_updated_at = data.status, data.note, utcnow()
    publish(db, TeamStatusChanged(team_id=team.id, region_path=team.region_path, status=team.status,
                                  previous_status=previous, note=team.status_note or "", at=team.status_updated_at))
    return team


def set_team_status(*, db: Session, actor: Actor, team_id: int, data: TeamStatusUpdate) -> Team:
    """The bureau, the township, or the enterprise's own manager (for its own team) set the status."""
    require(actor, "resources.team.status")
    team = get_team(db=db, actor=actor, team_id=team_id)
    if actor.enterprise_id is None:
        ensure_writable(actor, team.region_path, what="队伍")
    _apply_status(db, team, data)
    db.flush()
    return team


def issue_status_link(*, db: Session, actor: Actor, team_id: int) -> str:
    """A new secret for the team's own status page (the old one stops working). Shown once."""
    team = _writable_team(db, actor, team_id)
    token = new_token()
    team.status_token_digest = token_digest(token)
    db.flush()
    return token


def team_by_status_token(*, db: Session, token: str) -> Team:
    team = db.scalar(select(Team).where(Team.status_token_digest == token_digest(token or "")))
    if team is None:
        raise NotFound("链接无效或已更换，请向区应急管理局索取新链接")
    return team


def set_status_by_token(*, db: Session, token: str, data: TeamStatusUpdate) -> Team:
    """The team itself reports its status from the link it was given (no account needed)."""
    team = team_by_status_token(db=db, token=token)
    _apply_status(db, team, data)
    db.flush()
    return team


# --- members and equipment -----------------------------------------------------------------------


def add_member(*, db: Session, actor: Actor, team_id: int, data: MemberCreate) -> TeamMember:
    team = _writable_team(db, actor, team_id)
    if data.certificate_no and data.certificate_expiry is None:
        raise invalid("certificate_expiry", "填写了证书编号时须填写证书有效期")
    member = TeamMember(team_id=team.id, region_path=team.region_path, **data.model_dump())
    db.add(member)
    db.flush()
    return member


def remove_member(*, db: Session, actor: Actor, team_id: int, member_id: int) -> None:
    team = _writable_team(db, actor, team_id)
    member = db.get(TeamMember, member_id)
    if member is None or member.team_id != team.id:
        raise NotFound("队员不存在")
    db.delete(member)
    db.flush()


def list_members(*, db: Session, actor: Actor, team_id: int) -> list[TeamMember]:
    team = get_team(db=db, actor=actor, team_id=team_id)
    return list(db.scalars(select(TeamMember).where(TeamMember.team_id == team.id).order_by(TeamMember.id)))


def add_equipment(*, db: Session, actor: Actor, team_id: int, data: EquipmentCreate) -> TeamEquipment:
    team = _writable_team(db, actor, team_id)
    item = TeamEquipment(team_id=team.id, region_path=team.region_path, **data.model_dump())
    db.add(item)
    db.flush()
    return item


def list_equipment(*, db: Session, actor: Actor, team_id: int) -> list[TeamEquipment]:
    team = get_team(db=db, actor=actor, team_id=team_id)
    return list(db.scalars(select(TeamEquipment).where(TeamEquipment.team_id == team.id).order_by(TeamEquipment.id)))


def certification(*, db: Session, actor: Actor, today: date | None = None) -> dict[str, float | int]:
    """持证上岗率 of the members the actor can see: members holding a certificate valid today."""
    require(actor, "resources.read")
    today = today or utcnow().date()
    rows = db.execute(
        select(TeamMember.certificate_expiry)
        .join(Team, Team.id == TeamMember.team_id)
        .where(read_condition(actor, Team.region_path, Team.enterprise_id))
    ).all()
    valid = sum(1 for (expiry,) in rows if certificate_valid(expiry, today))
    return {"members": len(rows), "certified": valid, "rate": round(valid / len(rows), 4) if rows else 0.0}


def expiring_certificates(*, db: Session, actor: Actor, within_days: int = 60) -> list[TeamMember]:
    require(actor, "resources.read")
    today = utcnow().date()
    return list(
        db.scalars(
            select(TeamMember)
            .join(Team, Team.id == TeamMember.team_id)
            .where(read_condition(actor, Team.region_path, Team.enterprise_id))
            .where(TeamMember.certificate_expiry.is_not(None))
            .where(TeamMember.certificate_expiry <= date.fromordinal(today.toordinal() + within_days))
            .order_by(TeamMember.certificate_expiry)
        )
    )


def team_counts(*, db: Session, actor: Actor) -> dict[str, int]:
    require(actor, "resources.read")
    rows = db.execute(
        select(Team.kind, func.count())
        .where(read_condition(actor, Team.region_path, Team.enterprise_id))
        .where(Team.approval == Approval.approved)
        .group_by(Team.kind)
    ).all()
    return dict(rows)


# --- experts -------------------------------------------------------------------------------------


def create_expert(*, db: Session, actor: Actor, data: ExpertCreate) -> Expert:
    require(actor, "resources.write")
    path = default_path(db, actor, data.region_code, LEVELS)
    ensure_writable(actor, path, what="区域")
    expert = Expert(region_path=path, **data.model_dump(exclude={"region_code"}))
    db.add(expert)
    db.flush()
    return expert


def list_experts(
    *, db: Session, actor: Actor, page: PageParams, speciality: str | None = None, q: str | None = None
) -> tuple[list[Expert], int]:
    require(actor, "resources.read")
    query = select(Expert).where(read_condition(actor, Expert.region_path))
    if speciality:
        query = query.where(Expert.speciality == speciality)
    if q:
        query = query.where(matches(q, within=[Expert.name, Expert.organisation]))
    return paginate(db, query.order_by(Expert.speciality, Expert.id), page)
