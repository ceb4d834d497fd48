"""The plan registry: register, search and read plans; upload document versions (every version kept,
one current); read an attachment only through a plan the reader may see."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from yingji.core import files
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import NotFound, PermissionDenied, invalid
from yingji.core.pagination import PageParams
from yingji.core.search import matches
from yingji.geo import service as geo_service
from yingji.plans.enums import (
    DRILL_HIGH_RISK_INDUSTRIES,
    ENTERPRISE_KINDS,
    OWNER_OF_KIND,
    REVIEW_REQUIRED_INDUSTRIES,
    PlanKind,
)
from yingji.plans.models import Drill, Filing, Plan, PlanVersion
from yingji.plans.schemas import PlanCreate, VersionCreate
from yingji.plans.service.common import district, ensure_writable, get_plan, read_condition, writable_plan
from yingji.plans.standards import requires_refiling
from yingji.registry import service as registry_service

DOCUMENT_TYPES = {"application/pdf", files.DOCX_TYPE}


def _owner(db: Session, actor: Actor, data: PlanCreate) -> dict:
    """Who owns a plan of this kind, where it sits, and its owner's name."""
    owner_type, level = OWNER_OF_KIND[data.kind]
    if data.kind in ENTERPRISE_KINDS:
        if data.enterprise_id is None:
            raise invalid("enterprise_id", "企业预案须指定企业")
        try:
            info = registry_service.enterprise_info(db=db, enterprise_id=data.enterprise_id)
        except NotFound:
            raise invalid("enterprise_id", "企业不存在") from None
        review = info.industry in REVIEW_REQUIRED_INDUSTRIES if data.review_required is None else data.review_required
        return dict(owner_type=owner_type, level=level, owner_name=info.name, enterprise_id=info.id,
                    region_path=info.region_path, high_risk=info.industry in DRILL_HIGH_RISK_INDUSTRIES,
                    review_required=review)
    if data.enterprise_id is not None:
        raise invalid("enterprise_id", "政府、部门、镇村预案不属于企业")
    if data.kind in (PlanKind.township, PlanKind.village):
        if not data.region_code:
            raise invalid("region_code", "请选择所属镇（街道）或村（社区）")
        try:
            region = geo_service.region_info(db=db, code=data.region_code)
        except NotFound:
            raise invalid("region_code", "区域不存在") from None
        if region.level != level:
            raise invalid("region_code", "乡镇预案须选择镇（街道），村（社区）预案须选择村（社区）")
        suffix = "人民政府" if level == "township" else "村（居）民委员会"
        return dict(owner_type=owner_type, level=level, owner_name=region.name + suffix, region_path=region.path)
    root = district(db)
    if data.kind == PlanKind.department:
        if not data.department_code:
            raise invalid("department_code", "部门预案须指定部门")
        try:
            dept = registry_service.get_department(db=db, code=data.department_code)
        except NotFound:
            raise invalid("department_code", "部门不存在") from None
        return dict(owner_type=owner_type, level=level, owner_name=dept.name, department_code=dept.code,
                    region_path=root.path)
    return dict(owner_type=owner_type, level=level, owner_name=root.name + "人民政府", region_path=root.path)


def create_plan(*, db: Session, actor: Actor, data: PlanCreate, is_demo: bool = False) -> Plan:
    require(actor, "plans.write")
    owner = _owner(db, actor, data)
    if actor.enterprise_id is not None and owner.get("enterprise_id") is None:
        raise PermissionDenied("企业账号只能登记本企业的预案")
    ensure_writable(actor, region_path=owner["region_path"], enterprise_id=owner.get("enterprise_id"), what="预案")
    now = utcnow()
    fields = data.model_dump(exclude={"region_code", "review_required", "enterprise_id", "department_code"})
    fields["response_levels"] = [r.model_dump() for r in data.response_levels]
    fields["command"] = [c.model_dump() for c in data.command]
    fields["responsible_phone"] = data.responsible_phone or ""
    plan = Plan(code=f"tmp-{now.timestamp()}", created_by=actor.id, created_at=now, updated_at=now,
                is_demo=is_demo, **fields, **owner)
    db.add(plan)
    db.flush()
    plan.code = f"YA{now.year}-{plan.id:05d}"
    db.flush()
    return plan


