"""Registry use cases: departments, enterprises and people, each checked against the actor's scope."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yingji.core.actor import (
    Actor,
    ensure_region_in_scope,
    in_scope,
    load_in_scope,
    path_within,
    region_in_scope,
    require,
    scope_condition,
)
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, ErrorDetail, NotFound, PermissionDenied, invalid
from yingji.core.pagination import PageParams, paginate
from yingji.core.search import matches
from yingji.core.validation import normalize_phone
from yingji.geo import service as geo_service
from yingji.registry.enums import INDUSTRY_LABELS
from yingji.registry.models import Department, Enterprise, Person
from yingji.registry.schemas import EnterpriseCreate, EnterpriseUpdate, PersonCreate

# What other capabilities may call: enterprises (read, counts, contacts), departments, people by title.
__all__ = [
    "EnterpriseInfo", "INDUSTRY_LABELS", "create_department", "create_enterprise", "delete_enterprise",
    "enterprise_contacts_in_bbox", "enterprise_counts_by_industry", "enterprise_info", "enterprises_in_bbox",
    "get_department",
    "get_enterprise", "list_departments", "list_enterprises", "people_by_title", "people_by_title_in_regions",
    "update_enterprise",
]

# Fields an enterprise's own safety manager may change; the rest belong to the regulator.
SELF_EDITABLE = {"address", "legal_representative", "safety_contact", "safety_phone", "employees", "lon", "lat"}


@dataclass(frozen=True)
class EnterpriseInfo:
    id: int
    name: str
    industry: str
    region_id: int
    region_path: str
    lon: float | None
    lat: float | None


def _info(e: Enterprise) -> EnterpriseInfo:
    return EnterpriseInfo(e.id, e.name, e.industry, e.region_id, e.region_path, e.lon, e.lat)


# --- enterprises ---------------------------------------------------------------------------------


def _resolve_region(
    db: Session, *, region_code: str | None, lon: float | None, lat: float | None
) -> geo_service.RegionInfo:
    return geo_service.region_of(
        db=db, region_code=region_code, lon=lon, lat=lat, levels=geo_service.TOWNSHIP_OR_VILLAGE,
        level_message="企业须归属到镇（街道）或村（社区）",
        missing_message="请填写所属镇（街道）/村（社区），或提供经纬度",
    )


def list_enterprises(
    *,
    db: Session,
    actor: Actor,
    page: PageParams,
    industry: str | None = None,
    region_code: str | None = None,
    q: str | None = None,
    remote_video: bool | None = None,
) -> tuple[list[Enterprise], int]:
    require(actor, "registry.read")
    query = select(Enterprise).where(scope_condition(actor, Enterprise.region_path, Enterprise.id))
    if industry:
        query = query.where(Enterprise.industry == industry)
    if region_code:
        query = query.where(path_within(Enterprise.region_path, geo_service.region_info(db=db, code=region_code).path))
    if q:
        query = query.where(matches(q, within=[Enterprise.name]) | (Enterprise.uscc == q.upper()))
    if remote_video is not None:
        query = query.where(Enterprise.remote_video.is_(remote_video))
    return paginate(db, query.order_by(Enterprise.id), page)


def get_enterprise(*, db: Session, actor: Actor, enterprise_id: int) -> Enterprise:
    # An enterprise is its own enterprise's record.
    return load_in_scope(db, actor, Enterprise, enterprise_id, what="企业", permission="registry.read",
                         visible=lambda a, e: in_scope(a, region_path=e.region_path, enterprise_id=e.id))


def enterprise_info(*, db: Session, enterprise_id: int) -> EnterpriseInfo:
    """For other capabilities (no permission check: they check their own)."""
    enterprise = db.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound("企业不存在")
    return _info(enterprise)


def create_enterprise(*, db: Session, actor: Actor, data: EnterpriseCreate) -> Enterprise:
    require(actor, "registry.write")
    if actor.enterprise_id is not None:
        raise PermissionDenied("企业账号不能登记其他企业")
    region = _resolve_region(db, region_code=data.region_code, lon=data.lon, lat=data.lat)
    if not region_in_scope(actor, region.path):
        raise PermissionDenied("只能在本辖区内登记企业")
    if db.scalar(select(Enterprise.id).where(Enterprise.uscc == data.uscc)) is not None:
        raise Conflict(f"统一社会信用代码 {data.uscc} 已登记", details=[ErrorDetail("uscc", "已存在")])
    now = utcnow()
    fields = data.model_dump(exclude={"region_code"})
    enterprise = Enterprise(**fields, region_id=region.id, region_path=region.path, created_at=now, updated_at=now)
    db.add(enterprise)
    db.flush()
    return enterprise


def update_enterprise(*, db: Session, actor: Actor, enterprise_id: int, data: EnterpriseUpdate) -> Enterprise:
    enterprise = get_enterprise(db=db, actor=actor, enterprise_id=enterprise_id)
    changes = data.model_dump(exclude_unset=True)
    if actor.enterprise_id is not None:
        require(actor, "registry.enterprise.update_own")
        forbidden = sorted(set(changes) - SELF_EDITABLE)
        if forbidden:
            raise PermissionDenied(
                "企业账号不能修改这些字段：" + "、".join(forbidden),
                details=[ErrorDetail(f, "由监管部门维护") for f in forbidden],
            )
    else:
        require(actor, "registry.write")
    if "region_code" in changes:
        region = _resolve_region(db, region_code=changes.pop("region_code"), lon=None, lat=None)
        if not region_in_scope(actor, region.path):
            raise PermissionDenied("不能把企业迁到本辖区以外")
        enterprise.region_id, enterprise.region_path = region.id, region.path
    for key, value in changes.items():
        setattr(enterprise, key, value)
    enterprise.updated_at = utcnow()
    db.flush()
    return enterprise


def delete_enterprise(*, db: Session, actor: Actor, enterprise_id: int) -> None:
    enterprise = get_enterprise(db=db, actor=actor, enterprise_id=enterprise_id)
    require(actor, "registry.write")
    if actor.enterprise_id is not None:
        raise PermissionDenied("企业账号不能删除企业")
    people = db.scalar(select(func.count()).select_from(Person).where(Person.enterprise_id == enterprise.id)) or 0
    if people:
        raise Conflict(
            f"该企业仍登记有 {people} 名人员，不能删除；请先移除或改挂人员", [ErrorDetail("people", "仍有人员")]
        )
    try:
        with db.begin_nested():  # a savepoint: PostgreSQL keeps the transaction usable after the refusal
            db.delete(enterprise)
            db.flush()
    except IntegrityError:
        # Other capabilities' records (user accounts) still point at it; this module cannot name them.
        raise Conflict(
            "该企业仍被其他记录（如企业账号）引用，不能删除；请先停用或改挂这些账号",
            [ErrorDetail("enterprise_id", "仍被引用")],
        ) from None


def enterprise_counts_by_industry(*, db: Session, actor: Actor) -> dict[str, int]:
    require(actor, "registry.read")
    rows = db.execute(
        select(Enterprise.industry, func.count())
        .where(scope_condition(actor, Enterprise.region_path, Enterprise.id))
        .group_by(Enterprise.industry)
    ).all()
    return dict(rows)


# --- departments ---------------------------------------------------------------------------------


def list_departments(
    *, db: Session, actor: Actor, kind: str | None = None, page: PageParams | None = None
) -> tuple[list[Department], int]:
    require(actor, "registry.read")
    query = select(Department).order_by(Department.kind, Department.code)
    if kind:
        query = query.where(Department.kind == kind)
    return paginate(db, query, page or PageParams(page_size=500))


def get_department(*, db: Session, code: str) -> Department:
    department = db.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise NotFound(f"部门 {code} 不存在")
    return department


def create_department(
    *,
    db: Session,
    actor: Actor,
    code: str,
    name: str,
    short_name: str = "",
    kind: str = "department",
    region_code: str | None = None,
    phone: str | None = None,
    duties: str = "",
) -> Department:
    require(actor, "registry.department.write")
    if db.scalar(select(Department.id).where(Department.code == code)) is not None:
        raise Conflict(f"部门代码 {code} 已存在", details=[ErrorDetail("code", "已存在")])
    region = geo_service.region_info(db=db, code=region_code) if region_code else None
    if phone is not None and normalize_phone(phone) is None:
        raise invalid("phone", "电话号码格式不正确")
    department = Department(
        code=code,
        name=name,
        short_name=short_name or name,
        kind=kind,
        region_id=region.id if region else None,
        region_path=region.path if region else None,
        phone=normalize_phone(phone) if phone else None,
        duties=duties,
    )
    db.add(department)
    db.flush()
    return department


# --- people --------------------------------------------------------------------------------------


def list_people(*, db: Session, actor: Actor, page: PageParams, q: str | None = None) -> tuple[list[Person], int]:
    require(actor, "registry.read")
    query = select(Person).where(scope_condition(actor, Person.region_path, Person.enterprise_id))
    if q:
        query = query.where(matches(q, within=[Person.name], prefix=[Person.phone]))
    return paginate(db, query.order_by(Person.id), page)


def create_person(*, db: Session, actor: Actor, data: PersonCreate) -> Person:
    require(actor, "registry.write")
    department = get_department(db=db, code=data.department_code) if data.department_code else None
    enterprise = get_enterprise(db=db, actor=actor, enterprise_id=data.enterprise_id) if data.enterprise_id else None
    region = geo_service.region_info(db=db, code=data.region_code) if data.region_code else None
    path = (
        region.path
        if region
        else (enterprise.region_path if enterprise else (department.region_path if department else None))
    )
    if actor.scope_path is not None or actor.enterprise_id is not None:
        ensure_region_in_scope(actor, path, what="区域")
    person = Person(
        name=data.name,
        phone=data.phone,
        title=data.title,
        department_id=department.id if department else None,
        enterprise_id=enterprise.id if enterprise else None,
        region_id=region.id if region else (enterprise.region_id if enterprise else None),
        region_path=path,
        created_at=utcnow(),
    )
    db.add(person)
    db.flush()
    return person


# --- read-only look-ups for other capabilities ---------------------------------------------------


@dataclass(frozen=True)
class PersonInfo:
    id: int
    name: str
    phone: str
    title: str
    region_path: str | None


def people_by_title(*, db: Session, titles: list[str], region_path: str | None = None) -> list[PersonInfo]:
    """People holding one of ``titles`` (e.g. 社区响应队队长 / 社区响应队队员), optionally inside a region,
    in id order. Used by resources to build the community response teams from the people registered here."""
    query = select(Person).where(Person.title.in_(titles)).order_by(Person.id)
    if region_path:
        query = query.where(path_within(Person.region_path, region_path))
    return [PersonInfo(p.id, p.name, p.phone, p.title, p.region_path) for p in db.scalars(query)]


def people_by_title_in_regions(*, db: Session, titles: list[str], region_paths: list[str]) -> list[PersonInfo]:
    """``people_by_title`` over several regions at once (warnings: the villages an area touches)."""
    if not region_paths or not titles:
        return []
    within = or_(*[path_within(Person.region_path, p) for p in region_paths])
    query = select(Person).where(Person.title.in_(titles), within)
    return [PersonInfo(p.id, p.name, p.phone, p.title, p.region_path) for p in db.scalars(query.order_by(Person.id))]


@dataclass(frozen=True)
class EnterpriseContact:
    id: int
    name: str
    phone: str
    region_path: str
    lon: float
    lat: float


def enterprise_contacts_in_bbox(*, db: Session, bbox: tuple[float, float, float, float]) -> list[EnterpriseContact]:
    """Operating enterprises located inside the (min lon, min lat, max lon, max lat) box, with the safety
    contact's phone (warnings: the caller tests the exact area)."""
    minx, miny, maxx, maxy = bbox
    query = select(Enterprise).where(
        Enterprise.lon.between(minx, maxx),
        Enterprise.lat.between(miny, maxy),
        Enterprise.safety_phone.is_not(None),
        Enterprise.status == "operating",
    )
    return [
        EnterpriseContact(e.id, e.name, e.safety_phone or "", e.region_path, e.lon or 0.0, e.lat or 0.0)
        for e in db.scalars(query.order_by(Enterprise.id))
    ]


def enterprises_in_bbox(*, db: Session, bbox: tuple[float, float, float, float]) -> list[EnterpriseInfo]:
    """Enterprises not closed whose place lies inside the (min lon, min lat, max lon, max lat) box
    (incidents' impact estimate: the caller tests the exact area)."""
    minx, miny, maxx, maxy = bbox
    query = select(Enterprise).where(
        Enterprise.lon.between(minx, maxx), Enterprise.lat.between(miny, maxy), Enterprise.status != "closed"
    )
    return [_info(e) for e in db.scalars(query.order_by(Enterprise.id))]
