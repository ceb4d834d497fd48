"""Risk points: create, grade, list; the enterprise's overall level."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, load_in_scope, require, scope_condition
from yingji.core.clock import utcnow
from yingji.core.errors import invalid
from yingji.core.pagination import PageParams, paginate
from yingji.core.validation import normalize_phone
from yingji.risk import standards
from yingji.risk.enums import LEVEL_RANK, RANK_LEVEL, RiskLevel
from yingji.risk.models import MajorHazardSource, RiskPoint
from yingji.risk.schemas import RiskPointCreate
from yingji.risk.service.common import ensure_can_place, enterprise_in_scope, region_for


def grade(*, actor: Actor, payload: dict) -> standards.Grading:
    require(actor, "risk.read")
    return standards.grade(payload)


def graded_fields(grading: dict) -> dict:
    """The columns a grading fills on a risk point (also used by bulk loads)."""
    result = standards.grade(grading)
    return {
        "method": grading["method"],
        "inputs": {k: str(v) for k, v in grading.items() if k != "method"},
        "score": result.score,
        "level": result.level.value,
        "level_rank": LEVEL_RANK[result.level],
        "reason": result.reason[:400],
    }


def create_point(*, db: Session, actor: Actor, data: RiskPointCreate) -> RiskPoint:
    require(actor, "risk.write")
    graded = graded_fields(data.grading)
    lon, lat = data.lon, data.lat
    if data.enterprise_id is not None:
        enterprise = enterprise_in_scope(db, actor, data.enterprise_id)
        region_path = enterprise.region_path
        if lon is None or lat is None:
            lon, lat = enterprise.lon, enterprise.lat
    else:
        if not data.place_name.strip():
            raise invalid("place_name", "不属于企业的风险点须填写场所名称（人员密集场所、生命线、九小场所等）")
        region = region_for(db, region_code=data.region_code, lon=lon, lat=lat)
        ensure_can_place(actor, region.path)
        region_path = region.path
        if lon is None or lat is None:
            lon, lat = region.centroid if region.centroid else (None, None)
    phone = None
    if data.responsible_phone:
        phone = normalize_phone(data.responsible_phone)
        if phone is None:
            raise invalid("responsible_phone", "电话号码格式不正确")
    now = utcnow()
    point = RiskPoint(
        enterprise_id=data.enterprise_id,
        place_name=data.place_name.strip(),
        region_path=region_path,
        name=data.name.strip(),
        location=data.location,
        activity=data.activity,
        hazards=data.hazards,
        controls=data.controls,
        responsible_person=data.responsible_person,
        responsible_phone=phone,
        lon=lon,
        lat=lat,
        **graded,
        created_at=now,
        updated_at=now,
    )
    db.add(point)
    db.flush()
    return point


def _point_query(actor: Actor) -> Select:
    return select(RiskPoint).where(scope_condition(actor, RiskPoint.region_path, RiskPoint.enterprise_id))


def list_points(
    *,
    db: Session,
    actor: Actor,
    page: PageParams,
    enterprise_id: int | None = None,
    level: str | None = None,
) -> tuple[list[RiskPoint], int]:
    require(actor, "risk.read")
    query = _point_query(actor)
    if enterprise_id is not None:
        query = query.where(RiskPoint.enterprise_id == enterprise_id)
    if level:
        if level not in RiskLevel.__members__:
            raise invalid("level", "须为 red、orange、yellow 或 blue")
        query = query.where(RiskPoint.level == level)
    return paginate(db, query.order_by(RiskPoint.level_rank.desc(), RiskPoint.id), page)


def get_point(*, db: Session, actor: Actor, point_id: int) -> RiskPoint:
    return load_in_scope(db, actor, RiskPoint, point_id, what="风险点", permission="risk.read")


def delete_point(*, db: Session, actor: Actor, point_id: int) -> None:
    point = get_point(db=db, actor=actor, point_id=point_id)
    require(actor, "risk.write")
    db.delete(point)
    db.flush()


def levels_by_enterprise(db: Session, enterprise_ids: list[int] | None = None) -> dict[int, RiskLevel | None]:
    """Each enterprise's overall level: the highest of its points and of its major hazard sources' floors."""
    pq = select(RiskPoint.enterprise_id, func.max(RiskPoint.level_rank)).where(RiskPoint.enterprise_id.is_not(None))
    mq = select(MajorHazardSource.enterprise_id, func.min(MajorHazardSource.grade)).where(
        MajorHazardSource.grade.is_not(None)
    )
    if enterprise_ids is not None:
        pq = pq.where(RiskPoint.enterprise_id.in_(enterprise_ids))
        mq = mq.where(MajorHazardSource.enterprise_id.in_(enterprise_ids))
    points = dict(db.execute(pq.group_by(RiskPoint.enterprise_id)).all())
    majors = dict(db.execute(mq.group_by(MajorHazardSource.enterprise_id)).all())
    out: dict[int, RiskLevel | None] = {}
    for eid in set(points) | set(majors):
        levels = [RANK_LEVEL[points[eid]].value] if eid in points else []
        out[eid] = standards.enterprise_level(levels, [majors[eid]] if eid in majors else [])
    return out
