"""Shelters: register (capacity computed from effective area by the standard), census/assessment that marks
a shelter fit, to improve, or to retire (专栏7.3), and live occupancy during an incident."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, load_in_scope, require
from yingji.core.clock import utcnow
from yingji.core.errors import invalid
from yingji.core.events import publish
from yingji.core.pagination import PageParams, paginate
from yingji.core.search import matches
from yingji.resources import standards
from yingji.resources.enums import ShelterCondition
from yingji.resources.events import ShelterOccupancyChanged
from yingji.resources.models import Shelter, ShelterAssessment
from yingji.resources.schemas import AssessmentCreate, OccupancyUpdate, ShelterCreate, ShelterUpdate
from yingji.resources.service.common import ensure_writable, read_condition, readable, resolve_region

# What a census checks (GB 21734 5.2–5.4, GB 51143): the form shows these, the assessment stores the answers.
CHECKS = {
    "away_from_hazards": "避开断层、洪涝、滑坡、泥石流及危险源影响范围",
    "two_exits": "至少两条不同方向的疏散通道",
    "signage": "设置标志标识（GB/T 44014）",
    "water": "应急供水",
    "power": "应急供电与照明",
    "toilets": "应急厕所",
    "medical": "医疗救护点",
    "accessible": "无障碍通道",
}


def create_shelter(*, db: Session, actor: Actor, data: ShelterCreate) -> Shelter:
    require(actor, "resources.write")
    region = resolve_region(db, region_code=data.region_code, lon=data.lon, lat=data.lat)
    ensure_writable(actor, region.path, what="区域")
    shelter = Shelter(
        region_path=region.path,
        capacity=standards.shelter_capacity(data.effective_area_m2, data.level),
        condition=ShelterCondition.unassessed,
        occupancy=0,
        open=False,
        **data.model_dump(exclude={"region_code"}),
    )
    db.add(shelter)
    db.flush()
    return shelter


def list_shelters(
    *,
    db: Session,
    actor: Actor,
    page: PageParams,
    level: str | None = None,
    condition: str | None = None,
    q: str | None = None,
) -> tuple[list[Shelter], int]:
    require(actor, "resources.read")
    query = select(Shelter).where(read_condition(actor, Shelter.region_path))
    if level:
        query = query.where(Shelter.level == level)
    if condition:
        query = query.where(Shelter.condition == condition)
    if q:
        query = query.where(matches(q, within=[Shelter.name]))
    return paginate(db, query.order_by(Shelter.region_path, Shelter.id), page)


def get_shelter(*, db: Session, actor: Actor, shelter_id: int) -> Shelter:
    return load_in_scope(db, actor, Shelter, shelter_id, what="避难场所", permission="resources.read", visible=readable)


def update_shelter(*, db: Session, actor: Actor, shelter_id: int, data: ShelterUpdate) -> Shelter:
    require(actor, "resources.write")
    shelter = get_shelter(db=db, actor=actor, shelter_id=shelter_id)
    ensure_writable(actor, shelter.region_path, what="避难场所")
    for key, value in data.model_dump(exclude_unset=True).items():
        setattr(shelter, key, value)
    shelter.capacity = standards.shelter_capacity(shelter.effective_area_m2, shelter.level)
    db.flush()
    return shelter


def assess_shelter(*, db: Session, actor: Actor, shelter_id: int, data: AssessmentCreate) -> ShelterAssessment:
    require(actor, "resources.shelter.assess")
    shelter = get_shelter(db=db, actor=actor, shelter_id=shelter_id)
    ensure_writable(actor, shelter.region_path, what="避难场所")
    unknown = set(data.checks) - set(CHECKS)
    if unknown:
        raise invalid("checks", "未知检查项：" + "、".join(sorted(unknown)))
    if data.result == ShelterCondition.unassessed:
        raise invalid("result", "评估结论须为达标可用、需改造提升或拟撤销")
    failed = [CHECKS[k] for k, ok in data.checks.items() if not ok]
    if data.result == ShelterCondition.fit and failed:
        raise invalid("result", "有未通过的检查项，不能评为达标可用：" + "、".join(failed))
    if data.result != ShelterCondition.fit and not data.findings.strip() and not failed:
        raise invalid("findings", "评为需改造或拟撤销时须写明问题")
    assessment = ShelterAssessment(
        shelter_id=shelter.id, assessed_at=utcnow(), region_path=shelter.region_path, **data.model_dump()
    )
    shelter.condition = data.result
    db.add(assessment)
    db.flush()
    return assessment


def assessments(*, db: Session, actor: Actor, shelter_id: int) -> list[ShelterAssessment]:
    shelter = get_shelter(db=db, actor=actor, shelter_id=shelter_id)
    return list(
        db.scalars(
            select(ShelterAssessment)
            .where(ShelterAssessment.shelter_id == shelter.id)
            .order_by(ShelterAssessment.id.desc())
        )
    )


def set_occupancy(
    *, db: Session, actor: Actor, shelter_id: int, data: OccupancyUpdate, over_capacity_reason: str = ""
) -> Shelter:
    """Live occupancy during an incident, reported by the shelter's township or village. Above capacity
    only with ``over_capacity_reason``: the caller (incidents' evacuee register) records who gave it."""
    require(actor, "resources.shelter.occupancy")
    shelter = get_shelter(db=db, actor=actor, shelter_id=shelter_id)
    ensure_writable(actor, shelter.region_path, what="避难场所")
    if shelter.condition == ShelterCondition.retire and data.open:
        raise invalid("open", "拟撤销的避难场所不能启用")
    if data.occupancy > shelter.capacity and not over_capacity_reason.strip():
        raise invalid("occupancy", f"安置人数超过容量 {shelter.capacity} 人，请分流到其他避难场所")
    if not data.open and data.occupancy:
        raise invalid("occupancy", "关闭的避难场所安置人数应为 0")
    shelter.occupancy, shelter.open, shelter.occupancy_updated_at = data.occupancy, data.open, utcnow()
    publish(db, ShelterOccupancyChanged(shelter_id=shelter.id, region_path=shelter.region_path, open=shelter.open,
                                        occupancy=shelter.occupancy, capacity=shelter.capacity,
                                        at=shelter.occupancy_updated_at))
    db.flush()
    return shelter


def shelter_totals(*, db: Session, actor: Actor) -> dict[str, int]:
    require(actor, "resources.read")
    count, capacity, occupancy, open_ = db.execute(
        select(
            func.count(Shelter.id),
            func.coalesce(func.sum(Shelter.capacity), 0),
            func.coalesce(func.sum(Shelter.occupancy), 0),
            func.count(Shelter.id).filter(Shelter.open.is_(True)),
        ).where(read_condition(actor, Shelter.region_path))
    ).one()
    return {"shelters": count, "capacity": int(capacity), "occupancy": int(occupancy), "open": int(open_)}
