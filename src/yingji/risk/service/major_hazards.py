"""Major hazard sources (GB 18218-2018): assess a unit, record it against an enterprise."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, load_in_scope, require, scope_condition
from yingji.core.clock import utcnow
from yingji.risk import standards
from yingji.risk.models import MajorHazardSource
from yingji.risk.schemas import MajorHazardCreate
from yingji.risk.service.common import enterprise_in_scope


def assess(*, actor: Actor, payload: dict) -> standards.MajorHazardResult:
    require(actor, "risk.read")
    return standards.assess_major_hazard(payload)


def create_source(*, db: Session, actor: Actor, data: MajorHazardCreate) -> MajorHazardSource:
    require(actor, "risk.write")
    enterprise = enterprise_in_scope(db, actor, data.enterprise_id)
    result = standards.assess_major_hazard(
        {"unit_type": data.unit_type, "substances": data.substances, "exposed_people": data.exposed_people}
    )
    now = utcnow()
    source = MajorHazardSource(
        enterprise_id=enterprise.id,
        region_path=enterprise.region_path,
        name=data.name.strip(),
        unit_type=data.unit_type,
        substances=data.substances,
        exposed_people=data.exposed_people,
        s_value=float(result.S),
        r_value=float(result.R) if result.R is not None else None,
        is_major=result.is_major,
        grade=result.grade,
        result=result.as_dict(),
        lon=data.lon if data.lon is not None else enterprise.lon,
        lat=data.lat if data.lat is not None else enterprise.lat,
        created_at=now,
        updated_at=now,
    )
    db.add(source)
    db.flush()
    return source


def list_sources(
    *, db: Session, actor: Actor, enterprise_id: int | None = None, only_major: bool = False
) -> list[MajorHazardSource]:
    require(actor, "risk.read")
    q = select(MajorHazardSource).where(
        scope_condition(actor, MajorHazardSource.region_path, MajorHazardSource.enterprise_id)
    )
    if enterprise_id is not None:
        q = q.where(MajorHazardSource.enterprise_id == enterprise_id)
    if only_major:
        q = q.where(MajorHazardSource.is_major.is_(True))
    return list(db.scalars(q.order_by(MajorHazardSource.grade, MajorHazardSource.id)))


def get_source(*, db: Session, actor: Actor, source_id: int) -> MajorHazardSource:
    return load_in_scope(db, actor, MajorHazardSource, source_id, what="重大危险源", permission="risk.read")
