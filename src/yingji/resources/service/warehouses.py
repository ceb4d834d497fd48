"""The two-level warehouse network (district reserve, township points), the material catalogue, and
agreements with suppliers and transport companies."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, load_in_scope, require
from yingji.core.errors import Conflict, NotFound, invalid
from yingji.core.search import matches
from yingji.resources.enums import WarehouseLevel
from yingji.resources.models import Agreement, Material, Warehouse
from yingji.resources.schemas import AgreementCreate, MaterialCreate, WarehouseCreate
from yingji.resources.service.common import (
    default_path,
    ensure_writable,
    read_condition,
    readable,
    resolve_region,
)


def create_warehouse(*, db: Session, actor: Actor, data: WarehouseCreate) -> Warehouse:
    require(actor, "resources.write")
    region = resolve_region(
        db, region_code=data.region_code, lon=data.lon, lat=data.lat, levels=("district", "township")
    )
    ensure_writable(actor, region.path, what="区域")
    level = WarehouseLevel.district if region.level == "district" else WarehouseLevel.township
    warehouse = Warehouse(level=level, region_path=region.path, **data.model_dump(exclude={"region_code"}))
    db.add(warehouse)
    db.flush()
    return warehouse


def list_warehouses(*, db: Session, actor: Actor) -> list[Warehouse]:
    require(actor, "resources.read")
    return list(
        db.scalars(
            select(Warehouse)
            .where(read_condition(actor, Warehouse.region_path))
            .order_by(Warehouse.level, Warehouse.id)
        )
    )


def get_warehouse(*, db: Session, actor: Actor, warehouse_id: int) -> Warehouse:
    return load_in_scope(db, actor, Warehouse, warehouse_id, what="仓库", permission="resources.read", visible=readable)


def writable_warehouse(db: Session, actor: Actor, warehouse_id: int) -> Warehouse:
    """A warehouse the actor may book in: a township books only at its own points."""
    warehouse = get_warehouse(db=db, actor=actor, warehouse_id=warehouse_id)
    ensure_writable(actor, warehouse.region_path, what="仓库")
    return warehouse


# --- materials -----------------------------------------------------------------------------------


def create_material(*, db: Session, actor: Actor, data: MaterialCreate) -> Material:
    """The catalogue is one for the district: kept by the bureau."""
    require(actor, "resources.catalogue")
    if db.scalar(select(Material.id).where(Material.code == data.code)) is not None:
        raise Conflict(f"物资编码 {data.code} 已存在", details=[])
    material = Material(**data.model_dump())
    db.add(material)
    db.flush()
    return material


def list_materials(*, db: Session, actor: Actor, category: str | None = None, q: str | None = None) -> list[Material]:
    require(actor, "resources.read")
    query = select(Material).order_by(Material.category, Material.code)
    if category:
        query = query.where(Material.category == category)
    if q:
        query = query.where(matches(q, within=[Material.name], prefix=[Material.code]))
    return list(db.scalars(query))


def get_material(*, db: Session, actor: Actor, material_id: int) -> Material:
    require(actor, "resources.read")
    material = db.get(Material, material_id)
    if material is None:
        raise NotFound("物资不存在")
    return material


# --- agreements ----------------------------------------------------------------------------------


def create_agreement(*, db: Session, actor: Actor, data: AgreementCreate) -> Agreement:
    require(actor, "resources.write")
    if data.valid_to < data.valid_from:
        raise invalid("valid_to", "协议截止日期不能早于开始日期")
    path = default_path(db, actor, data.region_code, ("district", "township"))
    ensure_writable(actor, path, what="区域")
    for i, item in enumerate(data.items):
        mid = item.get("material_id")
        if mid is not None and db.get(Material, mid) is None:
            raise invalid(f"items[{i}].material_id", "物资不存在")
    agreement = Agreement(region_path=path, **data.model_dump(exclude={"region_code"}))
    db.add(agreement)
    db.flush()
    return agreement


def list_agreements(*, db: Session, actor: Actor, kind: str | None = None) -> list[Agreement]:
    require(actor, "resources.read")
    query = select(Agreement).where(read_condition(actor, Agreement.region_path)).order_by(Agreement.id)
    if kind:
        query = query.where(Agreement.kind == kind)
    return list(db.scalars(query))
