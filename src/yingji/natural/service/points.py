"""The hazard-point registers: register, change, list and read points of every kind; the 险情 grade is
computed from the threatened people and property (cn-rules §6.2) whenever they change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shapely.geometry import shape
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM, Actor, region_in_scope, require, scope_condition
from yingji.core.clock import utcnow
from yingji.core.errors import DomainError, NotFound, PermissionDenied, invalid
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.natural import kinds, standards
from yingji.natural.models import HazardPoint, Monitor
from yingji.natural.schemas import PointCreate, PointUpdate
from yingji.natural.service.common import get_point, writable_point
from yingji.resources import service as resources_service

CODE_PREFIX = {"geological": "DZ", "flash_flood": "SH", "waterlogging": "NL", "forest_fire": "SL", "water_works": "SK"}


def kind_of(key: str, *, field: str = "kind") -> kinds.HazardKind:
    kind = kinds.kinds().get(key)
    if kind is None:
        raise invalid(field, f"未知的隐患类型 {key}，可选：{'、'.join(kinds.kind_labels())}")
    return kind


def grade(point: HazardPoint) -> str | None:
    """险情 of a geological point from its threatened people and property; None for the other kinds."""
    if not kind_of(point.kind).graded:
        return None
    return standards.danger_grade(people_to_relocate=point.people,
                                  potential_loss_yuan=Decimal(point.property_yuan or 0)).grade


def _outline(outline: dict[str, Any]) -> Any:
    if outline.get("type") != "Polygon" or not isinstance(outline.get("coordinates"), list) \
            or not outline["coordinates"]:
        raise invalid("outline", "范围须为 GeoJSON Polygon")
    return geo_service.polygon_from_ring(outline["coordinates"][0], field="outline")


def _check_attributes(kind: kinds.HazardKind, attributes: dict[str, Any]) -> dict[str, Any]:
    for key, value in attributes.items():
        if key not in kind.attributes:
            raise invalid(f"attributes.{key}", f"{kind.label}没有这一属性，可选：{'、'.join(kind.attributes)}")
        if not isinstance(value, str | int | float | bool) or (isinstance(value, str) and len(value) > 200):
            raise invalid(f"attributes.{key}", "须为文本或数字（不超过 200 字）")
    return attributes


def _shelter_name(db: Session, shelter_id: int | None) -> str:
    if shelter_id is None:
        return ""
    try:
        return resources_service.get_shelter(db=db, actor=SYSTEM, shelter_id=shelter_id).name
    except NotFound:
        raise invalid("shelter_id", f"避难场所 {shelter_id} 不存在") from None


def _next_code(db: Session, category: str) -> str:
    prefix = CODE_PREFIX.get(category, "ZH")
    n = (db.scalar(select(func.max(HazardPoint.id))) or 0) + 1
    return f"{prefix}{n:06d}"


def _apply(db: Session, point: HazardPoint, data: dict[str, Any]) -> None:
    kind = kind_of(point.kind)
    if "attributes" in data and data["attributes"] is not None:
        data["attributes"] = _check_attributes(kind, data["attributes"])
    if "shelter_id" in data:
        point.shelter_name = _shelter_name(db, data["shelter_id"])
    if data.get("fire_danger_level") is not None and kind.category != "forest_fire":
        raise invalid("fire_danger_level", "森林火险等级只用于森林火险区")
    for key, value in data.items():
        if value is None and key not in ("shelter_id", "fire_danger_level"):
            continue
        setattr(point, key, value)
    point.danger_grade = grade(point)
    point.updated_at = utcnow()


def create_point(*, db: Session, actor: Actor, data: PointCreate, is_demo: bool = False) -> HazardPoint:
    require(actor, "natural.write")
    kind = kind_of(data.kind)
    lon, lat = data.lon, data.lat
    if data.outline is not None:
        poly = _outline(data.outline)
        if lon is None or lat is None:
            p = poly.representative_point()
            lon, lat = round(p.x, 6), round(p.y, 6)
    if (lon is None or lat is None) and data.outline is None:
        raise invalid("lon", "请填写经纬度或范围")
    village = geo_service.region_of(db=db, region_code=data.region_code, lon=lon, lat=lat, levels=("village",),
                                    level_message="所属区域须为村（社区）",
                                    outside_message="该坐标不在本区任何村（社区）内")
    if not region_in_scope(actor, village.path):
        raise PermissionDenied("只能登记本辖区的隐患点")
    if data.code and db.scalar(select(HazardPoint.id).where(HazardPoint.code == data.code)) is not None:
        raise invalid("code", f"编号 {data.code} 已存在")
    now = utcnow()
    point = HazardPoint(code=data.code or _next_code(db, kind.category), name=data.name, kind=kind.key,
                        category=kind.category, region_path=village.path, village_code=village.code,
                        lon=lon, lat=lat, outline=data.outline, scale="", stability="fairly_stable",
                        households=0, people=0, property_yuan=Decimal(0), attributes={}, status="monitored",
                        sensor_ids=[], is_demo=is_demo, created_at=now)
    fields = data.model_dump(exclude={"kind", "code", "lon", "lat", "outline", "region_code"}, exclude_unset=True)
    _apply(db, point, fields)
    db.add(point)
    db.flush()
    return point


def update_point(*, db: Session, actor: Actor, point_id: int, data: PointUpdate) -> HazardPoint:
    point = writable_point(db, actor, point_id)
    _apply(db, point, data.model_dump(exclude_unset=True))
    db.flush()
    return point


def read_point(*, db: Session, actor: Actor, point_id: int) -> HazardPoint:
    return get_point(db, actor, point_id)


def point_query(actor: Actor, *, kind: str | None = None, category: str | None = None, status: str | None = None,
                grade: str | None = None, region_code: str | None = None, q: str | None = None,
                region_path: str | None = None, monitored: str | None = None) -> Any:
    query = select(HazardPoint).where(scope_condition(actor, HazardPoint.region_path))
    if monitored in ("yes", "no"):  # 群测群防 coverage links here: the points with or without a monitor
        has = HazardPoint.id.in_(select(Monitor.point_id))
        query = query.where(has if monitored == "yes" else ~has)
    if kind:
        query = query.where(HazardPoint.kind == kind)
    if category:
        query = query.where(HazardPoint.category == category)
    if status:
        query = query.where(HazardPoint.status == status)
    if grade:
        query = query.where(HazardPoint.danger_grade == grade)
    if region_path:
        query = query.where(or_(HazardPoint.region_path == region_path,
                                HazardPoint.region_path.startswith(region_path + "/", autoescape=True)))
    if q:
        like = f"%{q}%"
        query = query.where(or_(HazardPoint.name.like(like), HazardPoint.code.like(like)))
    return query


def list_points(*, db: Session, actor: Actor, page: PageParams, region_code: str | None = None,
                **filters: Any) -> tuple[list[HazardPoint], int]:
    require(actor, "natural.read")
    path = None
    if region_code:
        try:
            path = geo_service.region_info(db=db, code=region_code).path
        except DomainError:
            raise invalid("region_code", f"区域 {region_code} 不存在") from None
    query = point_query(actor, region_path=path, **filters)
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(query.order_by(HazardPoint.code).offset(page.offset).limit(page.page_size)).all()
    return list(rows), total


def all_points(*, db: Session, actor: Actor, **filters: Any) -> list[HazardPoint]:
    require(actor, "natural.read")
    return list(db.scalars(point_query(actor, **filters).order_by(HazardPoint.code)).all())


def point_geometry(point: HazardPoint) -> Any:
    """The point's outline when it has one, else its location (both WGS84 Shapely geometries)."""
    if point.outline:
        return shape(point.outline)
    from shapely.geometry import Point

    return Point(point.lon, point.lat)
