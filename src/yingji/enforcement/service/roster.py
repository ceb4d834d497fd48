"""The inspector roster (执法人员名录), declared conflicts of interest, standardisation grades and the yearly
inspection caps per enterprise (a provincial settings table, cn-rules §11.3)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import NotFound, invalid
from yingji.core.meta import get_meta
from yingji.enforcement.enums import HIGH_RISK_GROUP, STANDARDISATION_GRADES
from yingji.enforcement.models import Conflict, EnterpriseGrade, InspectionCap, Inspector
from yingji.enforcement.schemas import CapUpdate, ConflictCreate, InspectorCreate
from yingji.geo import service as geo_service
from yingji.registry import service as registry_service

PROVINCE_KEY = "enforcement_cap_province"
DEFAULT_PROVINCE = "默认"


def list_inspectors(*, db: Session, actor: Actor) -> list[Inspector]:
    require(actor, "enforcement.draws.read")
    return list(db.scalars(select(Inspector).order_by(Inspector.id)))


def staff_counts(*, db: Session, actor: Actor) -> tuple[int, int, int]:
    """(active staff, of them qualified, of them with equipment fitted): 专栏4.1 and 专栏4.2 of the plan."""
    require(actor, "enforcement.read")
    staff = db.scalars(select(Inspector).where(Inspector.active.is_(True))).all()
    return len(staff), sum(i.qualified for i in staff), sum(i.equipment_fitted for i in staff)


def add_inspector(*, db: Session, actor: Actor, data: InspectorCreate) -> Inspector:
    require(actor, "enforcement.draws.write")
    if db.scalar(select(Inspector.id).where(Inspector.certificate_no == data.certificate_no)) is not None:
        raise invalid("certificate_no", "执法证号已在名录中")
    township = None
    if data.township_code:
        info = geo_service.region_info(db=db, code=data.township_code)
        township = "/".join(info.path.split("/")[:2])
    row = Inspector(name=data.name, certificate_no=data.certificate_no, user_id=data.user_id, township_path=township,
                    qualified=data.qualified, equipment_fitted=data.equipment_fitted)
    db.add(row)
    db.flush()
    return row


def inspector_of_user(db: Session, user_id: int | None) -> Inspector | None:
    if user_id is None:
        return None
    return db.scalar(select(Inspector).where(Inspector.user_id == user_id))


def declare_conflict(*, db: Session, actor: Actor, data: ConflictCreate) -> Conflict:
    require(actor, "enforcement.draws.write")
    if db.get(Inspector, data.inspector_id) is None:
        raise invalid("inspector_id", "执法人员不在名录中")
    registry_service.get_enterprise(db=db, actor=actor, enterprise_id=data.enterprise_id)
    row = db.scalar(select(Conflict).where(Conflict.inspector_id == data.inspector_id,
                                           Conflict.enterprise_id == data.enterprise_id))
    if row is None:
        row = Conflict(inspector_id=data.inspector_id, enterprise_id=data.enterprise_id)
        db.add(row)
    row.reason, row.declared_at = data.reason, utcnow()
    db.flush()
    return row


def list_conflicts(*, db: Session, actor: Actor) -> list[Conflict]:
    require(actor, "enforcement.draws.write")
    return list(db.scalars(select(Conflict).order_by(Conflict.id)))


def set_grade(*, db: Session, actor: Actor, enterprise_id: int, grade: str) -> None:
    require(actor, "enforcement.draws.write")
    if grade not in STANDARDISATION_GRADES:
        raise invalid("grade", "标准化等级应为 1、2、3 或 none")
    registry_service.get_enterprise(db=db, actor=actor, enterprise_id=enterprise_id)
    row = db.get(EnterpriseGrade, enterprise_id) or EnterpriseGrade(enterprise_id=enterprise_id)
    row.grade = grade
    db.add(row)
    db.flush()


def grades(db: Session, enterprise_ids: list[int]) -> dict[int, str]:
    rows = db.scalars(select(EnterpriseGrade).where(EnterpriseGrade.enterprise_id.in_(enterprise_ids))).all()
    return {r.enterprise_id: r.grade for r in rows}


def province(db: Session) -> str:
    return get_meta(db, PROVINCE_KEY) or DEFAULT_PROVINCE


def list_caps(*, db: Session, actor: Actor) -> list[InspectionCap]:
    require(actor, "enforcement.read")
    return list(db.scalars(select(InspectionCap).where(InspectionCap.province == province(db))
                           .order_by(InspectionCap.industry_group, InspectionCap.grade)))


def update_cap(*, db: Session, actor: Actor, cap_id: int, data: CapUpdate) -> InspectionCap:
    require(actor, "enforcement.draws.write")
    row = db.get(InspectionCap, cap_id)
    if row is None:
        raise NotFound("检查频次上限不存在")
    row.max_per_year = data.max_per_year
    db.flush()
    return row


def cap_for(db: Session, *, industry: str, grade: str) -> int | None:
    """The yearly maximum for an enterprise of this industry and grade; None when no row says (no cap)."""
    group = "high_risk" if industry in HIGH_RISK_GROUP else "other"
    row = db.scalar(select(InspectionCap).where(InspectionCap.province == province(db),
                                                InspectionCap.industry_group == group, InspectionCap.grade == grade))
    return row.max_per_year if row else None