def list_plans(
    *, db: Session, actor: Actor, page: PageParams, kind: str | None = None, owner_type: str | None = None,
    enterprise_id: int | None = None, region_code: str | None = None, area_code: str | None = None,
    incident_kind: str | None = None, q: str | None = None,
) -> tuple[list[Plan], int]:
    require(actor, "plans.read")
    query = select(Plan).where(read_condition(actor, Plan.region_path, Plan.enterprise_id))
    if kind:
        query = query.where(Plan.kind == kind)
    if owner_type:
        query = query.where(Plan.owner_type == owner_type)
    if enterprise_id is not None:
        query = query.where(Plan.enterprise_id == enterprise_id)
    if region_code:
        try:
            path = geo_service.region_info(db=db, code=region_code).path
        except NotFound:
            raise invalid("region_code", "区域不存在") from None
        query = query.where((Plan.region_path == path) | Plan.region_path.startswith(path + "/", autoescape=True))
    if q:
        query = query.where(matches(q, within=[Plan.title, Plan.owner_name, Plan.summary], prefix=[Plan.code]))
    rows = list(db.scalars(query.order_by(Plan.level, Plan.kind, Plan.id)))
    # JSON list membership is filtered in Python: the same on SQLite and PostgreSQL, and the registry of a
    # district is a few thousand plans at most.
    if area_code:
        rows = [p for p in rows if area_code in p.area_codes]
    if incident_kind:
        rows = [p for p in rows if incident_kind in p.incident_kinds]
    total = len(rows)
    return rows[page.offset : page.offset + page.page_size], total


def read_plan(*, db: Session, actor: Actor, plan_id: int) -> Plan:
    return get_plan(db, actor, plan_id)


def upload_document(*, db: Session, actor: Actor, data: bytes, filename: str, field: str = "file") -> files.Attachment:
    """Stores a plan document or filing material (.docx or .pdf; photos of a drill as images) for the
    uploader to link next."""
    require(actor, "plans.write")
    allowed = DOCUMENT_TYPES | files.IMAGE_TYPES
    return files.store(db, data=data, filename=filename, allowed=allowed, field=field, uploaded_by=actor.id)


def add_version(*, db: Session, actor: Actor, plan_id: int, data: VersionCreate) -> PlanVersion:
    plan = writable_plan(db, actor, plan_id)
    ids = files.ensure_linkable(db, actor, data.attachment_ids)
    for i in ids:
        if db.get(files.Attachment, i).content_type not in DOCUMENT_TYPES:  # type: ignore[union-attr]
            raise invalid("attachment_ids", f"附件 {i} 不是 Word（.docx）或 PDF 文档")
    number = (db.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == plan.id)) or 0) + 1
    refile = number > 1 and requires_refiling(set(data.changed_parts))
    db.execute(update(PlanVersion).where(PlanVersion.plan_id == plan.id).values(current=False))
    version = PlanVersion(plan_id=plan.id, number=number, attachment_ids=ids, current=True, note=data.note,
                          changed_parts=list(data.changed_parts), requires_refiling=refile, uploaded_by=actor.id,
                          created_at=utcnow())
    db.add(version)
    if refile:
        plan.needs_refiling = True
    if data.published_on is not None:
        plan.published_on = data.published_on
    plan.updated_at = utcnow()
    db.flush()
    return version


def versions(*, db: Session, actor: Actor, plan_id: int) -> list[PlanVersion]:
    plan = get_plan(db, actor, plan_id)
    return list(db.scalars(select(PlanVersion).where(PlanVersion.plan_id == plan.id)
                           .order_by(PlanVersion.number.desc())))


def plan_attachment(*, db: Session, actor: Actor, plan_id: int, attachment_id: int) -> tuple[files.Attachment, Path]:
    """An attachment read through the plan it belongs to (a version, a filing's materials or a drill's
    photos): linked elsewhere or to another plan it answers 404 as if missing."""
    plan = get_plan(db, actor, plan_id)
    linked: set[int] = set()
    for v in db.scalars(select(PlanVersion).where(PlanVersion.plan_id == plan.id)):
        linked.update(v.attachment_ids)
    for f in db.scalars(select(Filing).where(Filing.plan_id == plan.id)):
        linked.update(f.materials.values())
    for d in db.scalars(select(Drill).where(Drill.plan_id == plan.id)):
        linked.update(d.photo_ids)
    if attachment_id not in linked:
        raise NotFound("附件不存在")
    return files.load(db, attachment_id)


def set_published(*, db: Session, actor: Actor, plan_id: int, published_on: date) -> Plan:
    plan = writable_plan(db, actor, plan_id)
    plan.published_on = published_on
    plan.updated_at = utcnow()
    db.flush()
    return plan
