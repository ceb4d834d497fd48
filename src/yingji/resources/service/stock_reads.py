"""Reading the material ledger: stock on hand per warehouse and batch, transfers in transit, a warehouse's
documents. (Changes go through ``stock``: documents posted, received, reversed.)"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.resources.enums import DocumentStatus
from yingji.resources.models import Batch, Material, StockBalance, StockDocument, Warehouse
from yingji.resources.service.common import can_read, read_condition
from yingji.resources.service.warehouses import get_warehouse


def stock(*, db: Session, actor: Actor, warehouse_id: int | None = None, material_id: int | None = None) -> list[dict]:
    """Quantity on hand per warehouse and batch (zero balances left out)."""
    require(actor, "resources.read")
    q = (
        select(StockBalance, Material, Batch)
        .join(Material, Material.id == StockBalance.material_id)
        .join(Batch, Batch.id == StockBalance.batch_id)
        .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
        .where(read_condition(actor, Warehouse.region_path), StockBalance.quantity > 0)
        .order_by(StockBalance.warehouse_id, Material.code, Batch.expiry_date, Batch.id)
    )
    if warehouse_id is not None:
        get_warehouse(db=db, actor=actor, warehouse_id=warehouse_id)
        q = q.where(StockBalance.warehouse_id == warehouse_id)
    if material_id is not None:
        q = q.where(StockBalance.material_id == material_id)
    return [
        {
            "warehouse_id": b.warehouse_id,
            "material_id": m.id,
            "material": m.name,
            "unit": m.unit,
            "batch_id": bt.id,
            "batch_no": bt.batch_no,
            "expiry_date": bt.expiry_date,
            "quantity": b.quantity,
        }
        for b, m, bt in db.execute(q).all()
    ]


def in_transit(*, db: Session, actor: Actor) -> list[StockDocument]:
    require(actor, "resources.read")
    docs = db.scalars(
        select(StockDocument).where(StockDocument.status == DocumentStatus.in_transit).order_by(StockDocument.id)
    )
    out = []
    for d in docs:
        dest = db.get(Warehouse, d.to_warehouse_id) if d.to_warehouse_id else None
        if can_read(actor, d.region_path) or (dest is not None and can_read(actor, dest.region_path)):
            out.append(d)
    return out


def list_documents(*, db: Session, actor: Actor, warehouse_id: int, limit: int = 100) -> list[StockDocument]:
    get_warehouse(db=db, actor=actor, warehouse_id=warehouse_id)
    return list(
        db.scalars(
            select(StockDocument)
            .where((StockDocument.warehouse_id == warehouse_id) | (StockDocument.to_warehouse_id == warehouse_id))
            .order_by(StockDocument.id.desc())
            .limit(limit)
        )
    )
